/**
 * Scrubbing results on their way out, without ever breaking them. Text is redacted in place (see
 * redact.ts). Binary content — image and audio items, blob resources — is never edited: its bytes
 * are decoded and searched, and an item that holds a secret is replaced whole by a short text
 * notice naming the secret's reference. Pure: no I/O.
 */
import { isRecord } from "../values.ts";
import type { Redactor } from "./redact.ts";

/** Names a secret for a notice (`vault:NAME`, `${NAME}`), from the name the redactor knows it by. */
export type ReferenceOf = (name: string) => string;

/** A copy of a JSON-like value with text redacted and leaking binary items replaced by notices. */
export function scrubContent<T>(value: T, redactor: Redactor, referenceOf: ReferenceOf): T {
  if (redactor.size === 0) return value;
  return walk(value, redactor, referenceOf) as T;
}

/** `searched`: the value's binary was already searched (an embedded resource, by its item). */
function walk(value: unknown, redactor: Redactor, referenceOf: ReferenceOf, searched = false): unknown {
  if (typeof value === "string") return redactor.redactText(value);
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => walk(item, redactor, referenceOf));
  if (!isPlainObject(value)) return value;
  const leak = searched ? undefined : binaryLeak(value, redactor);
  if (leak) return notice(value, leak.kind, referenceOf(leak.name));
  const embedded = value.type === "resource";
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // Defined, not assigned, so a key "__proto__" stays a plain key instead of a prototype.
    Object.defineProperty(copy, redactor.redactText(key), {
      value: binaryField(value, key)
        ? item
        : walk(item, redactor, referenceOf, embedded && key === "resource"),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/** Whether `object[key]` is base64 binary that must pass untouched (it was searched already). */
function binaryField(object: Record<string, unknown>, key: string): boolean {
  return (key === "data" && isMediaItem(object)) || (key === "blob" && typeof object.blob === "string");
}

function isMediaItem(object: Record<string, unknown>): boolean {
  return (object.type === "image" || object.type === "audio") && typeof object.data === "string";
}

/** The secret a binary item carries, if any: in its decoded bytes, or in an embedded blob. */
function binaryLeak(
  object: Record<string, unknown>,
  redactor: Redactor,
): { kind: string; name: string } | undefined {
  let encoded: string | undefined;
  let kind = "";
  if (isMediaItem(object)) {
    encoded = object.data as string;
    kind = object.type as string;
  } else if (typeof object.blob === "string") {
    encoded = object.blob;
    kind = "blob";
  } else if (
    object.type === "resource" && isRecord(object.resource) && typeof object.resource.blob === "string"
  ) {
    encoded = object.resource.blob;
    kind = "embedded blob";
  }
  if (encoded === undefined) return undefined;
  const name = redactor.findInBytes(decodeBase64(encoded) ?? encoded);
  return name === undefined ? undefined : { kind, name };
}

/** The byte string (one char per byte) of base64 text, or undefined when it is not base64. */
function decodeBase64(encoded: string): string | undefined {
  try {
    return atob(encoded);
  } catch {
    // Not base64 as sent: searched as text instead, still never edited.
    return undefined;
  }
}

/** What replaces a withheld item: a content item stays a content item, resource contents keep their URI. */
function notice(object: Record<string, unknown>, kind: string, reference: string): Record<string, unknown> {
  const text = `[janusmcp: ${kind} withheld: it contains the value of the secret ${reference}]`;
  if (typeof object.type === "string") return { type: "text", text };
  return { ...(typeof object.uri === "string" ? { uri: object.uri } : {}), mimeType: "text/plain", text };
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
