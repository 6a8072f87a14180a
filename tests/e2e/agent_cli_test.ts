/**
 * The agent CLI as a shell sees it, in-process mode (no daemon): every command and exit code,
 * raw and --json, against real fixture upstreams started by the real CLI process.
 */
import assert from "node:assert/strict";
import { agentFixture, envelope, fileAppears, ownStderr, spawnCli } from "./agent_cli_helpers.ts";

Deno.test("tools lists the current account's tools under a header; --json keys full definitions by account", async () => {
  const f = await agentFixture();
  try {
    const raw = await f.cli(["tools"]);
    assert.equal(raw.code, 0, raw.stderr);
    const lines = raw.stdout.split("\n");
    assert.match(lines[0], /^# a1 \(fixture\) — \d+ tools$/);
    assert.ok(lines.includes("echo        Echo the text back, prefixed with the account."), raw.stdout);
    assert.ok(lines.includes("only_a1     Exists only on a1."), raw.stdout);
    assert.ok(!raw.stdout.includes("janus_"), "control tools are not listed");

    const json = await f.cli(["--json", "tools", "both"]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stdout.trim().split("\n").length, 1);
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.ok, true);
    assert.deepEqual(doc.selector, { kind: "profile", name: "both" });
    assert.deepEqual(Object.keys(doc.accounts), ["a1", "a2"]);
    const echo = doc.accounts.a2.tools.find((t: { name: string }) => t.name === "echo");
    assert.deepEqual(echo.inputSchema.required, ["text"], "full definitions, schema included");
  } finally {
    await f.cleanup();
  }
});

Deno.test("tools --search lists only the best matches, by account, under their own names", async () => {
  const f = await agentFixture();
  try {
    const json = await f.cli(["tools", "both", "--search", "process id of the server", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout);
    // In the profile the second account's pid is exposed as a2_pid; the CLI names it as its account does.
    assert.equal(doc.accounts.a1.tools[0].name, "pid");
    assert.equal(doc.accounts.a2.tools[0].name, "pid");
    assert.ok(doc.accounts.a1.tools.length < 10, "only matches, not the whole list");
    const none = await f.cli(["tools", "--search", "zzqx nothing matches this"]);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /^# a1 \(fixture\) — 0 tools$/m);
    const empty = await f.cli(["tools", "--search="]);
    assert.equal(empty.code, 2, "an empty query is a usage error");
  } finally {
    await f.cleanup();
  }
});

Deno.test("tools over a profile prints the shared tools once, then one block per account; an account that cannot start exits 5", async () => {
  const f = await agentFixture({ profiles: { both: ["a1", "a2"], mixed: ["a1", "broken"] } });
  try {
    const both = await f.cli(["tools", "both"]);
    assert.equal(both.code, 0, both.stderr);
    const headers = both.stdout.split("\n").filter((line) => line.startsWith("# "));
    assert.equal(headers.length, 3);
    assert.match(headers[0], /^# a1, a2 \(shared; --account picks one\) — \d+ tools$/);
    assert.equal(headers[2], "# a2 (fixture) — 1 tool", "only its own only_a2 is left");
    assert.ok(both.stdout.includes("\n\n# a2"), "a blank line between accounts");

    const mixed = await f.cli(["tools", "mixed", "--json"]);
    assert.equal(mixed.code, 5);
    const doc = JSON.parse(mixed.stdout);
    assert.equal(doc.ok, false);
    assert.ok(doc.accounts.a1.tools.length > 0, "the healthy account is still listed");
    assert.equal(doc.accounts.broken.error.code, "upstream");
    assert.equal(envelope(mixed).error.code, "upstream");
  } finally {
    await f.cleanup();
  }
});

Deno.test("schema prints one tool's definition; --json wraps it with the account", async () => {
  const f = await agentFixture();
  try {
    const raw = await f.cli(["schema", "echo"]);
    assert.equal(raw.code, 0, raw.stderr);
    const tool = JSON.parse(raw.stdout);
    assert.equal(tool.name, "echo");
    assert.ok(raw.stdout.startsWith("{\n  "), "pretty-printed");
    const json = await f.cli(["schema", "--account", "a2", "only_a2", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(Object.keys(JSON.parse(json.stdout)), ["ok", "account", "tool"]);
    assert.equal(JSON.parse(json.stdout).account, "a2");
  } finally {
    await f.cleanup();
  }
});

Deno.test("call prints text content one item per line; --json prints one result line", async () => {
  const f = await agentFixture();
  try {
    const raw = await f.cli(["call", "echo", "--args", '{"text":"hi"}']);
    assert.equal(raw.code, 0, raw.stderr);
    assert.equal(raw.stdout, "a1:hi\n");
    const json = await f.cli(["call", "--json", "echo", "--args", '{"text":"hi"}']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), {
      ok: true,
      account: "a1",
      tool: "echo",
      isError: false,
      content: [{ type: "text", text: "a1:hi" }],
    });
  } finally {
    await f.cleanup();
  }
});

Deno.test("call reads arguments from --args, else stdin, else {}; flags go before or after the tool", async () => {
  const f = await agentFixture();
  try {
    const fromStdin = await f.cli(["call", "echo"], { stdin: '{"text":"piped"}' });
    assert.equal(fromStdin.stdout, "a1:piped\n", fromStdin.stderr);
    const argsWin = await f.cli(["--args", '{"text":"flag"}', "call", "--account", "a2", "echo"], {
      stdin: '{"text":"ignored"}',
    });
    assert.equal(argsWin.stdout, "a2:flag\n", argsWin.stderr);
    const empty = await f.cli(["call", "whoami"], { stdin: "" });
    assert.equal(empty.stdout, "account:a1\n", empty.stderr);
  } finally {
    await f.cleanup();
  }
});

Deno.test("call arguments that are not a JSON object are a usage error naming the problem (exit 2)", async () => {
  const f = await agentFixture();
  try {
    const cases: [string[], string | undefined, RegExp][] = [
      [["--args", "{bad"], undefined, /^--args is not valid JSON: /],
      [["--args", "null"], undefined, /^--args must be a JSON object of tool arguments, got null$/],
      [["--args", "[1,2]"], undefined, /got an array$/],
      [["--args", '"text"'], undefined, /got a string$/],
      [[], "42", /^stdin must be a JSON object of tool arguments, got a number$/],
      [[], "{not json", /^stdin is not valid JSON: /],
    ];
    for (const [flags, stdin, pattern] of cases) {
      const result = await f.cli(["call", "echo", "--json", ...flags], { stdin });
      assert.equal(result.code, 2, `${flags.join(" ")} ${stdin}: ${result.stderr}`);
      assert.equal(result.stdout, "");
      const { error } = envelope(result);
      assert.equal(error.code, "usage");
      assert.match(error.message, pattern);
    }
    // No upstream was started for bad arguments: nothing to cancel, nothing marked.
    assert.deepEqual([...Deno.readDirSync(f.marks)], []);
  } finally {
    await f.cleanup();
  }
});

Deno.test("a name several accounts of the profile share is ambiguous_tool (exit 3) naming the candidates", async () => {
  const f = await agentFixture({ defaultAccount: "a1" });
  try {
    assert.equal((await f.cli(["use", "both"])).code, 0);
    const raw = await f.cli(["call", "echo", "--args", '{"text":"x"}']);
    assert.equal(raw.code, 3);
    assert.equal(raw.stdout, "");
    assert.match(ownStderr(raw.stderr), /tool "echo" is offered by 2 accounts of profile "both": a1, a2/);
    const json = await f.cli(["schema", "echo", "--json"]);
    assert.equal(json.code, 3);
    assert.equal(envelope(json).error.code, "ambiguous_tool");
    assert.match(envelope(json).error.message, /a1, a2; pass --account/);
    // A name only one member has is not ambiguous; --account settles the shared one.
    assert.equal((await f.cli(["call", "only_a2"])).stdout, "only on a2\n");
    assert.equal(
      (await f.cli(["call", "echo", "--account", "a2", "--args", '{"text":"x"}'])).stdout,
      "a2:x\n",
    );
  } finally {
    await f.cleanup();
  }
});

Deno.test("unknown tools, accounts and selectors are exit 3 with what exists", async () => {
  const f = await agentFixture();
  try {
    const tool = await f.cli(["call", "nope", "--json"]);
    assert.equal(tool.code, 3);
    assert.deepEqual(envelope(tool).error, {
      code: "selector",
      message: 'no tool "nope" on account "a1"; run "janusmcp tools" to list them',
    });
    const account = await f.cli(["call", "echo", "--account", "zz"]);
    assert.equal(account.code, 3);
    assert.match(
      ownStderr(account.stderr),
      /no account "zz" \(accounts: a1, a2, old, broken; profiles: both\)/,
    );
    const selector = await f.cli(["tools", "zz", "--json"]);
    assert.equal(selector.code, 3);
    assert.match(envelope(selector).error.message, /no account or profile named "zz"/);
  } finally {
    await f.cleanup();
  }
});

Deno.test("a tool that returns isError exits 6: content on stdout, the error on stderr", async () => {
  const f = await agentFixture();
  try {
    const raw = await f.cli(["call", "fail"]);
    assert.equal(raw.code, 6);
    assert.equal(raw.stdout, "failed on a1\n");
    assert.match(ownStderr(raw.stderr), /^janusmcp: tool "fail" on account "a1" returned an error\n$/);
    const json = await f.cli(["call", "fail", "--json"]);
    assert.equal(json.code, 6);
    assert.deepEqual(JSON.parse(json.stdout), {
      ok: false,
      account: "a1",
      tool: "fail",
      isError: true,
      content: [{ type: "text", text: "failed on a1" }],
    });
    assert.equal(envelope(json).error.code, "tool_error");
  } finally {
    await f.cleanup();
  }
});

Deno.test("a tool that needs input exits 7, from a 2026 upstream (input_required) and a 2025 one (elicitation)", async () => {
  const f = await agentFixture();
  try {
    for (const account of ["a1", "old"]) {
      const result = await f.cli(["call", "ask_name", "--account", account, "--json"]);
      assert.equal(result.code, 7, `${account}: ${result.stderr}`);
      assert.equal(result.stdout, "");
      const { error } = envelope(result);
      assert.equal(error.code, "input_required");
      assert.match(
        error.message,
        new RegExp(`tool "ask_name" on account "${account}" needs input .*Your name\\?`),
      );
    }
  } finally {
    await f.cleanup();
  }
});

Deno.test("an account whose upstream cannot start is exit 5", async () => {
  const f = await agentFixture();
  try {
    const result = await f.cli(["call", "echo", "--account", "broken", "--json"]);
    assert.equal(result.code, 5);
    assert.equal(envelope(result).error.code, "upstream");
    assert.match(envelope(result).error.message, /account "broken": could not connect/);
  } finally {
    await f.cleanup();
  }
});

Deno.test("--timeout exits 124 and beats JANUS_CLI_TIMEOUT; a bad duration is a usage error", async () => {
  const f = await agentFixture();
  try {
    const slow = ["call", "slow", "--account", "a1", "--args", '{"ms":60000}', "--json"];
    const fromFlag = await f.cli([...slow, "--timeout", "4s"], { env: { JANUS_CLI_TIMEOUT: "10m" } });
    assert.equal(fromFlag.code, 124, fromFlag.stderr);
    assert.deepEqual(envelope(fromFlag).error, {
      code: "timeout",
      message: "timed out after 4s; the call was cancelled",
    });
    const fromEnv = await f.cli(slow, { env: { JANUS_CLI_TIMEOUT: "4000ms" } });
    assert.equal(fromEnv.code, 124);
    assert.match(envelope(fromEnv).error.message, /after 4000ms/);
    const bad = await f.cli(["call", "whoami", "--timeout", "soon", "--json"]);
    assert.equal(bad.code, 2);
    assert.match(envelope(bad).error.message, /^--timeout must be a positive duration/);
    const badEnv = await f.cli(["call", "whoami"], { env: { JANUS_CLI_TIMEOUT: "-1" } });
    assert.equal(badEnv.code, 2);
    // A generous timeout does not get in the way.
    assert.equal((await f.cli(["call", "whoami", "--timeout", "5m"])).stdout, "account:a1\n");
  } finally {
    await f.cleanup();
  }
});

Deno.test("SIGINT exits 130 and the upstream sees the call cancelled", async () => {
  const f = await agentFixture();
  try {
    const child = spawnCli(
      // The fixture notices the cancellation at once and leaves a mark before the broker,
      // exiting, stops it.
      ["call", "slow", "--account", "a1", "--args", '{"ms":8000}', "--config", f.configPath],
      { JANUS_STATE_DIR: f.stateDir, JANUS_DAEMON: "off" },
    );
    assert.ok(await fileAppears(`${f.marks}/started-a1`), "the call reached the upstream");
    child.kill("SIGINT");
    const output = await child.output();
    assert.equal(output.code, 130);
    assert.match(new TextDecoder().decode(output.stderr), /janusmcp: interrupted; the call was cancelled/);
    assert.ok(await fileAppears(`${f.marks}/cancelled-a1`, 10_000), "the upstream saw the cancellation");
  } finally {
    await f.cleanup();
  }
});

Deno.test("use sets the persisted global selector; tools/schema/call never change it", async () => {
  const f = await agentFixture();
  const statePath = `${f.dir}/state.json`;
  try {
    const used = await f.cli(["use", "a2", "--json"]);
    assert.equal(used.code, 0, used.stderr);
    assert.deepEqual(JSON.parse(used.stdout), {
      ok: true,
      selector: { kind: "account", id: "a2" },
      previous: { kind: "account", id: "a1" },
      accounts: ["a2"],
    });
    const saved = await Deno.readFile(statePath);
    assert.equal((await f.cli(["call", "whoami"])).stdout, "account:a2\n");
    await f.cli(["call", "whoami", "--account", "a1"]);
    await f.cli(["tools", "a1"]);
    await f.cli(["schema", "echo", "--account", "a1"]);
    assert.deepEqual(await Deno.readFile(statePath), saved, "one-shot commands left state.json alone");

    const raw = await f.cli(["use", "both"]);
    assert.equal(raw.stdout, 'Now using profile "both" (was account "a2").\n');
    const unknown = await f.cli(["use", "nobody", "--json"]);
    assert.equal(unknown.code, 3);
    assert.equal(envelope(unknown).error.code, "selector");
  } finally {
    await f.cleanup();
  }
});

Deno.test("locked mode refuses use and other accounts (exit 3) and still serves the locked one", async () => {
  const f = await agentFixture({ bindingMode: "locked", defaultAccount: "a1" });
  try {
    const use = await f.cli(["use", "a2", "--json"]);
    assert.equal(use.code, 3);
    assert.match(envelope(use).error.message, /bindingMode is "locked": switching is refused/);
    const other = await f.cli(["call", "whoami", "--account", "a2", "--json"]);
    assert.equal(other.code, 3);
    assert.match(envelope(other).error.message, /only account "a1" may be used/);
    assert.equal((await f.cli(["call", "whoami", "--account", "a1"])).stdout, "account:a1\n");
    await assert.rejects(Deno.stat(`${f.dir}/state.json`), Deno.errors.NotFound);
  } finally {
    await f.cleanup();
  }
});

Deno.test("agent and daemon commands refuse stray arguments and contradicting flags (exit 2)", async () => {
  const f = await agentFixture();
  try {
    for (
      const args of [
        ["call"],
        ["call", "a", "b"],
        ["schema"],
        ["use"],
        ["tools", "a1", "a2"],
        ["call", "whoami", "--direct", "--daemon"],
        ["tools", "--account", "a1"],
        ["daemon"],
        ["daemon", "bogus"],
        ["daemon", "start", "extra"],
      ]
    ) {
      const result = await f.cli([...args, "--json"]);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.equal(envelope(result).error.code, "usage", args.join(" "));
    }
    const env = await f.cli(["tools"], { env: { JANUS_DAEMON: "sometimes" } });
    assert.equal(env.code, 2);
    assert.match(ownStderr(env.stderr), /JANUS_DAEMON must be auto, require or off/);
  } finally {
    await f.cleanup();
  }
});
