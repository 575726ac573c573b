/**
 * Output that can never make the process loop, throw or stall: log lines and command output go
 * through a sink that gives up on a stream once it fails. Node's stdout and stderr cannot be
 * destroyed, so after their reader goes away (`serve | head -3`) every write emits a fresh
 * EPIPE `error`; with no listener that error is an uncaught exception, whose handler logs it to
 * the same broken stream, which fails again, forever, starving signals and timers. Here the
 * first failure marks the stream broken and later lines are dropped (counted, never retried).
 * A reader that stops reading is bounded too: past `maxBufferedBytes` queued in the stream,
 * lines are dropped rather than buffered without limit. This is the logger's only I/O.
 * @module
 */

/** Any writable the sink can guard: Node streams, or `{ write }` test captures. */
export interface OutputStream {
  write(chunk: string): unknown;
  on?(event: 'error', listener: (err: Error) => void): unknown;
  readonly writableLength?: number;
}

export interface SafeOutput {
  write(chunk: string): boolean;
  /** True once the stream failed; nothing is written to it again. */
  readonly broken: boolean;
  /** Lines dropped because the stream was broken or its buffer was full. */
  readonly dropped: number;
}

/** Default cap on bytes queued in a stream whose reader is slow: 4 MiB of log lines. */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 << 20;

interface State {
  broken: boolean;
  dropped: number;
}

/** One state per stream, so every logger and output sharing process.stderr shares one listener. */
const states = new WeakMap<object, State>();

function stateOf(stream: OutputStream): State {
  let state = states.get(stream);
  if (state) return state;
  const created: State = { broken: false, dropped: 0 };
  state = created;
  states.set(stream, created);
  // The listener keeps a stream error from becoming an uncaught exception, whoever wrote.
  stream.on?.('error', () => {
    created.broken = true;
  });
  return created;
}

/** Wraps `stream` so failed or backed-up output is dropped instead of raised, retried or queued. */
export function safeOutput(
  stream: OutputStream,
  maxBufferedBytes: number = DEFAULT_MAX_BUFFERED_BYTES,
): SafeOutput {
  const state = stateOf(stream);
  return {
    write(chunk: string): boolean {
      if (state.broken || (stream.writableLength ?? 0) > maxBufferedBytes) {
        state.dropped++;
        return false;
      }
      try {
        stream.write(chunk);
        return true;
      } catch {
        // A stream that throws instead of emitting (a closed fd written synchronously) is broken.
        state.broken = true;
        state.dropped++;
        return false;
      }
    },
    get broken() {
      return state.broken;
    },
    get dropped() {
      return state.dropped;
    },
  };
}
