/** Linux's PIPE_BUF: a write of at most this many bytes to a pipe is never interleaved with another. */
export const PIPE_BUF = 4096;

/**
 * Splits a run of `\n`-terminated lines into writes of at most {@link PIPE_BUF} bytes that end on
 * a line boundary, so that lines written to a shared pipe by several processes (`--workers`) stay
 * whole. A single line longer than that is written alone.
 */
export function pipeChunks(text: string): string[] {
  if (Buffer.byteLength(text) <= PIPE_BUF) return [text];
  const chunks: string[] = [];
  let current = '';
  let size = 0;
  for (const line of text.split(/(?<=\n)/)) {
    const bytes = Buffer.byteLength(line);
    if (size > 0 && size + bytes > PIPE_BUF) {
      chunks.push(current);
      current = '';
      size = 0;
    }
    current += line;
    size += bytes;
  }
  if (current !== '') chunks.push(current);
  return chunks;
}
