/**
 * One malformed item must not hide an account's whole list: each item of a tools, resources,
 * templates or prompts list is checked against the protocol's schema for its kind; valid items
 * are relayed exactly as the upstream sent them, invalid ones are dropped with their position
 * and the reason. The screening sits on the upstream transport, before the SDK client: on
 * 2026-07-28 the client validates list results itself, and one bad item fails the whole page.
 */
import { specTypeSchemas, type Transport } from "@modelcontextprotocol/client";
import { CATALOG_METHODS, type CatalogKind } from "./catalog.ts";

/** The protocol schema each list kind's items must satisfy. */
const ITEM_SCHEMAS = {
  tools: specTypeSchemas.Tool,
  resources: specTypeSchemas.Resource,
  resourceTemplates: specTypeSchemas.ResourceTemplate,
  prompts: specTypeSchemas.Prompt,
} as const;

/** One dropped item: where it was in the upstream's list, and why it was dropped. */
export interface RejectedItem {
  /** Zero-based position in the whole list (all pages). */
  index: number;
  /** The item's name (or URI) when it has a usable one, to help find it. */
  label?: string;
  reason: string;
}

/** Splits a list into the items to relay (untouched) and the ones dropped. */
export function screenItems(kind: CatalogKind, items: readonly unknown[]): {
  valid: unknown[];
  rejected: RejectedItem[];
} {
  const schema = ITEM_SCHEMAS[kind]["~standard"];
  const valid: unknown[] = [];
  const rejected: RejectedItem[] = [];
  items.forEach((item, index) => {
    const outcome = schema.validate(item);
    if (outcome instanceof Promise) throw new Error("unexpected asynchronous schema"); // zod schemas are sync
    if (!outcome.issues) {
      valid.push(item);
      return;
    }
    const reason = outcome.issues.slice(0, 3).map((issue) => {
      const path = (issue.path ?? []).map((part) =>
        typeof part === "object" ? String(part.key) : String(part)
      );
      return path.length ? `${path.join(".")}: ${issue.message}` : issue.message;
    }).join("; ");
    rejected.push({ index, ...labelOf(item), reason });
  });
  return { valid, rejected };
}

/** A one-line description of the dropped items of one list, for the log. */
export function describeRejected(kind: CatalogKind, rejected: readonly RejectedItem[]): string {
  const each = rejected.map((item) =>
    `#${item.index}${
      item.label === undefined ? "" : ` (${JSON.stringify(item.label).slice(0, 80)})`
    }: ${item.reason}`
  );
  return `dropped ${rejected.length} invalid item${
    rejected.length === 1 ? "" : "s"
  } of its ${kind} list, relaying the rest: ${each.join(" | ")}`;
}

function labelOf(item: unknown): { label?: string } {
  if (typeof item !== "object" || item === null) return {};
  const record = item as Record<string, unknown>;
  for (const key of ["name", "uri", "uriTemplate"]) {
    if (typeof record[key] === "string" && record[key] !== "") return { label: record[key] as string };
  }
  return {};
}

/**
 * Screens list results as they arrive on a connected transport: each page of a list request
 * loses its invalid items (reported with their position in the page) before the client reads it.
 */
export function screenListResponses(
  transport: Transport,
  rejected: (kind: CatalogKind, items: RejectedItem[]) => void,
): void {
  const byMethod = new Map(
    Object.entries(CATALOG_METHODS).map(([kind, how]) => [how.method, kind as CatalogKind]),
  );
  const pending = new Map<string | number, CatalogKind>();
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    if ("method" in message && "id" in message) {
      const kind = byMethod.get(message.method);
      if (kind) pending.set(message.id, kind);
    }
    return send(message, options);
  };
  const deliver = transport.onmessage;
  if (!deliver) return;
  transport.onmessage = (message, extra) => {
    const kind = "id" in message && "result" in message ? pending.get(message.id) : undefined;
    if (kind !== undefined && "id" in message && "result" in message) {
      pending.delete(message.id);
      const field = CATALOG_METHODS[kind].field;
      const items = message.result[field];
      if (Array.isArray(items)) {
        const screened = screenItems(kind, items);
        if (screened.rejected.length) {
          rejected(kind, screened.rejected);
          message = { ...message, result: { ...message.result, [field]: screened.valid } };
        }
      }
    } else if ("id" in message && "error" in message) {
      pending.delete(message.id as string | number);
    }
    deliver(message, extra);
  };
}
