/**
 * Folding end to end: a profile of accounts listing the same tools shows each once, with a
 * `janus_account` argument; a call reaches the named account with exactly its own arguments
 * (the fixture echoes what it received). Over stdio and HTTP, at both revisions.
 */
import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/client";
import {
  callText,
  connectBroker,
  connectHttp,
  fixtureArgs,
  REVISIONS,
  runCli,
  startHttpBroker,
  writeConfig,
} from "./harness.ts";

/** An account running the argument-echoing fixture. */
function argsAccount(id: string): Record<string, unknown> {
  return {
    id,
    service: "args",
    label: `Args ${id.toUpperCase()}`,
    command: "deno",
    args: fixtureArgs("tests/fixtures/args_upstream.ts"),
    env: { FIXTURE_ACCOUNT: id },
  };
}

const config = (profile: unknown = ["a1", "a2", "a3"]) =>
  writeConfig({
    accounts: ["a1", "a2", "a3"].map(argsAccount),
    profiles: { three: profile },
    exposure: "all",
    bindingMode: "global",
  });

/** What the fixture says it received. */
async function received(client: Client, name: string, args: Record<string, unknown>) {
  const result = await callText(client, name, args);
  assert.equal(result.isError, false, result.text);
  return JSON.parse(result.text) as { account: string; tool: string; arguments: unknown };
}

/** The checks every transport and revision must pass, on a client pointed at the profile. */
async function checkFolded(client: Client): Promise<void> {
  const listed = (await client.listTools()).tools;
  const tools = listed.filter((tool) => !tool.name.startsWith("janus_"));
  // echo_args folds; describe differs per account (its description names it); own_account
  // declares janus_account itself, so it stays apart too.
  assert.deepEqual(tools.map((tool) => tool.name), [
    "echo_args",
    "describe",
    "own_account",
    "a2_describe",
    "a2_own_account",
    "a3_describe",
    "a3_own_account",
  ]);
  const echo = tools[0];
  assert.deepEqual(echo.inputSchema.required, ["janus_account", "text"]);
  assert.deepEqual(echo.inputSchema.properties?.janus_account, { type: "string", enum: ["a1", "a2", "a3"] });
  // The labels are told once for the whole list, not in every folded tool.
  const whoami = listed.find((tool) => tool.name === "janus_whoami");
  assert.match(
    whoami?.description ?? "",
    /Tools that take "janus_account" act as the account it names: a1 = Args A1; a2 = Args A2; a3 = Args A3\.$/,
  );
  assert.equal(JSON.stringify(listed).split("Args A2").length - 1, 1, "each label appears once");

  for (const account of ["a2", "a3", "a1"]) {
    assert.deepEqual(await received(client, "echo_args", { janus_account: account, text: "hi", count: 2 }), {
      account,
      tool: "echo_args",
      arguments: { text: "hi", count: 2 },
    });
  }
  const missing = await callText(client, "echo_args", { text: "hi" });
  assert.equal(missing.isError, true);
  assert.match(missing.text, /pass "janus_account" with one of a1, a2, a3/);
  // Not folded: its own janus_account argument reaches it untouched.
  assert.deepEqual(await received(client, "a2_own_account", { janus_account: "mine" }), {
    account: "a2",
    tool: "own_account",
    arguments: { janus_account: "mine" },
  });
}

for (const revision of REVISIONS) {
  Deno.test(`[${revision}] stdio: a profile's identical tools are listed once and routed by janus_account`, async () => {
    const session = await connectBroker(await config(), revision);
    try {
      const switched = JSON.parse(
        (await callText(session.client, "janus_use_profile", { profile: "three" })).text,
      );
      // The switch tells the model, once, that shared tools take the account argument.
      assert.match(
        switched.message,
        /\d+ of them are shared by several accounts: name the account in their "janus_account" argument/,
      );
      await checkFolded(session.client);
    } finally {
      await session.close();
    }
  });

  Deno.test(`[${revision}] HTTP: a profile's identical tools are listed once and routed by janus_account`, async () => {
    const broker = await startHttpBroker(await config());
    const { client } = await connectHttp(broker.origin, revision);
    try {
      await callText(client, "janus_use_profile", { profile: "three" });
      await checkFolded(client);
    } finally {
      await client.close();
      await broker.stop();
    }
  });
}

Deno.test("a profile with fold: false lists each account's tools apart, as before", async () => {
  const session = await connectBroker(await config({ accounts: ["a1", "a2"], fold: false }), "2025-11-25");
  try {
    const switched = JSON.parse(
      (await callText(session.client, "janus_use_profile", { profile: "three" })).text,
    );
    assert.doesNotMatch(switched.message, /janus_account/, "nothing is shared when folding is off");
    const names = (await session.client.listTools()).tools.map((tool) => tool.name)
      .filter((name) => !name.startsWith("janus_"));
    assert.deepEqual(names, [
      "echo_args",
      "describe",
      "own_account",
      "a2_echo_args",
      "a2_describe",
      "a2_own_account",
    ]);
    assert.equal((await received(session.client, "a2_echo_args", { text: "x" })).account, "a2");
  } finally {
    await session.close();
  }
});

Deno.test("janusmcp call takes a folded tool's account from --account or from janus_account", async () => {
  const path = await config();
  const cli = (...args: string[]) =>
    runCli(["call", "echo_args", "--config", path, "--json", "--direct", ...args]);
  await runCli(["use", "three", "--config", path, "--direct"]);
  const viaArgument = await cli("--args", JSON.stringify({ janus_account: "a3", text: "hi" }));
  assert.equal(viaArgument.code, 0, viaArgument.stderr);
  const reply = JSON.parse(viaArgument.stdout) as { account: string; content: { text: string }[] };
  assert.equal(reply.account, "a3");
  assert.deepEqual(JSON.parse(reply.content[0].text).arguments, { text: "hi" });

  const viaFlag = await cli("--account", "a2", "--args", JSON.stringify({ text: "hi" }));
  assert.equal(viaFlag.code, 0, viaFlag.stderr);
  assert.equal(JSON.parse(viaFlag.stdout).account, "a2");

  // A tool's own janus_account argument (no account id) is passed on untouched.
  const own = await runCli([
    "call",
    "own_account",
    "--account",
    "a2",
    "--config",
    path,
    "--json",
    "--direct",
    "--args",
    JSON.stringify({ janus_account: "mine" }),
  ]);
  assert.equal(own.code, 0, own.stderr);
  assert.deepEqual(JSON.parse(JSON.parse(own.stdout).content[0].text).arguments, { janus_account: "mine" });

  const listed = await runCli(["tools", "three", "--config", path, "--direct"]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^# a1, a2, a3 \(shared; --account picks one\) — 1 tool\necho_args /);
  assert.match(listed.stdout, /\n# a2 \(args\) — 2 tools\ndescribe +Describes account a2\.\nown_account /);

  const disagree = await cli(
    "--account",
    "a2",
    "--args",
    JSON.stringify({ janus_account: "a3", text: "hi" }),
  );
  assert.equal(disagree.code, 2, disagree.stderr);
  assert.match(disagree.stderr, /disagree/);
});
