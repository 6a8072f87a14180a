/** Complete synchronous writes to a stream (stdout, stderr, a terminal). */

const encoder = new TextEncoder();

/** Writes text to a stream synchronously and completely (no interleaving with later writes). */
export function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}
