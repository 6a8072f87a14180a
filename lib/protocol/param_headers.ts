/**
 * SEP-2243 (2026-07-28 over HTTP), the parts both directions share (pure): which arguments a tool
 * mirrors into `Mcp-Param-*` request headers (`"x-mcp-header": "Region"` on a property), and how
 * a value is spelt in a header. The broker's HTTP front checks them on the way in
 * (lib/transport/param_headers.ts); its upstream connections send them on the way out, computed
 * from the upstream tool's own schema as a direct client would.
 */
import { isRecord } from "../values.ts";

/** One argument a tool mirrors into a header. */
export interface ParamHeaderDeclaration {
  /** The property path from the arguments object (a chain of `properties` keys). */
  path: string[];
  /** The header name without its prefix: `Region` for `Mcp-Param-Region`. */
  header: string;
}

const BASE64_PREFIX = "=?base64?";
const BASE64_SUFFIX = "?=";

/**
 * Declarations found per schema object. A listed tool's schema is the upstream's object until its
 * list changes, and every 2026 `tools/call` over HTTP asks (the header check on the way in, the
 * headers on the way out): the walk cost 8 µs per call in the December profile.
 */
const declarationsOf = new WeakMap<object, readonly ParamHeaderDeclaration[]>();

/** The `x-mcp-header` declarations of a tool's input schema, reachable through `properties` chains. */
export function paramHeaderDeclarations(inputSchema: unknown): readonly ParamHeaderDeclaration[] {
  if (!isRecord(inputSchema)) return [];
  const known = declarationsOf.get(inputSchema);
  if (known) return known;
  const found = walkDeclarations(inputSchema);
  declarationsOf.set(inputSchema, found);
  return found;
}

function walkDeclarations(inputSchema: Record<string, unknown>): readonly ParamHeaderDeclaration[] {
  const found: ParamHeaderDeclaration[] = [];
  const walk = (schema: unknown, path: string[]) => {
    if (!isRecord(schema) || !isRecord(schema.properties)) return;
    for (const [name, property] of Object.entries(schema.properties)) {
      if (!isRecord(property)) continue;
      const header = property["x-mcp-header"];
      if (typeof header === "string" && header !== "") found.push({ path: [...path, name], header });
      walk(property, [...path, name]);
    }
  };
  walk(inputSchema, []);
  return Object.freeze(found.map((declaration) => Object.freeze(declaration)));
}

/** A primitive argument as header text (strings as they are, numbers in decimal, booleans lowercase). */
export function paramHeaderText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Spells a value for a header: literally when it is plain visible ASCII, else `=?base64?…?=` of its UTF-8. */
export function encodeParamHeader(value: string): string {
  const plain = value !== "" && value === value.trim() && /^[\x20-\x7e\t]*$/.test(value) &&
    !(value.startsWith(BASE64_PREFIX) && value.endsWith(BASE64_SUFFIX));
  if (plain) return value;
  const bytes = new TextEncoder().encode(value);
  return `${BASE64_PREFIX}${btoa(String.fromCharCode(...bytes))}${BASE64_SUFFIX}`;
}

/** The `Mcp-Param-*` headers a `tools/call` with these arguments carries (absent or null values send none). */
export function paramHeadersFor(
  inputSchema: unknown,
  args: Record<string, unknown> | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { path, header } of paramHeaderDeclarations(inputSchema)) {
    const text = paramHeaderText(valueAt(args, path));
    if (text !== undefined) headers[`Mcp-Param-${header}`] = encodeParamHeader(text);
  }
  return headers;
}

/** The argument at a property path, if there is one. */
export function valueAt(args: unknown, path: readonly string[]): unknown {
  let node = args;
  for (const key of path) {
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return node;
}
