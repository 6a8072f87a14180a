/**
 * Scrubbing secret values out of text and JSON-like values before they leave the broker (tool
 * results, errors, logs). Pure: no I/O.
 *
 * Each registered value becomes `[redacted:NAME]`. Values long enough to be told apart from
 * ordinary text are also caught in the encodings an upstream is likely to echo them in: base64
 * and base64url (padded and unpadded, and inside a longer base64 run such as an HTTP Basic
 * credential), percent-encoding, form-encoding and JSON string escaping.
 */

/** Values shorter than this are not registered: see `Redactor.add`. */
export const MIN_REDACTABLE_LENGTH = 8;

/** Values at least this long are also redacted in their encoded forms. */
export const MIN_ENCODED_LENGTH = 8;

/** What `Redactor.add` did with a value; a value it refused must be reported by the caller. */
export type AddResult =
  | { registered: true }
  | { registered: false; reason: "too_short"; minLength: number };

const encoder = new TextEncoder();

function base64(bytes: Uint8Array): string {
  return bytes.toBase64();
}

function toUrlAlphabet(text: string): string {
  return text.replaceAll("+", "-").replaceAll("/", "_");
}

/**
 * The base64 characters that depend only on the value's own bytes when the value sits at byte
 * offset 0, 1 or 2 (mod 3) of a longer encoded run: what survives of it inside, e.g., the base64
 * of "user:token".
 */
function embeddedBase64Cores(bytes: Uint8Array): string[] {
  const cores: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const shifted = new Uint8Array(shift + bytes.length);
    shifted.set(bytes, shift);
    const encoded = base64(shifted);
    cores.push(encoded.slice(Math.ceil((8 * shift) / 6), Math.floor((8 * (shift + bytes.length)) / 6)));
  }
  return cores;
}

/** Every form of `value` to look for (the value itself first). */
function formsOf(value: string): string[] {
  const forms = new Set([value]);
  if (value.length < MIN_ENCODED_LENGTH) return [...forms];
  const bytes = encoder.encode(value);
  const padded = base64(bytes);
  const unpadded = padded.replace(/=+$/, "");
  for (const form of [padded, unpadded, ...embeddedBase64Cores(bytes)]) {
    forms.add(form);
    forms.add(toUrlAlphabet(form));
  }
  const percent = encodeURIComponent(value);
  forms.add(percent);
  forms.add(percent.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
  forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  forms.add(JSON.stringify(value).slice(1, -1));
  return [...forms];
}

/** The UTF-8 bytes of `text` as a string of one char per byte. */
function byteString(text: string): string {
  let out = "";
  for (const byte of encoder.encode(text)) out += String.fromCharCode(byte);
  return out;
}

function fromByteString(bytes: string): string {
  return new TextDecoder().decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Replaces registered secret values (and their common encodings) with `[redacted:NAME]`. */
export class Redactor {
  /** Secret value → name. */
  readonly #values = new Map<string, string>();
  /** Every searched form (raw or encoded) → name. */
  readonly #forms = new Map<string, string>();
  #pattern: RegExp | undefined;
  /** The same forms as a plain alternation: whether any occurs at all. */
  #anyForm: RegExp | undefined;
  /** The same forms as byte strings (one char per UTF-8 byte), for searching decoded binary. */
  #bytePattern: RegExp | undefined;
  #stale = false;
  #shortestForm = Infinity;

  /** How many distinct values are registered. */
  get size(): number {
    return this.#values.size;
  }

  /**
   * Registers `value` under `name`. Values under 8 characters are refused and reported: "root" or
   * "2026" would be cut out of every word, date and path in a result (and out of binary encodings),
   * shredding ordinary text while hiding little (a secret that short is guessable anyway). The
   * caller should warn.
   */
  add(name: string, value: string): AddResult {
    if (value.length < MIN_REDACTABLE_LENGTH) {
      return { registered: false, reason: "too_short", minLength: MIN_REDACTABLE_LENGTH };
    }
    if (this.#values.get(value) === name) return { registered: true };
    this.#values.set(value, name);
    for (const form of formsOf(value)) this.#forms.set(form, name);
    this.#stale = true;
    return { registered: true };
  }

  /** One combined pattern, rebuilt only after values changed. Longest forms first, so where two
   * forms start at the same place the longer (containing) one wins. Wrapped in a lookahead so a
   * match is found at every position, including inside another match: partial overlaps are then
   * merged and redacted whole. */
  #currentPattern(): RegExp | undefined {
    if (this.#stale) {
      const forms = [...this.#forms.keys()].sort((a, b) => b.length - a.length);
      this.#shortestForm = forms.length === 0 ? Infinity : forms[forms.length - 1].length;
      const alternation = forms.map(escapeRegExp).join("|");
      this.#pattern = forms.length === 0 ? undefined : new RegExp(`(?=(${alternation}))`, "g");
      this.#anyForm = forms.length === 0 ? undefined : new RegExp(alternation);
      this.#bytePattern = forms.length === 0
        ? undefined
        : new RegExp(forms.map((form) => escapeRegExp(byteString(form))).join("|"));
      this.#stale = false;
    }
    return this.#pattern;
  }

  /** `text` with every registered value (and encoded form) replaced by `[redacted:NAME]`. */
  redactText(text: string): string {
    const pattern = this.#currentPattern();
    if (pattern === undefined || text.length < this.#shortestForm) return text;
    // Most text holds no secret. The lookahead pattern below defeats V8's fast scan (and
    // `matchAll` copies the pattern on every call): a plain alternation answers "none" about ten
    // times faster (8 MiB with one secret: ~40 ms -> ~4 ms; a short string: a fraction of a µs).
    if (!this.#anyForm?.test(text)) return text;
    let output = "";
    let copied = 0;
    let spanStart = -1;
    let spanEnd = -1;
    let labels = "";
    let lastName: string | undefined;
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[1].length;
      const name = this.#forms.get(match[1]);
      if (start < spanEnd) {
        // Overlaps the current span: extend it; a form wholly inside it adds nothing.
        if (end > spanEnd) {
          spanEnd = end;
          if (name !== lastName) labels += `[redacted:${name}]`;
          lastName = name;
        }
        continue;
      }
      if (spanStart >= 0) {
        output += text.slice(copied, spanStart) + labels;
        copied = spanEnd;
      }
      spanStart = start;
      spanEnd = end;
      labels = `[redacted:${name}]`;
      lastName = name;
    }
    if (spanStart < 0) return text;
    return output + text.slice(copied, spanStart) + labels + text.slice(spanEnd);
  }

  /**
   * The name of a registered value found in decoded binary content (given as a byte string, one
   * char per byte, as `atob` returns it), raw or in an encoded form; undefined when none is there.
   */
  findInBytes(bytes: string): string | undefined {
    this.#currentPattern();
    const found = this.#bytePattern?.exec(bytes);
    return found ? this.#forms.get(fromByteString(found[0])) : undefined;
  }

  /** A copy of a JSON-like value with every string (object keys too) redacted, at any depth. */
  redactValue<T>(value: T): T {
    // Values other than strings, arrays and plain objects (class instances) are returned as they
    // are: callers redact what they serialise, which is JSON. With nothing registered, the input
    // itself is returned.
    if (this.#values.size === 0) return value;
    return this.#walk(value, new WeakMap()) as T;
  }

  #walk(value: unknown, seen: WeakMap<object, unknown>): unknown {
    if (typeof value === "string") return this.redactText(value);
    if (typeof value !== "object" || value === null) return value;
    const done = seen.get(value);
    if (done !== undefined) return done;
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      for (const item of value) copy.push(this.#walk(item, seen));
      return copy;
    }
    if (!isPlainObject(value)) return value;
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    for (const [key, item] of Object.entries(value)) {
      // Defined, not assigned, so a key "__proto__" stays a plain key instead of a prototype.
      Object.defineProperty(copy, this.redactText(key), {
        value: this.#walk(item, seen),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
}
