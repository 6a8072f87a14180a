import assert from "node:assert/strict";
import type { Tool } from "@modelcontextprotocol/server";
import { firstSentence, printCall, printSchema, printTools, printUse } from "../../lib/cli/agent_output.ts";
import { parseArguments } from "../../lib/cli/call.ts";
import { parseDuration } from "../../lib/cli/duration.ts";
import { daemonMode, timeoutOf } from "../../lib/cli/agent_backend.ts";
import { parseAgentRequest } from "../../lib/broker/agent_ops.ts";
import { JanusError } from "../../lib/errors.ts";

const tool = (name: string, description?: string): Tool => ({
  name,
  ...(description === undefined ? {} : { description }),
  inputSchema: { type: "object" },
});

function usage(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof JanusError, String(error));
    assert.equal(error.code, "usage");
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("firstSentence keeps the first sentence on one line", () => {
  assert.equal(firstSentence("Echo it. Then more."), "Echo it.");
  assert.equal(firstSentence("Wait `ms` ms; 1.5 is fine.\nSecond."), "Wait `ms` ms; 1.5 is fine.");
  assert.equal(firstSentence("  no   full stop  "), "no full stop");
  assert.equal(firstSentence("Really? Yes."), "Really?");
  assert.equal(firstSentence(""), "");
});

Deno.test("tools prints an aligned block per account, and an unavailable account with exit 5", () => {
  const printed = printTools({
    op: "tools",
    selector: { kind: "profile", name: "p" },
    accounts: [
      {
        id: "a",
        service: "gh",
        label: "A",
        tools: [tool("x", "Does x. More."), tool("longer"), tool("y", "Y!")],
      },
      { id: "b", service: "gh", label: "B", tools: [tool("only", "One.")] },
    ],
  }, false);
  assert.equal(
    printed.stdout,
    "# a (gh) — 3 tools\nx       Does x.\nlonger\ny       Y!\n\n# b (gh) — 1 tool\nonly  One.\n",
  );
  assert.equal(printed.error, undefined);
  const failed = printTools({
    op: "tools",
    selector: null,
    accounts: [{ id: "c", service: "s", label: "C", error: { code: "auth", message: "needs a login" } }],
  }, false);
  assert.equal(failed.stdout, "# c (s) — unavailable: needs a login\n");
  assert.equal(failed.error?.code, "auth");
  const json = printTools({
    op: "tools",
    selector: null,
    accounts: [{ id: "c", service: "s", label: "C", tools: [] }],
  }, true);
  assert.equal(
    json.stdout,
    '{"ok":true,"selector":null,"accounts":{"c":{"service":"s","label":"C","tools":[]}}}\n',
  );
});

Deno.test("tools prints a tool several accounts share once, before the accounts' own tools", () => {
  const reply = {
    op: "tools" as const,
    selector: { kind: "profile" as const, name: "p" },
    accounts: [
      { id: "a", service: "gh", label: "A", tools: [tool("echo", "Echo."), tool("only_a")] },
      { id: "b", service: "gh", label: "B", tools: [tool("echo", "Echo.")] },
    ],
    folded: [{ name: "echo", accounts: ["a", "b"] }],
  };
  assert.equal(
    printTools(reply, false).stdout,
    "# a, b (shared; --account picks one) — 1 tool\necho  Echo.\n\n# a (gh) — 1 tool\nonly_a\n\n# b (gh) — 0 tools\n",
  );
  assert.deepEqual(JSON.parse(printTools(reply, true).stdout).folded, reply.folded);
});

Deno.test("call prints text one item per line, other content as JSON, structured content only alone", () => {
  const reply = (result: Record<string, unknown>) => ({
    op: "call" as const,
    account: "a",
    tool: "t",
    result,
  });
  const image = { type: "image", data: "AAA=", mimeType: "image/png" };
  assert.equal(
    printCall(
      reply({ content: [{ type: "text", text: "one\ntwo" }, image, { type: "text", text: "" }] }),
      false,
    )
      .stdout,
    `one\ntwo\n${JSON.stringify(image)}\n\n`,
  );
  assert.equal(printCall(reply({ content: [], structuredContent: { n: 1 } }), false).stdout, '{"n":1}\n');
  assert.equal(
    printCall(reply({ content: [{ type: "text", text: "x" }], structuredContent: { n: 1 } }), false).stdout,
    "x\n",
  );
  const json = printCall(
    reply({ content: [{ type: "text", text: "x" }], structuredContent: { n: 1 } }),
    true,
  );
  assert.equal(
    json.stdout,
    '{"ok":true,"account":"a","tool":"t","isError":false,"content":[{"type":"text","text":"x"}],"structuredContent":{"n":1}}\n',
  );
  const failed = printCall(reply({ isError: true, content: [{ type: "text", text: "bad" }] }), false);
  assert.equal(failed.stdout, "bad\n");
  assert.equal(failed.error?.code, "tool_error");
});

Deno.test("schema and use print what they were given", () => {
  assert.equal(
    printSchema({ op: "schema", account: "a", tool: tool("x") }, false).stdout,
    `${JSON.stringify(tool("x"), null, 2)}\n`,
  );
  assert.equal(
    printUse({ op: "use", selector: { kind: "account", id: "b" }, previous: null, accounts: ["b"] }, false)
      .stdout,
    'Now using account "b" (was no account).\n',
  );
});

Deno.test("tool arguments must be a JSON object; the error names the source and the problem", () => {
  assert.deepEqual(parseArguments('{"a":[1]}', "--args"), { a: [1] });
  usage(() => parseArguments("", "--args"), /^--args is not valid JSON/);
  usage(() => parseArguments("null", "stdin"), /^stdin must be a JSON object of tool arguments, got null$/);
  usage(() => parseArguments("[]", "--args"), /got an array$/);
  usage(() => parseArguments("true", "--args"), /got a boolean$/);
});

Deno.test("durations take ms, s, m, h or plain seconds; nothing else", () => {
  assert.equal(parseDuration("500ms", "--timeout"), 500);
  assert.equal(parseDuration("30", "--timeout"), 30_000);
  assert.equal(parseDuration("1.5s", "--timeout"), 1500);
  assert.equal(parseDuration("2m", "--timeout"), 120_000);
  assert.equal(parseDuration("1h", "--timeout"), 3_600_000);
  for (const bad of ["0", "-1", "1d", "soon", "", "0.1ms", "1e3"]) {
    usage(() => parseDuration(bad, "JANUS_CLI_TIMEOUT"), /^JANUS_CLI_TIMEOUT must be a positive duration/);
  }
});

Deno.test("--timeout beats JANUS_CLI_TIMEOUT; --direct/--daemon beat JANUS_DAEMON", () => {
  const args = (values: Record<string, string | boolean>) => ({ positionals: [], values });
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.deepEqual(timeoutOf(args({ timeout: "2s" }), env({ JANUS_CLI_TIMEOUT: "9s" })), {
    ms: 2000,
    text: "2s",
  });
  assert.deepEqual(timeoutOf(args({}), env({ JANUS_CLI_TIMEOUT: "9s" })), { ms: 9000, text: "9s" });
  assert.equal(timeoutOf(args({}), env({})), undefined);
  assert.equal(daemonMode(args({}), env({})), "auto");
  assert.equal(daemonMode(args({ direct: true }), env({ JANUS_DAEMON: "require" })), "off");
  assert.equal(daemonMode(args({ daemon: true }), env({ JANUS_DAEMON: "off" })), "require");
  assert.equal(daemonMode(args({}), env({ JANUS_DAEMON: "off" })), "off");
  usage(() => daemonMode(args({ direct: true, daemon: true }), env({})), /contradict/);
});

Deno.test("agent requests from the wire are checked field by field", () => {
  assert.deepEqual(parseAgentRequest({ op: "tools" }), {
    op: "tools",
    selector: undefined,
    search: undefined,
  });
  assert.deepEqual(parseAgentRequest({ op: "tools", search: "open issue" }), {
    op: "tools",
    selector: undefined,
    search: "open issue",
  });
  usage(() => parseAgentRequest({ op: "tools", search: 3 }), /"search" must be a non-empty string/);
  assert.deepEqual(parseAgentRequest({ op: "call", tool: "t", arguments: {} }), {
    op: "call",
    tool: "t",
    account: undefined,
    arguments: {},
  });
  usage(() => parseAgentRequest(null), /expected a JSON object/);
  usage(() => parseAgentRequest({ op: "drop" }), /"op" must be/);
  usage(
    () => parseAgentRequest({ op: "call", tool: "t", arguments: [] }),
    /"arguments" must be a JSON object/,
  );
  usage(() => parseAgentRequest({ op: "schema", tool: "" }), /"tool" must be a non-empty string/);
  usage(() => parseAgentRequest({ op: "use" }), /"selector"/);
});
