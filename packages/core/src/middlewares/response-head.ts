import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Runs `fn` just before the response head is written, whoever writes it (the forwarder with
 * `writeHead(status, headers)`, an internal service with `setHeader` + `end`). `fn` edits the
 * response through `setHeader`/`removeHeader`; headers passed to `writeHead` are moved onto the
 * response first so that `fn` sees and can change them.
 */
export function onResponseHead(res: ServerResponse, fn: (res: ServerResponse) => void): void {
  const writeHead = res.writeHead;
  let done = false;
  res.writeHead = function patchedWriteHead(this: ServerResponse, statusCode: number, ...rest: unknown[]): ServerResponse {
    if (!done) {
      done = true;
      let reason: string | undefined;
      let headers: OutgoingHttpHeaders | undefined;
      if (typeof rest[0] === 'string') {
        reason = rest[0];
        headers = rest[1] as OutgoingHttpHeaders | undefined;
      } else headers = rest[0] as OutgoingHttpHeaders | undefined;
      if (headers && !Array.isArray(headers)) {
        for (const [name, value] of Object.entries(headers)) if (value !== undefined) this.setHeader(name, value);
      }
      fn(this);
      return reason === undefined ? writeHead.call(this, statusCode) : (writeHead as (s: number, r: string) => ServerResponse).call(this, statusCode, reason);
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).call(this, statusCode, ...rest);
  } as ServerResponse['writeHead'];
}
