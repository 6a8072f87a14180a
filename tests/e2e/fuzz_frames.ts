/**
 * Seeded hostile frames for the fuzz tests: garbage bytes, partial JSON, invalid UTF-8, wrong
 * shapes, huge ids, unknown methods and oversized frames. Each frame says, by construction,
 * whether the broker owes it an answer (it carries a readable id) and under which id.
 */

/** One generated frame (without its line break). */
export interface FuzzFrame {
  kind: string;
  bytes: Uint8Array<ArrayBuffer>;
  /** The id an answer must carry, when one is owed. */
  answerId?: string;
}

/** mulberry32: a small seeded PRNG, so every run sends the same frames. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const encode = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

/** `count` frames from `seed`; frames over `oversizeBytes` are made now and then when given. */
export function fuzzFrames(seed: number, count: number, oversizeBytes?: number): FuzzFrame[] {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const frames: FuzzFrame[] = [];
  for (let i = 0; i < count; i++) {
    const id = `f-${seed}-${i}`;
    const valid = JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "whoami" } });
    const choice = int(oversizeBytes ? 9 : 8);
    switch (choice) {
      case 0: { // garbage bytes, no line break inside
        const bytes = new Uint8Array(1 + int(200)).map(() => {
          const byte = int(256);
          return byte === 10 ? 32 : byte;
        });
        frames.push({ kind: "garbage", bytes });
        break;
      }
      case 1: // partial JSON: a prefix of an object is never a whole JSON value
        frames.push({ kind: "partial", bytes: encode(valid.slice(0, 1 + int(valid.length - 2))) });
        break;
      case 2: { // invalid UTF-8 inside an otherwise fine-looking frame
        const bytes = encode(valid);
        const at = 5 + int(bytes.length - 10);
        bytes[at] = 0xff;
        bytes[at + 1] = 0xfe;
        frames.push({ kind: "invalid-utf8", bytes });
        break;
      }
      case 3: { // wrong shapes that still carry a readable id: an error is owed
        const shapes = [
          { jsonrpc: "2.0", id, method: int(1000) },
          { jsonrpc: "2.0", id, method: "tools/list", params: "not an object" },
          { jsonrpc: "1.0", id, method: "ping" },
          { jsonrpc: "2.0", id },
          { jsonrpc: "2.0", id, method: ["tools/call"] },
          { id, method: "ping" },
        ];
        frames.push({
          kind: "wrong-shape",
          bytes: encode(JSON.stringify(shapes[int(shapes.length)])),
          answerId: id,
        });
        break;
      }
      case 4: { // not objects at all
        const values = ["null", "42", '"text"', "[]", "[1,2,3]", "true", "{}", '{"jsonrpc":"2.0"}'];
        frames.push({ kind: "not-an-object", bytes: encode(values[int(values.length)]) });
        break;
      }
      case 5: { // ids nobody can echo: huge strings, unsafe or fractional numbers, objects
        const ids = [
          '"' + "i".repeat(2000 + int(5000)) + '"',
          "1e300",
          "12345678901234567890",
          "1.5",
          '{"x":1}',
        ];
        frames.push({
          kind: "huge-id",
          bytes: encode(`{"jsonrpc":"2.0","id":${ids[int(ids.length)]},"method":${int(2) ? '"nope"' : "7"}}`),
        });
        break;
      }
      case 6: // a well-formed request for a method nobody offers: answered "method not found"
        frames.push({
          kind: "unknown-method",
          bytes: encode(JSON.stringify({ jsonrpc: "2.0", id, method: `fuzz/${int(1e6)}`, params: {} })),
          answerId: id,
        });
        break;
      case 7: // deep nesting
        frames.push({ kind: "deep", bytes: encode("[".repeat(1 + int(5000)) + "]".repeat(int(5000))) });
        break;
      default: { // over the limit, with a readable leading id: an error naming the limit is owed
        const pad = "x".repeat((oversizeBytes ?? 0) + int(30_000));
        frames.push({
          kind: "oversized",
          bytes: encode(`{"jsonrpc":"2.0","id":"${id}","method":"tools/call","params":{"pad":"${pad}"}}`),
          answerId: id,
        });
      }
    }
  }
  return frames;
}
