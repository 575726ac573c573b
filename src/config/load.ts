/**
 * The one place src/config touches the disk (metrics-server's FromFile): everything else here is
 * pure and tested without files.
 * @module
 */
import { readFileSync, statSync } from 'node:fs';
import { maxConfigBytes, type ReadFile } from './parse-serve.js';

/** Reads a config file as UTF-8, refusing anything that is not a regular file of sane size. */
export const readConfigFile: ReadFile = (path) => {
  const st = statSync(path);
  if (!st.isFile()) throw new Error('not a regular file');
  if (st.size > maxConfigBytes) throw new Error(`larger than ${maxConfigBytes} bytes`);
  return readFileSync(path, 'utf8');
};
