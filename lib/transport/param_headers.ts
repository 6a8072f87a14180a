/**
 * SEP-2243 (2026-07-28 over HTTP): a tool may declare that an argument is mirrored into a request
 * header (`"x-mcp-header": "Region"` → `Mcp-Param-Region`), so proxies can route on it. The server
 * must refuse a call whose header is missing or disagrees with the body (pure). Which arguments are
 * mirrored, and how values are spelt, is shared with the upstream side (lib/protocol/param_headers.ts).
 */
import { paramHeaderDeclarations, paramHeaderText, valueAt } from "../protocol/mod.ts";

/** A header value: literal, or `=?base64?…?=` carrying UTF-8; undefined when the encoding is broken. */
export function decodeParamHeader(value: string): string | undefined {
  const wrapped = /^=\?base64\?(.*)\?=$/.exec(value);
  if (!wrapped) return value;
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(wrapped[1])) return undefined;
  try {
    const binary = atob(wrapped[1]);
    // One value, one spelling: non-zero padding bits would let the header differ from what an intermediary sees.
    if (btoa(binary) !== wrapped[1]) return undefined;
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Why a call's `Mcp-Param-*` headers do not match its arguments, or undefined when they do. */
export function paramHeaderMismatch(
  inputSchema: { properties?: Record<string, unknown> },
  args: Record<string, unknown> | undefined,
  headers: Headers,
): string | undefined {
  for (const { path, header } of paramHeaderDeclarations(inputSchema)) {
    const value = valueAt(args, path);
    if (value === undefined || value === null) continue;
    const sent = headers.get(`Mcp-Param-${header}`);
    if (sent !== null && decodeParamHeader(sent) === (paramHeaderText(value) ?? String(value))) continue;
    return `Mcp-Param-${header} ${sent === null ? "is missing" : "does not match"} argument ${
      path.join(".")
    }`;
  }
  return undefined;
}
