/**
 * The features of the compatibility matrix and how a client exercises each one against the
 * matrix fixture (tests/fixtures/matrix_server.ts), directly or through the broker. Each run
 * returns one outcome line: the expected one when the feature works, else what the client got.
 */
import { Client, LOG_LEVEL_META_KEY, type Transport } from "@modelcontextprotocol/client";
import type { Revision } from "../harness.ts";

/** Every feature, in table order. */
export const FEATURES = [
  "sample",
  "elicit_form",
  "elicit_url",
  "roots",
  "progress",
  "log",
  "cancel",
  "list_changed",
  "resource_updated",
  "param_header",
] as const;
export type Feature = typeof FEATURES[number];

/** The outcome of each feature when it works. */
export const EXPECTED: Record<Feature, string> = {
  sample: "sampled: banana",
  elicit_form: "form: accept Ann",
  elicit_url: "url: accept",
  roots: "roots: file:///work",
  progress: "progress: done after 3 reports",
  log: "log: sent, heard 'matrix says hello'",
  cancel: "cancel: reached the upstream",
  list_changed: "list_changed: heard",
  resource_updated: "resource_updated: heard",
  param_header: "region: eu-1",
};

/** A client with the matrix's answers wired in and what it heard. */
export interface MatrixClient {
  client: Client;
  revision: Revision;
  /** Notifications received: method and params. */
  heard: { method: string; params?: Record<string, unknown> }[];
  close(): Promise<void>;
}

/** Connects a client that answers sampling, both elicitation modes and roots. */
export async function connectMatrixClient(transport: Transport, revision: Revision): Promise<MatrixClient> {
  const client = new Client({ name: "janus-matrix", version: "1.0.0" }, {
    capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: {} },
    versionNegotiation: { mode: revision === "2026-07-28" ? { pin: revision } : "legacy" },
  });
  client.setRequestHandler("sampling/createMessage", () => ({
    role: "assistant",
    content: { type: "text", text: "banana" },
    model: "matrix-model",
  }));
  client.setRequestHandler(
    "elicitation/create",
    (request) =>
      request.params.mode === "url" ? { action: "accept" } : { action: "accept", content: { name: "Ann" } },
  );
  client.setRequestHandler("roots/list", () => ({ roots: [{ uri: "file:///work", name: "work" }] }));
  const heard: MatrixClient["heard"] = [];
  client.fallbackNotificationHandler = (notification) => {
    heard.push({ method: notification.method, params: notification.params as Record<string, unknown> });
    return Promise.resolve();
  };
  for (
    const method of [
      "notifications/message",
      "notifications/resources/updated",
      "notifications/tools/list_changed",
    ]
  ) {
    client.setNotificationHandler(method as "notifications/message", (notification) => {
      heard.push({ method, params: notification.params as Record<string, unknown> });
    });
  }
  await client.connect(transport);
  if (revision === "2026-07-28") {
    // 2026: changes arrive on a listen stream only; the log level travels with each request.
    await client.listen({ toolsListChanged: true, resourcesListChanged: true }).catch(() => {});
  } else {
    await client.setLoggingLevel("info").catch(() => {});
  }
  await client.listTools(); // the SDK client mirrors x-mcp-header arguments from its cached list
  return { client, revision, heard, close: () => client.close() };
}

/**
 * Runs one feature. `tool` maps a fixture tool name to what this client calls it; `resource` is
 * the watched resource's URI as this client lists it; `extra` goes into every call's arguments
 * (the account argument of a tool the broker folded).
 */
export async function runFeature(
  c: MatrixClient,
  feature: Feature,
  tool: (name: string) => string,
  resource: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  try {
    return await exercise(c, feature, tool, resource, extra);
  } catch (error) {
    return `error: ${error instanceof Error ? error.message : String(error)}`.replaceAll("\n", " ");
  }
}

async function exercise(
  c: MatrixClient,
  feature: Feature,
  tool: (name: string) => string,
  resource: string,
  extra: Record<string, unknown>,
) {
  const call = async (name: string, args: Record<string, unknown> = {}, options = {}) => {
    const _meta = c.revision === "2026-07-28" ? { [LOG_LEVEL_META_KEY]: "info" } : undefined;
    const result = await c.client.callTool(
      { name: tool(name), arguments: { ...extra, ...args }, ...(_meta ? { _meta } : {}) },
      options,
    );
    const text = ((result.content ?? []) as { text?: string }[]).map((item) => item.text ?? "").join(" ");
    return result.isError ? `tool error: ${text}` : text;
  };
  const since = c.heard.length;
  const heardSince = (method: string, test: (params?: Record<string, unknown>) => boolean = () => true) =>
    c.heard.slice(since).some((note) => note.method === method && test(note.params));
  switch (feature) {
    case "sample":
      return await call("sample");
    case "elicit_form":
      return await call("elicit_form");
    case "elicit_url":
      return await call("elicit_url");
    case "roots":
      return await call("roots");
    case "param_header":
      return await call("region", { region: "eu-1" });
    case "progress": {
      let reports = 0;
      const text = await call("progress", {}, { onprogress: () => reports++ });
      return text === "progress: done" ? `progress: done after ${reports} reports` : text;
    }
    case "log": {
      const text = await call("log");
      const ok = await eventually(() =>
        heardSince("notifications/message", (p) => p?.data === "matrix says hello")
      );
      return ok ? `${text}, heard 'matrix says hello'` : `${text}, but no log message reached the client`;
    }
    case "cancel": {
      const before = await call("cancelled");
      const abort = new AbortController();
      const waiting = call("wait", {}, { signal: abort.signal }).catch(() => "aborted");
      await new Promise((resolve) => setTimeout(resolve, 300));
      abort.abort();
      await waiting;
      const reached = await eventually(async () => (await call("cancelled")) !== before);
      return reached ? EXPECTED.cancel : "cancel: the upstream never saw it";
    }
    case "list_changed": {
      await call("grow");
      const ok = await eventually(() => heardSince("notifications/tools/list_changed"));
      return ok ? EXPECTED.list_changed : "list_changed: never heard";
    }
    case "resource_updated": {
      const stop = await follow(c, resource);
      try {
        await call("touch");
        const ok = await eventually(() =>
          heardSince("notifications/resources/updated", (p) => p?.uri === resource)
        );
        return ok ? EXPECTED.resource_updated : "resource_updated: never heard";
      } finally {
        await stop();
      }
    }
  }
}

/** Follows a resource the way the client's revision does it; returns how to stop. */
async function follow(c: MatrixClient, uri: string): Promise<() => Promise<void>> {
  if (c.revision === "2025-11-25") {
    await c.client.subscribeResource({ uri });
    return async () => void await c.client.unsubscribeResource({ uri }).catch(() => {});
  }
  const subscription = await c.client.listen({ resourceSubscriptions: [uri] });
  return async () => void await subscription.close().catch(() => {});
}

/** Polls until `check` holds, for at most `ms`. */
async function eventually(check: () => boolean | Promise<boolean>, ms = 4000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return await check();
}
