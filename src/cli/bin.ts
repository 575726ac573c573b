#!/usr/bin/env node
/**
 * The `scaleplane` executable (package.json bin → dist/src/cli/bin.js).
 * @module
 */
import { run } from './main.js';
import { nodeIo } from './node-io.js';

process.exitCode = await run(process.argv.slice(2), nodeIo());
