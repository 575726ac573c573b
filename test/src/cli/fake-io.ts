/** A string-backed CliIo for driving the CLI dispatcher in-process. */
import type { CliIo } from '../../../src/cli/command.js';

export interface FakeIo extends CliIo {
  out: string;
  err: string;
}

/** Files are served from `files` (anything else is ENOENT, like the real fs); stdin from `stdin`. */
export function fakeIo(files: Record<string, string> = {}, stdin = ''): FakeIo {
  const io: FakeIo = {
    out: '',
    err: '',
    stdout: { write: (chunk: string) => (io.out += chunk) },
    stderr: { write: (chunk: string) => (io.err += chunk) },
    stdin: () => Promise.resolve(stdin),
    readFile: (path: string) => {
      const text = files[path];
      if (text === undefined)
        return Promise.reject(
          Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), {
            code: 'ENOENT',
          }),
        );
      return Promise.resolve(text);
    },
  };
  return io;
}
