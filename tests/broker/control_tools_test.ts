import assert from "node:assert/strict";
import {
  CONTROL_TOOL_NAMES,
  CONTROL_TOOLS,
  type ControlAction,
  parseControlCall,
} from "../../lib/broker/control_tools.ts";

/** The action of a call that must parse. */
function actionOf(name: string, args?: Record<string, unknown>): ControlAction {
  const result = parseControlCall(name, args);
  if (!result.ok) assert.fail(`expected ${name} to parse, got: ${result.problem}`);
  return result.action;
}

/** The problem of a call that must not parse. */
function problemOf(name: string, args?: Record<string, unknown>): string {
  const result = parseControlCall(name, args);
  if (result.ok) assert.fail(`expected ${name} to be rejected, got ${JSON.stringify(result.action)}`);
  return result.problem;
}

/** Asserts a problem is one line that names the tool and the field. */
function assertProblem(problem: string, tool: string, field: string): void {
  assert.equal(problem.includes("\n"), false, `not one line: ${problem}`);
  assert.ok(problem.startsWith(`${tool}: invalid arguments — `), problem);
  assert.ok(problem.includes(`${field}: `), `does not name ${field}: ${problem}`);
}

Deno.test("the control tools are exactly the six janus_* tools", () => {
  assert.deepEqual(CONTROL_TOOLS.map((t) => t.name), [
    "janus_list_accounts",
    "janus_whoami",
    "janus_use_account",
    "janus_use_profile",
    "janus_with_account",
    "janus_login",
  ]);
  assert.deepEqual([...CONTROL_TOOL_NAMES], CONTROL_TOOLS.map((t) => t.name));
});

Deno.test("every control tool has an object input schema, a description, a title and annotations", () => {
  for (const tool of CONTROL_TOOLS) {
    assert.equal(tool.inputSchema.type, "object", tool.name);
    assert.equal(typeof tool.inputSchema.properties, "object", tool.name);
    assert.ok(tool.description && tool.description.length > 20, tool.name);
    assert.ok(tool.title, tool.name);
    assert.ok(tool.annotations, tool.name);
    assert.equal(typeof tool.annotations.readOnlyHint, "boolean", tool.name);
    assert.equal(typeof tool.annotations.openWorldHint, "boolean", tool.name);
  }
});

Deno.test("only the listing tools are marked read-only and none is destructive", () => {
  const readOnly = CONTROL_TOOLS.filter((t) => t.annotations?.readOnlyHint).map((t) => t.name);
  assert.deepEqual(readOnly, ["janus_list_accounts", "janus_whoami"]);
  for (const tool of CONTROL_TOOLS) assert.notEqual(tool.annotations?.destructiveHint, true, tool.name);
});

Deno.test("the schemas require the fields the parser requires", () => {
  const required = Object.fromEntries(CONTROL_TOOLS.map((t) => [t.name, t.inputSchema.required ?? []]));
  assert.deepEqual(required, {
    janus_list_accounts: [],
    janus_whoami: [],
    janus_use_account: ["account_id"],
    janus_use_profile: ["profile"],
    janus_with_account: ["account_id"],
    janus_login: ["account_id"],
  });
});

Deno.test("the listing tools parse with or without arguments", () => {
  assert.deepEqual(actionOf("janus_list_accounts"), { kind: "list_accounts" });
  assert.deepEqual(actionOf("janus_list_accounts", {}), { kind: "list_accounts" });
  assert.deepEqual(actionOf("janus_whoami", undefined), { kind: "whoami" });
  assert.deepEqual(actionOf("janus_whoami", { ignored: true }), { kind: "whoami" });
});

Deno.test("janus_use_account parses an account id with and without a scope", () => {
  assert.deepEqual(actionOf("janus_use_account", { account_id: "acme" }), {
    kind: "use_account",
    accountId: "acme",
    scope: undefined,
  });
  assert.deepEqual(actionOf("janus_use_account", { account_id: "acme", scope: "session" }), {
    kind: "use_account",
    accountId: "acme",
    scope: "session",
  });
  assert.deepEqual(actionOf("janus_use_account", { account_id: "acme", scope: "global" }), {
    kind: "use_account",
    accountId: "acme",
    scope: "global",
  });
});

Deno.test("janus_use_profile parses a profile name with and without a scope", () => {
  assert.deepEqual(actionOf("janus_use_profile", { profile: "client-a" }), {
    kind: "use_profile",
    profile: "client-a",
    scope: undefined,
  });
  assert.deepEqual(actionOf("janus_use_profile", { profile: "client-a", scope: "global" }), {
    kind: "use_profile",
    profile: "client-a",
    scope: "global",
  });
});

Deno.test("janus_with_account parses a tool call and defaults its arguments to an empty object", () => {
  assert.deepEqual(actionOf("janus_with_account", { account_id: "acme" }), {
    kind: "with_account",
    accountId: "acme",
    tool: undefined,
    arguments: {},
  });
  assert.deepEqual(
    actionOf("janus_with_account", { account_id: "acme", tool: "search", arguments: { q: "x", n: 2 } }),
    { kind: "with_account", accountId: "acme", tool: "search", arguments: { q: "x", n: 2 } },
  );
});

Deno.test("a missing account_id is one line naming the tool and the field", () => {
  assertProblem(problemOf("janus_use_account", {}), "janus_use_account", "account_id");
  assertProblem(problemOf("janus_use_account", undefined), "janus_use_account", "account_id");
  assertProblem(problemOf("janus_with_account", { tool: "search" }), "janus_with_account", "account_id");
});

Deno.test("an empty account_id or profile is rejected naming the field", () => {
  assertProblem(problemOf("janus_use_account", { account_id: "" }), "janus_use_account", "account_id");
  assertProblem(problemOf("janus_with_account", { account_id: "" }), "janus_with_account", "account_id");
  assertProblem(problemOf("janus_use_profile", { profile: "" }), "janus_use_profile", "profile");
});

Deno.test("a missing profile is rejected naming the field", () => {
  assertProblem(problemOf("janus_use_profile", {}), "janus_use_profile", "profile");
});

Deno.test("a non-string account_id or profile is rejected naming the field", () => {
  assertProblem(problemOf("janus_use_account", { account_id: 42 }), "janus_use_account", "account_id");
  assertProblem(problemOf("janus_use_profile", { profile: ["a"] }), "janus_use_profile", "profile");
});

Deno.test("a scope other than session or global is rejected naming the field", () => {
  assertProblem(
    problemOf("janus_use_account", { account_id: "acme", scope: "everywhere" }),
    "janus_use_account",
    "scope",
  );
  assertProblem(problemOf("janus_use_profile", { profile: "p", scope: 1 }), "janus_use_profile", "scope");
});

Deno.test("janus_with_account rejects arguments that are not an object", () => {
  for (const bad of ["q=x", 3, ["x"], null]) {
    assertProblem(
      problemOf("janus_with_account", { account_id: "acme", tool: "search", arguments: bad }),
      "janus_with_account",
      "arguments",
    );
  }
});

Deno.test("janus_with_account rejects an empty tool name", () => {
  assertProblem(
    problemOf("janus_with_account", { account_id: "acme", tool: "" }),
    "janus_with_account",
    "tool",
  );
});

Deno.test("several bad fields are all named in the same single line", () => {
  const problem = problemOf("janus_use_account", { account_id: "", scope: "nope" });
  assertProblem(problem, "janus_use_account", "account_id");
  assertProblem(problem, "janus_use_account", "scope");
});

Deno.test("an unknown tool name is reported as not a control tool", () => {
  assert.equal(problemOf("janus_nope", {}), '"janus_nope" is not a control tool');
  assert.equal(problemOf("search"), '"search" is not a control tool');
});

Deno.test("janus_login parses its account and refuses a call without one", () => {
  assert.deepEqual(actionOf("janus_login", { account_id: "acme" }), { kind: "login", accountId: "acme" });
  assertProblem(problemOf("janus_login", {}), "janus_login", "account_id");
});
