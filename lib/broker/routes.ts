import { isRecord } from "../values.ts";
/**
 * Route tables (pure): the names and URIs a session sees, each mapped back to the account that
 * owns it and the name or URI that account uses. Inside a profile, the first account keeps its
 * names; a later account's clashing name becomes `<accountId>_<name>`, and a clashing URI or URI
 * template becomes `janus://<accountId>/<original>`.
 */

/** Where an exposed name or URI really lives. */
export interface Route {
  accountId: string;
  /** The name (tools, prompts) or URI / URI template (resources) the upstream uses. */
  upstream: string;
  /**
   * A folded tool (tool_folding.ts): it acts as any of `accounts` (`accountId` is the first),
   * chosen per call by the argument named `argument`.
   */
  folded?: { argument: string; accounts: readonly string[] };
}

/** One account's items, in the order the selector lists accounts. */
export interface AccountItems<T> {
  accountId: string;
  items: readonly T[];
}

/** The merged, possibly renamed items and the route of every exposed key. */
export interface RouteTable<T> {
  items: T[];
  routes: Map<string, Route>;
  /** How many of the selector's accounts could not give their list (left out of `items`). */
  unavailable?: number;
}

/** Merges named items (tools, prompts); `reserved` names (control tools) are never reused. */
export function routeByName<T extends { name: string }>(
  catalogs: readonly AccountItems<T>[],
  reserved: ReadonlySet<string> = new Set(),
): RouteTable<T> {
  return merge(catalogs, reserved, (item) => item.name, (item, name) => ({ ...item, name }), namespacedName);
}

/** Merges resources by URI. */
export function routeByUri<T extends { uri: string }>(catalogs: readonly AccountItems<T>[]): RouteTable<T> {
  return merge(catalogs, new Set(), (item) => item.uri, (item, uri) => ({ ...item, uri }), prefixedUri);
}

/** Merges resource templates by URI template. */
export function routeByTemplate<T extends { uriTemplate: string }>(
  catalogs: readonly AccountItems<T>[],
): RouteTable<T> {
  return merge(
    catalogs,
    new Set(),
    (item) => item.uriTemplate,
    (item, uriTemplate) => ({ ...item, uriTemplate }),
    prefixedUri,
  );
}

/** The name a later account's clashing item is exposed under. */
export function namespacedName(accountId: string, name: string): string {
  return `${accountId}_${name}`;
}

const URI_PREFIX = "janus://";

/** The URI a later account's clashing resource is exposed under. */
export function prefixedUri(accountId: string, uri: string): string {
  return `${URI_PREFIX}${accountId}/${uri}`;
}

/** Splits a `janus://<account>/<uri>` URI into its parts, if it is one. */
export function parsePrefixedUri(uri: string): Route | undefined {
  if (!uri.startsWith(URI_PREFIX)) return undefined;
  const rest = uri.slice(URI_PREFIX.length);
  const slash = rest.indexOf("/");
  if (slash <= 0) return undefined;
  return { accountId: rest.slice(0, slash), upstream: rest.slice(slash + 1) };
}

function merge<T>(
  catalogs: readonly AccountItems<T>[],
  reserved: ReadonlySet<string>,
  keyOf: (item: T) => string,
  rename: (item: T, key: string) => T,
  disambiguate: (accountId: string, key: string) => string,
): RouteTable<T> {
  const items: T[] = [];
  const routes = new Map<string, Route>();
  for (const { accountId, items: accountItems } of catalogs) {
    for (const item of accountItems) {
      const key = keyOf(item);
      let exposed = key;
      if (reserved.has(exposed) || routes.has(exposed)) exposed = disambiguate(accountId, key);
      // A second-level clash (an upstream that itself uses the namespaced form) gets a counter.
      for (let n = 2; reserved.has(exposed) || routes.has(exposed); n++) {
        exposed = `${disambiguate(accountId, key)}_${n}`;
      }
      routes.set(exposed, { accountId, upstream: key });
      items.push(exposed === key ? item : rename(item, exposed));
    }
  }
  return { items, routes };
}

/** A read result's contents under the account's janus:// prefix. */
export function withPrefixedContents<R extends Record<string, unknown>>(result: R, accountId: string): R {
  if (!Array.isArray(result.contents)) return result;
  const contents = result.contents.map((item: unknown) =>
    isRecord(item) && typeof item.uri === "string" ? { ...item, uri: prefixedUri(accountId, item.uri) } : item
  );
  return { ...result, contents };
}
