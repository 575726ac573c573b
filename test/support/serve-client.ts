/**
 * Tests that start `startServe` on loopback read it with these: a GET that accepts the server's
 * self-signed certificate, and a poll for a value that arrives with a later collection.
 * @module
 */
import { request } from 'node:https';

/** GETs `url` (self-signed serving certificate accepted), resolving to the status and body. */
export function insecureGet(
  url: string,
  accept = 'application/json',
): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { rejectUnauthorized: false, headers: { accept } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Polls `fn` until it yields a value, or fails after `timeoutMs`. */
export async function eventuallyValue<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
