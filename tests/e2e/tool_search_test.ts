/**
 * Tool search end to end, at both revisions, over stdio and HTTP: the list a client is shown
 * depends on its announced name (initialize on 2025-11-25, the request envelope on 2026-07-28),
 * and searching then calling through `janus_call_tool` works like a direct call, input relay
 * included.
 */
import { CONTROL_TOOLS } from "../../lib/broker/control_tools.ts";
import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/client";
import {
  callText,
  connectBroker,
  connectHttp,
  fixtureAccount,
  type Revision,
  REVISIONS,
  startHttpBroker,
  writeConfig,
} from "./harness.ts";

/** A secret the upstreams get from the broker's environment; it must come back redacted. */
const CANARY = `search-canary-${crypto.randomUUID()}`;
// The variable's name says "secret", so its value is redacted (the secret rule, README: Secrets).
const CANARY_VAR = "JANUS_SEARCH_SECRET";
Deno.env.set(CANARY_VAR, CANARY); // HTTP brokers inherit it; stdio ones are given it

/** Two accounts of 55 tools each (the fixture's 15, GitHub- and Slack-shaped ones): past the threshold. */
const CONFIG = {
  accounts: ["alpha", "beta"].map((id) =>
    fixtureAccount(id, {
      env: { FIXTURE_ACCOUNT: id, FIXTURE_CATALOG: "github,slack", FIXTURE_SECRET: "${JANUS_SEARCH_SECRET}" },
    })
  ),
  profiles: { both: ["alpha", "beta"] },
  defaultAccount: "alpha",
};

const SEARCH_LIST = [...CONTROL_TOOLS.map((tool) => tool.name), "janus_search_tools", "janus_call_tool"];

/** Answers elicitation with a name. */
const answering = {
  client: { capabilities: { elicitation: { form: {} } } },
  setup: (client: Client) => {
    client.setRequestHandler("elicitation/create", () => ({ action: "accept", content: { name: "Ann" } }));
  },
};

type Connect = (name: string) => Promise<{ client: Client; close(): Promise<void> }>;

/** Connects clients over one transport at one revision; `stop` ends what it started. */
async function transport(kind: "stdio" | "http", revision: Revision) {
  const config = await writeConfig(CONFIG);
  if (kind === "stdio") {
    const connect: Connect = async (name) => {
      const session = await connectBroker(config, revision, {
        name,
        env: { [CANARY_VAR]: CANARY },
        ...answering,
      });
      return { client: session.client, close: () => session.close() };
    };
    return { connect, stop: () => Promise.resolve() };
  }
  const broker = await startHttpBroker(config);
  const connect: Connect = async (name) => {
    const { client } = await connectHttp(broker.origin, revision, {}, { name, ...answering });
    return { client, close: () => client.close() };
  };
  return { connect, stop: async () => void await broker.stop() };
}

for (const kind of ["stdio", "http"] as const) {
  for (const revision of REVISIONS) {
    Deno.test(`[${kind} ${revision}] a client that loads every schema searches, then calls through janus_call_tool`, async () => {
      const { connect, stop } = await transport(kind, revision);
      try {
        const { client, close } = await connect("some-editor");
        try {
          assert.deepEqual((await client.listTools()).tools.map((t) => t.name), SEARCH_LIST);
          const found = await client.callTool({
            name: "janus_search_tools",
            arguments: { query: "open a new github issue", limit: 3 },
          });
          const results =
            (found.structuredContent as { results: { name: string; account: string }[] }).results;
          assert.deepEqual([results[0].name, results[0].account], ["create_issue", "alpha"]);

          const args = { owner: "acme", repo: "web", title: "Login fails" };
          assert.deepEqual(
            await callText(client, "janus_call_tool", { name: "create_issue", arguments: args }),
            {
              text: `create_issue as alpha: ${JSON.stringify(args)}`,
              isError: false,
            },
          );
          // Input the upstream needs mid-call takes the same relay path as a direct call: the
          // dual-revision fixture asks a 2025 client mid-call, a 2026 one with input_required.
          assert.deepEqual(await callText(client, "janus_call_tool", { name: "ask_name" }), {
            text: revision === "2025-11-25"
              ? "hello Ann from alpha; asked mid-call"
              : "hello Ann from alpha; state:fixture-state-alpha",
            isError: false,
          });
          const leak = await callText(client, "janus_call_tool", { name: "leak" });
          assert.ok(!leak.text.includes(CANARY) && leak.text.includes("[redacted:"), "redaction holds");
          const typo = await callText(client, "janus_call_tool", { name: "create_isue" });
          assert.equal(typo.isError, true);
          assert.match(typo.text, /closest: create_issue/);
        } finally {
          await close();
        }
      } finally {
        await stop();
      }
    });

    Deno.test(`[${kind} ${revision}] a client that searches natively is shown every tool`, async () => {
      const { connect, stop } = await transport(kind, revision);
      try {
        const { client, close } = await connect("claude-code");
        try {
          const names = (await client.listTools()).tools.map((t) => t.name);
          assert.equal(names.length, CONTROL_TOOLS.length + 55);
          assert.ok(names.includes("create_issue") && !names.includes("janus_search_tools"));
        } finally {
          await close();
        }
      } finally {
        await stop();
      }
    });
  }
}
