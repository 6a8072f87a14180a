/** Byte helpers the readers share (plain Deno: the early stdin reader runs before the SDK loads). */

/**
 * The pieces as one array: the piece itself when there is only one (callers never write to it),
 * else a copy. `total` is their summed length when the caller already keeps it.
 */
export function concatBytes(pieces: readonly Uint8Array[], total?: number): Uint8Array {
  if (pieces.length === 1) return pieces[0];
  const out = new Uint8Array(total ?? pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
