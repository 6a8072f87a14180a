import assert from "node:assert/strict";
import { formatPath, formatProblem, validateConfig } from "../../lib/config/validate.ts";
import { RawConfigSchema } from "../../lib/config/schema.ts";
import { EMPTY_CONFIG, type JanusConfig } from "../../lib/config/types.ts";

/** The problems of an invalid document, as formatted lines. */
function problemsOf(raw: unknown): string[] {
  const result = validateConfig(raw);
  assert.equal(result.ok, false, "expected the document to be invalid");
  return result.ok ? [] : result.problems.map(formatProblem);
}

/** The config of a valid document. */
function configOf(raw: unknown): JanusConfig {
  const result = validateConfig(raw);
  if (!result.ok) {
    assert.fail(`expected a valid document, got:\n${result.problems.map(formatProblem).join("\n")}`);
  }
  return result.config;
}

const stdio = (extra: Record<string, unknown> = {}) => ({
  id: "a",
  service: "github",
  command: "gh-mcp",
  ...extra,
});
const http = (extra: Record<string, unknown> = {}) => ({
  id: "r",
  service: "linear",
  transport: "http",
  url: "https://mcp.example.com/mcp",
  ...extra,
});

Deno.test("a minimal config gets every default filled", () => {
  const config = configOf({ accounts: [{ id: "acme", service: "github", command: "gh-mcp" }] });
  assert.deepEqual(config, {
    accounts: [{
      id: "acme",
      service: "github",
      label: "acme",
      transport: "stdio",
      command: "gh-mcp",
      args: [],
      env: {},
      headers: {},
    }],
    profiles: {},
    bindingMode: "global",
    vault: { backend: "keychain" },
    exposure: "auto",
    searchThreshold: 40,
    profileExposure: {},
    profileFold: {},
  });
});

Deno.test("an empty accounts list is a valid config", () => {
  assert.deepEqual(configOf({ accounts: [] }), {
    accounts: [],
    profiles: {},
    bindingMode: "global",
    vault: { backend: "keychain" },
    exposure: "auto",
    searchThreshold: 40,
    profileExposure: {},
    profileFold: {},
  });
});

Deno.test("a full config keeps every field it was given", () => {
  const config = configOf({
    $schema: "https://example.com/janusmcp.schema.json",
    accounts: [
      {
        id: "client-a_gh",
        service: "github",
        label: "Client A GitHub",
        transport: "stdio",
        command: "npx",
        args: ["-y", "@modelcontextprotocol/server-github", "--token=${vault:gh-a}"],
        env: { GITHUB_TOKEN: "vault:gh-a", HOME_DIR: "${HOME}/x", _X: "$${literal}" },
        cwd: "/tmp",
      },
      {
        id: "linear",
        service: "linear",
        transport: "sse",
        url: "https://${LINEAR_HOST}:${LINEAR_PORT}/sse",
        headers: { Authorization: "Bearer ${vault:linear}", "X-Api-Version": "2" },
      },
      { id: "prod", service: "supabase", transport: "http", url: "vault:supabase-url" },
    ],
    profiles: { "client-a": ["client-a_gh", "linear"] },
    bindingMode: "session",
    defaultAccount: "linear",
    vault: { backend: "file" },
  });
  assert.deepEqual(config.accounts[0], {
    id: "client-a_gh",
    service: "github",
    label: "Client A GitHub",
    transport: "stdio",
    command: "npx",
    args: ["-y", "@modelcontextprotocol/server-github", "--token=${vault:gh-a}"],
    env: { GITHUB_TOKEN: "vault:gh-a", HOME_DIR: "${HOME}/x", _X: "$${literal}" },
    cwd: "/tmp",
    headers: {},
  });
  assert.deepEqual(config.accounts[1], {
    id: "linear",
    service: "linear",
    label: "linear",
    transport: "sse",
    url: "https://${LINEAR_HOST}:${LINEAR_PORT}/sse",
    args: [],
    env: {},
    headers: { Authorization: "Bearer ${vault:linear}", "X-Api-Version": "2" },
  });
  assert.equal(config.accounts[2].url, "vault:supabase-url");
  assert.deepEqual(config.profiles, { "client-a": ["client-a_gh", "linear"] });
  assert.equal(config.bindingMode, "session");
  assert.equal(config.defaultAccount, "linear");
  assert.deepEqual(config.vault, { backend: "file" });
});

Deno.test("the root must be an object", () => {
  for (const raw of [null, [], "x", 3, true]) {
    const lines = problemsOf(raw);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^\(root\): expected an object/);
  }
});

Deno.test("accounts is required and must be an array", () => {
  assert.deepEqual(problemsOf({}), ["accounts: required (a list of accounts; it may be empty)"]);
  assert.deepEqual(problemsOf({ accounts: {} }), ["accounts: expected an array of accounts"]);
  assert.deepEqual(problemsOf({ accounts: ["x"] }), [
    'accounts[0]: expected an object (one account), got "x"',
  ]);
});

Deno.test("a misspelt top-level key suggests the right one", () => {
  assert.deepEqual(problemsOf({ acounts: [] }), [
    'acounts: unknown key (did you mean "accounts"?)',
    "accounts: required (a list of accounts; it may be empty)",
  ]);
  assert.deepEqual(problemsOf({ accounts: [], bindingmode: "global" }), [
    'bindingmode: unknown key (did you mean "bindingMode"?)',
  ]);
  assert.deepEqual(problemsOf({ accounts: [], defualtAccount: "a" }), [
    'defualtAccount: unknown key (did you mean "defaultAccount"?)',
  ]);
});

Deno.test("an unknown key with no close match lists the allowed keys", () => {
  assert.deepEqual(problemsOf({ accounts: [], servers: [] }), [
    "servers: unknown key (expected one of: $schema, accounts, profiles, bindingMode, defaultAccount, vault, limits, upstreams, oauthProviders, exposure, searchThreshold)",
  ]);
});

Deno.test("$schema is allowed at the top level but must be a string", () => {
  configOf({ $schema: "./schema.json", accounts: [] });
  assert.deepEqual(problemsOf({ $schema: 1, accounts: [] }), ["$schema: expected a string"]);
});

Deno.test("a misspelt account key suggests the right one", () => {
  assert.deepEqual(problemsOf({ accounts: [stdio({ comand: "x" })] }), [
    'accounts[0].comand: unknown key (did you mean "command"?)',
  ]);
  assert.deepEqual(problemsOf({ accounts: [stdio({ enviroment: {} })] }), [
    "accounts[0].enviroment: unknown key (expected one of: id, service, label, transport, command, args, env, cwd, url, headers, auth, oauth, secretEnv, roots, callTimeoutSeconds, idleCloseSeconds, keepWarm)",
  ]);
  assert.deepEqual(problemsOf({ accounts: [http({ URL: "x" })] }), [
    'accounts[0].URL: unknown key (did you mean "url"?)',
  ]);
});

Deno.test("account id is required and must match the id pattern", () => {
  assert.deepEqual(problemsOf({ accounts: [{ service: "s", command: "c" }] }), ["accounts[0].id: required"]);
  assert.deepEqual(problemsOf({ accounts: [stdio({ id: 7 })] }), ["accounts[0].id: expected a string"]);
  const rule = 'use 1–64 letters, digits, "_" or "-", starting with a letter or digit';
  for (const bad of ["", "-lead", "_lead", "has space", "dot.ted", "x".repeat(65)]) {
    const lines = problemsOf({ accounts: [stdio({ id: bad })] });
    assert.equal(lines.length, 1, `${bad}: ${lines.join("; ")}`);
    assert.ok(lines[0].startsWith("accounts[0].id: "), lines[0]);
    assert.ok(lines[0].endsWith(`is not a valid id: ${rule}`), lines[0]);
  }
  assert.deepEqual(problemsOf({ accounts: [stdio({ id: "has space" })] }), [
    `accounts[0].id: "has space" is not a valid id: ${rule}`,
  ]);
  for (const good of ["a", "0", "A-b_c", "x".repeat(64)]) configOf({ accounts: [stdio({ id: good })] });
});

Deno.test("duplicate account ids name both positions", () => {
  const lines = problemsOf({
    accounts: [stdio({ id: "acme" }), stdio({ id: "other" }), stdio({ id: "acme" }), stdio({ id: "acme" })],
  });
  assert.deepEqual(lines, [
    'accounts[2].id: "acme" is already used by accounts[0]',
    'accounts[3].id: "acme" is already used by accounts[0]',
  ]);
});

Deno.test("service is a required non-empty string", () => {
  assert.deepEqual(problemsOf({ accounts: [{ id: "a", command: "c" }] }), [
    'accounts[0].service: required (the service, e.g. "github")',
  ]);
  assert.deepEqual(problemsOf({ accounts: [stdio({ service: "  " })] }), [
    "accounts[0].service: must not be empty",
  ]);
  assert.deepEqual(problemsOf({ accounts: [stdio({ service: ["x"] })] }), [
    "accounts[0].service: expected a string",
  ]);
});

Deno.test("label defaults to the id and must be a non-empty string when given", () => {
  assert.equal(configOf({ accounts: [stdio()] }).accounts[0].label, "a");
  assert.equal(configOf({ accounts: [stdio({ label: "Work" })] }).accounts[0].label, "Work");
  assert.deepEqual(problemsOf({ accounts: [stdio({ label: "" })] }), [
    "accounts[0].label: must not be empty (leave it out to use the id)",
  ]);
  assert.deepEqual(problemsOf({ accounts: [stdio({ label: 1 })] }), ["accounts[0].label: expected a string"]);
});

Deno.test("an unknown transport names the allowed ones", () => {
  assert.deepEqual(problemsOf({ accounts: [stdio({ transport: "tcp" })] }), [
    'accounts[0].transport: expected "stdio", "http" or "sse", got "tcp"',
  ]);
  assert.deepEqual(problemsOf({ accounts: [stdio({ transport: 1 })] }), [
    'accounts[0].transport: expected "stdio", "http" or "sse", got 1',
  ]);
});

Deno.test("a stdio account needs a command", () => {
  assert.deepEqual(
    problemsOf({ accounts: [stdio(), { id: "b", service: "s" }] }),
    ["accounts[1].command: required for a stdio account"],
  );
  assert.deepEqual(problemsOf({ accounts: [stdio({ command: "" })] }), [
    "accounts[0].command: must not be empty",
  ]);
  assert.deepEqual(problemsOf({ accounts: [stdio({ command: ["gh"] })] }), [
    "accounts[0].command: expected a string",
  ]);
});

Deno.test("stdio args must be an array of strings", () => {
  assert.deepEqual(problemsOf({ accounts: [stdio({ args: "-y x" })] }), [
    "accounts[0].args: expected an array of strings",
  ]);
  assert.deepEqual(problemsOf({ accounts: [stdio({ args: ["ok", 3, null] })] }), [
    "accounts[0].args[1]: expected a string",
    "accounts[0].args[2]: expected a string",
  ]);
});

Deno.test("stdio env names must be environment variable names and values strings", () => {
  assert.deepEqual(problemsOf({ accounts: [stdio({ env: ["A=1"] })] }), [
    "accounts[0].env: expected an object mapping variable names to strings",
  ]);
  assert.deepEqual(problemsOf({ accounts: [stdio({ env: { "1X": "v", "MY-VAR": "v", OK: 1 } })] }), [
    'accounts[0].env["1X"]: not a valid environment variable name (letters, digits and "_", not starting with a digit)',
    'accounts[0].env["MY-VAR"]: not a valid environment variable name (letters, digits and "_", not starting with a digit)',
    "accounts[0].env.OK: expected a string",
  ]);
});

Deno.test("stdio cwd must be a non-empty string", () => {
  assert.equal(configOf({ accounts: [stdio({ cwd: "/srv" })] }).accounts[0].cwd, "/srv");
  assert.deepEqual(problemsOf({ accounts: [stdio({ cwd: 1 })] }), ["accounts[0].cwd: expected a string"]);
  assert.deepEqual(problemsOf({ accounts: [stdio({ cwd: "" })] }), ["accounts[0].cwd: must not be empty"]);
});

Deno.test("url and headers on a stdio account are reported as misplaced", () => {
  assert.deepEqual(problemsOf({ accounts: [stdio({ url: "not a url", headers: { A: "b" } })] }), [
    "accounts[0].url: only used by http/sse accounts",
    "accounts[0].headers: only used by http/sse accounts",
  ]);
});

Deno.test("an http or sse account needs a url", () => {
  assert.deepEqual(problemsOf({ accounts: [{ id: "r", service: "s", transport: "http" }] }), [
    "accounts[0].url: required for an http account",
  ]);
  assert.deepEqual(problemsOf({ accounts: [{ id: "r", service: "s", transport: "sse" }] }), [
    "accounts[0].url: required for an sse account",
  ]);
  assert.deepEqual(problemsOf({ accounts: [http({ url: 5 })] }), ["accounts[0].url: expected a string"]);
});

Deno.test("a url must be http(s) once references are filled in", () => {
  const message =
    'accounts[0].url: expected a URL starting with http:// or https:// (or a whole "vault:NAME")';
  for (
    const bad of ["", "example.com/mcp", "ftp://example.com", "file:///etc/passwd", "${MCP_URL}", "https://"]
  ) {
    assert.deepEqual(problemsOf({ accounts: [http({ url: bad })] }), [message], bad);
  }
  for (
    const good of [
      "http://localhost:3000/mcp",
      "https://mcp.example.com",
      "https://${HOST}/mcp",
      "http://localhost:${PORT}/mcp",
      "https://api-${REGION}.example.com/v1?key=${vault:api-key}",
      "vault:remote-url",
    ]
  ) {
    configOf({ accounts: [http({ url: good })] });
  }
});

Deno.test("headers must be HTTP tokens with string values", () => {
  assert.deepEqual(problemsOf({ accounts: [http({ headers: "Authorization: x" })] }), [
    "accounts[0].headers: expected an object mapping header names to strings",
  ]);
  assert.deepEqual(
    problemsOf({
      accounts: [http({ headers: { "Bad Name": "x", "X:Y": "x", "X-Ok": 1, "X-Nl": "a\r\nInjected: 1" } })],
    }),
    [
      `accounts[0].headers["Bad Name"]: not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~, no spaces or colons)`,
      `accounts[0].headers["X:Y"]: not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~, no spaces or colons)`,
      'accounts[0].headers["X-Ok"]: expected a string',
      'accounts[0].headers["X-Nl"]: must not contain line breaks',
    ],
  );
});

Deno.test("the same header twice in different case is reported", () => {
  assert.deepEqual(
    problemsOf({ accounts: [http({ headers: { Authorization: "a", authorization: "b" } })] }),
    [
      "accounts[0].headers.authorization: same header as accounts[0].headers.Authorization (header names ignore case)",
    ],
  );
});

Deno.test("stdio fields on an http account are reported as misplaced", () => {
  assert.deepEqual(problemsOf({ accounts: [http({ command: "x", args: [], env: {}, cwd: "/" })] }), [
    "accounts[0].command: only used by stdio accounts",
    "accounts[0].args: only used by stdio accounts",
    "accounts[0].env: only used by stdio accounts",
    "accounts[0].cwd: only used by stdio accounts",
  ]);
});

Deno.test("with an unknown transport the fields present are still type-checked", () => {
  assert.deepEqual(problemsOf({ accounts: [stdio({ transport: "ws", args: "x" })] }), [
    'accounts[0].transport: expected "stdio", "http" or "sse", got "ws"',
    "accounts[0].args: expected an array of strings",
  ]);
});

Deno.test("malformed references are reported at their exact path", () => {
  assert.deepEqual(problemsOf({ accounts: [stdio({ env: { TOKEN: "ab${X" } })] }), [
    'accounts[0].env.TOKEN: unclosed "${" at character 3',
  ]);
  assert.deepEqual(problemsOf({ accounts: [stdio({ args: ["ok", "${1BAD}"] })] }), [
    'accounts[0].args[1]: "${1BAD}" is not a valid environment variable reference',
  ]);
  assert.deepEqual(problemsOf({ accounts: [http({ url: "https://x/${vault:}" })] }), [
    'accounts[0].url: "${vault:}" is not a valid vault reference',
  ]);
  assert.deepEqual(problemsOf({ accounts: [http({ headers: { Authorization: "oauth:git hub" } })] }), [
    'accounts[0].headers.Authorization: "oauth:git hub" is not a valid oauth reference (login names use A-Z a-z 0-9 _ . -, 1–64 characters)',
  ]);
  assert.deepEqual(problemsOf({ accounts: [stdio({ env: { T: "vault:bad name" } })] }), [
    'accounts[0].env.T: "vault:bad name" is not a valid vault reference (names use A-Z a-z 0-9 _ . -, 1–64 characters)',
  ]);
});

Deno.test("profiles list known accounts under valid names", () => {
  const accounts = [stdio({ id: "a" }), stdio({ id: "b" })];
  assert.deepEqual(configOf({ accounts, profiles: { work: ["b", "a"] } }).profiles, { work: ["b", "a"] });
  assert.deepEqual(problemsOf({ accounts, profiles: ["a"] }), [
    "profiles: expected an object mapping profile names to lists of account ids",
  ]);
  assert.deepEqual(problemsOf({ accounts, profiles: { work: ["a", "x"] } }), [
    'profiles.work[1]: unknown account "x"',
  ]);
  assert.deepEqual(problemsOf({ accounts, profiles: { work: [] } }), [
    "profiles.work: must list at least one account",
  ]);
  assert.deepEqual(problemsOf({ accounts, profiles: { work: "a" } }), [
    'profiles.work: expected an array of account ids (or an object like {"accounts": [...], "exposure": "search"})',
  ]);
  assert.deepEqual(problemsOf({ accounts, profiles: { work: ["a", 1] } }), [
    "profiles.work[1]: expected a string (an account id)",
  ]);
  assert.deepEqual(problemsOf({ accounts, profiles: { work: ["a", "b", "a"] } }), [
    'profiles.work[2]: "a" is already listed at profiles.work[0]',
  ]);
});

Deno.test("a profile name must follow the id pattern and differ from every account id", () => {
  const accounts = [stdio({ id: "a" })];
  assert.deepEqual(problemsOf({ accounts, profiles: { "my work": ["a"] } }), [
    'profiles["my work"]: "my work" is not a valid profile name: use 1–64 letters, digits, "_" or "-", starting with a letter or digit',
  ]);
  assert.deepEqual(problemsOf({ accounts, profiles: { a: ["a"] } }), [
    'profiles.a: "a" is also an account id (profiles and accounts share one namespace)',
  ]);
  configOf({ accounts, profiles: { "client-a": ["a"] } });
});

Deno.test("bindingMode must be one of the modes", () => {
  for (const mode of ["global", "session", "locked"]) {
    assert.equal(configOf({ accounts: [], bindingMode: mode }).bindingMode, mode);
  }
  assert.deepEqual(problemsOf({ accounts: [], bindingMode: "per-session" }), [
    'bindingMode: expected "global", "session" or "locked", got "per-session"',
  ]);
});

Deno.test("defaultAccount must name a known account and lists the known ones", () => {
  const accounts = [stdio({ id: "a" }), stdio({ id: "b" })];
  assert.equal(configOf({ accounts, defaultAccount: "b" }).defaultAccount, "b");
  assert.deepEqual(problemsOf({ accounts, defaultAccount: "x" }), [
    'defaultAccount: unknown account "x" (known: a, b)',
  ]);
  assert.deepEqual(problemsOf({ accounts: [], defaultAccount: "x" }), [
    'defaultAccount: unknown account "x" (no accounts are configured)',
  ]);
  assert.deepEqual(problemsOf({ accounts, defaultAccount: 1 }), [
    "defaultAccount: expected a string (an account id)",
  ]);
});

Deno.test("vault backend defaults to keychain and must be a known backend", () => {
  assert.deepEqual(configOf({ accounts: [], vault: {} }).vault, { backend: "keychain" });
  assert.deepEqual(configOf({ accounts: [], vault: { backend: "file" } }).vault, { backend: "file" });
  assert.deepEqual(problemsOf({ accounts: [], vault: { backend: "pass" } }), [
    'vault.backend: expected "keychain" or "file", got "pass"',
  ]);
  assert.deepEqual(problemsOf({ accounts: [], vault: { backnd: "file" } }), [
    'vault.backnd: unknown key (did you mean "backend"?)',
  ]);
  assert.deepEqual(problemsOf({ accounts: [], vault: "file" }), [
    'vault: expected an object like {"backend": "keychain"}',
  ]);
});

Deno.test("every problem in a document is reported, in document order", () => {
  const lines = problemsOf({
    acounts: [],
    accounts: [
      { id: "acme", service: "github", command: "gh", env: { TOKEN: "ab${X" } },
      { id: "b", service: "slack" },
      { id: "acme", service: "", transport: "http", url: "ftp://x", args: [] },
    ],
    profiles: { work: ["acme", "x"] },
    bindingMode: "everyone",
    defaultAccount: "nobody",
  });
  assert.deepEqual(lines, [
    'acounts: unknown key (did you mean "accounts"?)',
    'accounts[0].env.TOKEN: unclosed "${" at character 3',
    "accounts[1].command: required for a stdio account",
    'accounts[2].id: "acme" is already used by accounts[0]',
    "accounts[2].service: must not be empty",
    "accounts[2].args: only used by stdio accounts",
    'accounts[2].url: expected a URL starting with http:// or https:// (or a whole "vault:NAME")',
    'profiles.work[1]: unknown account "x"',
    'bindingMode: expected "global", "session" or "locked", got "everyone"',
    'defaultAccount: unknown account "nobody" (known: acme, b)',
  ]);
});

Deno.test("an invalid account id is reported once, not again where a profile uses it", () => {
  assert.deepEqual(problemsOf({ accounts: [stdio({ id: "bad id" })], profiles: { p: ["bad id"] } }), [
    'accounts[0].id: "bad id" is not a valid id: use 1–64 letters, digits, "_" or "-", starting with a letter or digit',
  ]);
});

Deno.test("paths quote keys that are not plain identifiers", () => {
  assert.equal(formatPath([]), "(root)");
  assert.equal(formatPath(["accounts", 1, "command"]), "accounts[1].command");
  assert.equal(formatPath(["accounts", 0, "headers", "X-Key"]), 'accounts[0].headers["X-Key"]');
  assert.equal(formatPath(["profiles", "work", 2]), "profiles.work[2]");
  assert.equal(formatProblem({ path: "(root)", message: "m" }), "(root): m");
});

Deno.test("the zod schema accepts what validation accepts and rejects the shape errors", () => {
  const valid = [
    { accounts: [] },
    {
      $schema: "s",
      accounts: [stdio({ args: ["${A}"], env: { B: "vault:b" } }), http()],
      bindingMode: "locked",
    },
    { accounts: [http({ transport: "sse", headers: { "X-A": "b" } })], vault: { backend: "file" } },
  ];
  for (const raw of valid) {
    assert.equal(validateConfig(raw).ok, true);
    assert.equal(RawConfigSchema.safeParse(raw).success, true, JSON.stringify(raw));
  }
  const invalid = [
    {},
    { accounts: [], extra: 1 },
    { accounts: [{ id: "a", service: "s" }] },
    { accounts: [stdio({ url: "https://x" })] },
    { accounts: [http({ url: "ftp://x" })] },
    { accounts: [http({ command: "x" })] },
    { accounts: [stdio({ env: { "1A": "x" } })] },
    { accounts: [stdio({ args: ["${"] })] },
    { accounts: [http({ headers: { "A B": "x" } })] },
    { accounts: [], bindingMode: "x" },
    { accounts: [], profiles: { p: [] } },
  ];
  for (const raw of invalid) {
    assert.equal(validateConfig(raw).ok, false, JSON.stringify(raw));
    assert.equal(RawConfigSchema.safeParse(raw).success, false, JSON.stringify(raw));
  }
});

Deno.test("a field on the wrong transport is reported as misplaced only, not also checked", () => {
  assert.deepEqual(problemsOf({ accounts: [http({ args: "x", env: ["A=1"], cwd: 3 })] }), [
    "accounts[0].args: only used by stdio accounts",
    "accounts[0].env: only used by stdio accounts",
    "accounts[0].cwd: only used by stdio accounts",
  ]);
  assert.deepEqual(problemsOf({ accounts: [stdio({ headers: { "Bad Name": 1, a: "x", A: "y" } })] }), [
    "accounts[0].headers: only used by http/sse accounts",
  ]);
});

Deno.test("a header repeated in another case is reported as the repeat, its value not also checked", () => {
  assert.deepEqual(problemsOf({ accounts: [http({ headers: { "X-Key": "a", "x-key": 5 } })] }), [
    'accounts[0].headers["x-key"]: same header as accounts[0].headers["X-Key"] (header names ignore case)',
  ]);
});

Deno.test("a profile member listed twice is reported as the repeat, and an unknown one once", () => {
  const accounts = [stdio({ id: "a" })];
  assert.deepEqual(problemsOf({ accounts, profiles: { work: ["x", "a", "x"] } }), [
    'profiles.work[0]: unknown account "x"',
    'profiles.work[2]: "x" is already listed at profiles.work[0]',
  ]);
});

Deno.test("problems in maps and lists follow the document, with cross-references in their place", () => {
  const lines = problemsOf({
    defaultAccount: "nobody",
    profiles: { work: ["x"], home: [1] },
    accounts: [
      http({ id: "a", headers: { B: 1, A: "a\nb" }, url: 5, labl: "x" }),
      stdio({ id: "a", env: { Z: 1, "1A": "v" } }),
    ],
  });
  assert.deepEqual(lines, [
    'accounts[0].labl: unknown key (did you mean "label"?)',
    "accounts[0].url: expected a string",
    "accounts[0].headers.B: expected a string",
    "accounts[0].headers.A: must not contain line breaks",
    'accounts[1].id: "a" is already used by accounts[0]',
    "accounts[1].env.Z: expected a string",
    'accounts[1].env["1A"]: not a valid environment variable name (letters, digits and "_", not starting with a digit)',
    'profiles.work[0]: unknown account "x"',
    "profiles.home[0]: expected a string (an account id)",
    'defaultAccount: unknown account "nobody" (known: a)',
  ]);
});

Deno.test("validation leaves its input untouched and gives each config its own defaults", () => {
  const raw = {
    accounts: [stdio(), http({ id: "b", headers: { A: "x" } })],
    profiles: { p: ["a", "b"] },
    $schema: "s",
  };
  const before = structuredClone(raw);
  const first = configOf(raw);
  assert.deepEqual(raw, before);
  assert.equal("$schema" in first, false);
  first.accounts[0].args.push("changed");
  first.accounts[0].env.CHANGED = "1";
  first.profiles.q = ["a"];
  first.vault.backend = "file";
  const second = configOf({ accounts: [stdio()] });
  assert.deepEqual(second.accounts[0].args, []);
  assert.deepEqual(second.accounts[0].env, {});
  assert.deepEqual(second.profiles, {});
  assert.deepEqual(second.vault, { backend: "keychain" });
});

Deno.test("the empty config is the schema's defaults for a document with no accounts", () => {
  assert.deepEqual(EMPTY_CONFIG, configOf({ accounts: [] }));
  assert.deepEqual(EMPTY_CONFIG, {
    accounts: [],
    profiles: {},
    bindingMode: "global",
    vault: { backend: "keychain" },
    exposure: "auto",
    searchThreshold: 40,
    profileExposure: {},
    profileFold: {},
  });
});

Deno.test("secretEnv lists environment variable names; anything else is reported at its index", () => {
  const account = { id: "a", service: "s", command: "x" };
  const ok = validateConfig({ accounts: [{ ...account, secretEnv: ["DATABASE_URL"] }] });
  assert.ok(ok.ok);
  assert.deepEqual(ok.config.accounts[0].secretEnv, ["DATABASE_URL"]);
  const bad = validateConfig({ accounts: [{ ...account, secretEnv: ["OK", "no-dash", 3] }] });
  assert.ok(!bad.ok);
  assert.deepEqual(bad.problems.map((p) => p.path), ["accounts[0].secretEnv[1]", "accounts[0].secretEnv[2]"]);
  const notList = validateConfig({ accounts: [{ ...account, secretEnv: "X" }] });
  assert.ok(!notList.ok);
  assert.equal(notList.problems[0].path, "accounts[0].secretEnv");
});

Deno.test("limits.maxMessageBytes takes a whole number of bytes in range; anything else is reported", () => {
  const ok = validateConfig({ accounts: [], limits: { maxMessageBytes: 16 * 1024 * 1024 } });
  assert.ok(ok.ok);
  assert.equal(ok.config.limits?.maxMessageBytes, 16 * 1024 * 1024);
  const absent = validateConfig({ accounts: [] });
  assert.ok(absent.ok);
  assert.equal(absent.config.limits, undefined, "absent means the 64 MiB default");
  for (const bad of [0, 1.5, "64MB", 2 ** 31]) {
    const result = validateConfig({ accounts: [], limits: { maxMessageBytes: bad } });
    assert.ok(!result.ok);
    assert.equal(result.problems[0].path, "limits.maxMessageBytes");
    assert.match(result.problems[0].message, /whole number from 65536 to 1073741824/);
  }
  const unknown = validateConfig({ accounts: [], limits: { maxBytes: 1 } });
  assert.ok(!unknown.ok);
  assert.equal(unknown.problems[0].path, "limits.maxBytes");
});

Deno.test("roots take absolute paths or file:// URIs; relative paths are reported at their index", () => {
  const account = { id: "a", service: "s", command: "x" };
  const ok = validateConfig({ accounts: [{ ...account, roots: ["/srv/project", "file:///home/me/notes"] }] });
  assert.ok(ok.ok);
  assert.deepEqual(ok.config.accounts[0].roots, ["/srv/project", "file:///home/me/notes"]);
  const bad = validateConfig({ accounts: [{ ...account, roots: ["relative/dir", 7] }] });
  assert.ok(!bad.ok);
  assert.deepEqual(bad.problems.map((p) => p.path), ["accounts[0].roots[0]", "accounts[0].roots[1]"]);
});

Deno.test("limits.maxHttpSessions takes a positive whole number", () => {
  const ok = validateConfig({ accounts: [], limits: { maxHttpSessions: 5 } });
  assert.ok(ok.ok);
  assert.equal(ok.config.limits?.maxHttpSessions, 5);
  const bad = validateConfig({ accounts: [], limits: { maxHttpSessions: 0 } });
  assert.ok(!bad.ok);
  assert.equal(bad.problems[0].path, "limits.maxHttpSessions");
});

Deno.test("upstream lifecycle fields: defaults under upstreams, overrides and keepWarm per account", () => {
  const account = { id: "a", service: "s", command: "x" };
  const ok = validateConfig({
    accounts: [{ ...account, callTimeoutSeconds: 30, idleCloseSeconds: 0, keepWarm: true }],
    upstreams: { callTimeoutSeconds: 600, idleCloseSeconds: 120 },
  });
  assert.ok(ok.ok);
  assert.deepEqual(ok.config.upstreams, { callTimeoutSeconds: 600, idleCloseSeconds: 120 });
  const { callTimeoutSeconds, idleCloseSeconds, keepWarm } = ok.config.accounts[0];
  assert.deepEqual({ callTimeoutSeconds, idleCloseSeconds, keepWarm }, {
    callTimeoutSeconds: 30,
    idleCloseSeconds: 0,
    keepWarm: true,
  });
  const bad = validateConfig({
    accounts: [{ ...account, callTimeoutSeconds: 0, keepWarm: "yes" }],
    upstreams: { idleCloseSeconds: -1, retries: 3 },
  });
  assert.ok(!bad.ok);
  assert.deepEqual(bad.problems.map((p) => p.path).sort(), [
    "accounts[0].callTimeoutSeconds",
    "accounts[0].keepWarm",
    "upstreams.idleCloseSeconds",
    "upstreams.retries",
  ]);
});

Deno.test("the zod schema accepts the reliability fields the walk accepts", () => {
  const raw = {
    accounts: [{
      id: "a",
      service: "s",
      command: "x",
      secretEnv: ["DB_URL"],
      roots: ["/srv"],
      callTimeoutSeconds: 5,
      idleCloseSeconds: 0,
      keepWarm: true,
    }],
    limits: { maxMessageBytes: 65536, maxHttpSessions: 3 },
    upstreams: { callTimeoutSeconds: 60, idleCloseSeconds: 600 },
  };
  assert.ok(RawConfigSchema.safeParse(raw).success);
  assert.ok(validateConfig(raw).ok);
});

Deno.test('a key named "__proto__" is refused where it is written, not dropped without a word', () => {
  // As the config loader reads a file: JSON.parse keeps "__proto__" as a plain key.
  const raw = JSON.parse(`{
    "accounts": [{"id": "a", "service": "github", "command": "gh-mcp", "env": {"__proto__": "x", "B": "1"}},
                 {"id": "b", "service": "github", "command": "gh-mcp"}],
    "profiles": {"__proto__": ["b"]}
  }`);
  assert.deepEqual(problemsOf(raw), [
    'accounts[0].env.__proto__: a key named "__proto__" is not allowed',
    'profiles.__proto__: a key named "__proto__" is not allowed',
  ]);
  // The same document without those keys is valid: the refusal is theirs alone.
  delete raw.accounts[0].env.__proto__;
  delete raw.profiles.__proto__;
  assert.deepEqual(configOf(raw).accounts[0].env, { B: "1" });
});
