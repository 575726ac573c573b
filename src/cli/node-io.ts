/**
 * The real process edges for the CLI.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { safeOutput } from '../observability/index.js';
import type { CliIo } from './command.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The process's own stdout, stderr, stdin and file system. */
export function nodeIo(): CliIo {
  return {
    // A reader that went away (`| head`) drops output instead of raising EPIPE forever.
    stdout: safeOutput(process.stdout),
    stderr: safeOutput(process.stderr),
    stdin: () => readAll(process.stdin),
    readFile: (path) => readFile(path, 'utf8'),
  };
}
