// Docker's progress and event streams: one JSON document per line, lines cut anywhere by the transport.

import { StringDecoder } from 'node:string_decoder';

/** Yields each parsed line; blank lines are skipped, a line that is not JSON throws (the stream is not Docker's). */
export async function* jsonLines(chunks: AsyncIterable<Buffer>, maxLineBytes = 1024 * 1024): AsyncGenerator<unknown> {
  // The decoder keeps a multi-byte character cut between two chunks whole.
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of chunks) {
    carry += decoder.write(chunk);
    let newline = carry.indexOf('\n');
    while (newline >= 0) {
      const line = carry.slice(0, newline).trim();
      carry = carry.slice(newline + 1);
      if (line) yield JSON.parse(line) as unknown;
      newline = carry.indexOf('\n');
    }
    if (carry.length > maxLineBytes) throw new Error(`Docker stream line longer than ${maxLineBytes} bytes`);
  }
  const last = (carry + decoder.end()).trim();
  if (last) yield JSON.parse(last) as unknown;
}
