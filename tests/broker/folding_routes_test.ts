/**
 * Folding in the routing core, in-process against real fixture upstream processes (the
 * argument-echoing fixture): what happens to a call that names an account after that account's
 * copy of the tool went away.
 */
import assert from "node:assert/strict";
import { Broker } from "../../lib/broker/broker.ts";
import { formatProblem, validateConfig } from "../../lib/config/validate.ts";
import type { JanusConfig } from "../../lib/config/types.ts";
import { fixtureArgs } from "../e2e/harness.ts";

const argsAccount = (id: string, command = "deno") => ({
  id,
  service: "args",
  command,
  args: fixtureArgs("tests/fixtures/args_upstream.ts"),
  env: { FIXTURE_ACCOUNT: id },
});

function configOf(accounts: Record<string, unknown>[]): JanusConfig {
  const validated = validateConfig({ accounts, profiles: { both: ["a1", "a2"] }, exposure: "all" });
  if (!validated.ok) throw new Error(validated.problems.map(formatProblem).join("\n"));
  return validated.config;
}

const text = (result: Record<string, unknown>) =>
  ((result.content ?? []) as { text?: string }[]).map((c) => c.text ?? "").join("");

Deno.test("a call naming an account whose copy of a folded tool went away is refused, never run as another", async () => {
  const broker = new Broker({
    config: configOf([argsAccount("a1"), argsAccount("a2")]),
    sources: { env: (name) => Deno.env.get(name) },
    persistGlobal: () => Promise.resolve(),
    log: () => {},
  });
  const session = broker.openSession("test");
  try {
    await broker.callTool(session, { name: "janus_use_profile", arguments: { profile: "both" } });
    const folded = (await broker.listTools(session)).find((tool) => tool.name === "echo_args");
    assert.deepEqual(folded?.inputSchema.required, ["janus_account", "text"]);

    // a2 can no longer start: its tools are gone, and echo_args is a1's own tool again.
    await broker.reload(configOf([argsAccount("a1"), argsAccount("a2", "/nonexistent/janus-test-program")]));
    const plain = (await broker.listTools(session)).find((tool) => tool.name === "echo_args");
    assert.deepEqual(plain?.inputSchema.required, ["text"]);

    // A client that listed before the change still names a2: refused, not acted on as a1.
    const stale = await broker.callTool(session, {
      name: "echo_args",
      arguments: { janus_account: "a2", text: "hi" },
    });
    assert.equal(stale.isError, true, text(stale));
    assert.match(text(stale), /acts as account a1 only/);
    // Naming a1 reaches a1 with exactly its own arguments.
    const own = await broker.callTool(session, {
      name: "echo_args",
      arguments: { janus_account: "a1", text: "hi" },
    });
    assert.deepEqual(JSON.parse(text(own)), { account: "a1", tool: "echo_args", arguments: { text: "hi" } });
  } finally {
    await broker.close();
  }
});
