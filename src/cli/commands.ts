/**
 * The command table. A command lives in its own file and is registered here with one line, so
 * `serve` and `hpa explain` plug in without touching the dispatcher.
 * @module
 */
import type { Command } from './command.js';
import { hpaEvaluateCommand } from './hpa-evaluate.js';

/** Every command `scaleplane` knows, in help order. */
export const commands: readonly Command[] = [hpaEvaluateCommand];
