import assert from "node:assert/strict";
import type { AccountConfig } from "../../lib/config/types.ts";
import { JanusError } from "../../lib/errors.ts";
import { type ReferenceSources, resolveLaunch } from "../../lib/upstream/launch.ts";

function stdioAccount(extra: Partial<AccountConfig> = {}): AccountConfig {
  return {
    id: "acme",
    service: "github",
    label: "Acme",
    transport: "stdio",
    command: "gh-mcp",
    args: [],
    env: {},
    headers: {},
    ...extra,
  };
}

function httpAccount(extra: Partial<AccountConfig> = {}): AccountConfig {
  return {
    id: "acme",
    service: "linear",
    label: "Acme",
    transport: "http",
    url: "https://mcp.example.com/mcp",
    args: [],
    env: {},
    headers: {},
    ...extra,
  };
}

/** Reference sources over fixed maps; the vault is a plain `{get}` object, as the interface asks. */
function sources(
  env: Record<string, string> = {},
  vault?: Record<string, string>,
): ReferenceSources & { vaultReads: string[] } {
  const vaultReads: string[] = [];
  return {
    vaultReads,
    env: (name) => Object.hasOwn(env, name) ? env[name] : undefined,
    vault: vault === undefined ? undefined : {
      get: (name) => {
        vaultReads.push(name);
        return Promise.resolve(Object.hasOwn(vault, name) ? vault[name] : undefined);
      },
    },
  };
}

/** The JanusError a launch fails with. */
async function failure(promise: Promise<unknown>): Promise<JanusError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof JanusError, `expected a JanusError, got ${error}`);
    return error;
  }
  assert.fail("expected the launch to fail");
}

const MISSING_VAULT =
  'account "acme": secret vault:acme_token is not set — run: janusmcp vault set acme_token';

Deno.test("a stdio account without references launches exactly as configured", async () => {
  const launch = await resolveLaunch(
    stdioAccount({ args: ["--stdio", "-v"], env: { LOG: "debug" }, cwd: "/srv/acme" }),
    sources(),
  );
  assert.deepEqual(launch, {
    spec: {
      transport: "stdio",
      command: "gh-mcp",
      args: ["--stdio", "-v"],
      env: { LOG: "debug" },
      cwd: "/srv/acme",
    },
    secrets: [],
    warnings: [],
  });
});

Deno.test("an http account without references dials its URL with its headers", async () => {
  const launch = await resolveLaunch(httpAccount({ headers: { "X-Team": "core" } }), sources());
  assert.deepEqual(launch, {
    spec: { transport: "http", url: "https://mcp.example.com/mcp", headers: { "X-Team": "core" } },
    secrets: [],
    warnings: [],
  });
});

Deno.test("an sse account keeps its transport", async () => {
  const launch = await resolveLaunch(httpAccount({ transport: "sse" }), sources());
  assert.equal(launch.spec.transport, "sse");
});

Deno.test("${ENV} in stdio args and env is resolved and recorded by variable name", async () => {
  const launch = await resolveLaunch(
    stdioAccount({
      command: "/usr/bin/gh-mcp",
      args: ["--org=${ORG}", "--plain"],
      env: { GITHUB_TOKEN: "${GH_TOKEN}", MIXED: "a-${ORG}-b" },
    }),
    sources({ ORG: "acme-inc", GH_TOKEN: "ghp_secret" }),
  );
  assert.deepEqual(launch.spec, {
    transport: "stdio",
    command: "/usr/bin/gh-mcp",
    args: ["--org=acme-inc", "--plain"],
    env: { GITHUB_TOKEN: "ghp_secret", MIXED: "a-acme-inc-b" },
    cwd: undefined,
  });
  assert.deepEqual(
    [...launch.secrets].sort((a, b) => a.name < b.name ? -1 : 1),
    [{ name: "GH_TOKEN", value: "ghp_secret", reference: "${GH_TOKEN}" }],
    "ORG does not look like a credential, so its value is ordinary text",
  );
  assert.deepEqual(launch.warnings, [], "environment references in args are not warned about");
});

Deno.test("a ${ENV} value is a secret when the account lists its name under secretEnv", async () => {
  const launch = await resolveLaunch(
    stdioAccount({ env: { DSN: "${DATABASE_URL}", HOME_DIR: "${HOME}" }, secretEnv: ["DATABASE_URL"] }),
    sources({ DATABASE_URL: "postgres://u:pw@db/x", HOME: "/home/someone" }),
  );
  assert.deepEqual(launch.secrets, [
    { name: "DATABASE_URL", value: "postgres://u:pw@db/x", reference: "${DATABASE_URL}" },
  ]);
});

Deno.test("every secret in args is warned about, ${ENV} ones included; plain variables are not", async () => {
  const launch = await resolveLaunch(
    stdioAccount({
      args: ["--token=${GH_TOKEN}", "--home=${HOME}", "--dsn=${DSN}", "again ${GH_TOKEN}"],
      secretEnv: ["DSN"],
    }),
    sources({ GH_TOKEN: "ghp_secret", HOME: "/home/someone", DSN: "postgres://x" }),
  );
  assert.deepEqual(launch.warnings.map((w) => /args\[(\d)\]/.exec(w)?.[1]), ["0", "2", "3"]);
  assert.ok(launch.warnings.every((w) => !w.includes("ghp_secret") && !w.includes("postgres")));
});

Deno.test("${ENV} in an http URL and headers is resolved and recorded", async () => {
  const launch = await resolveLaunch(
    httpAccount({
      url: "https://${HOST}/mcp",
      headers: { Authorization: "Bearer ${LINEAR_KEY}" },
    }),
    sources({ HOST: "mcp.linear.app", LINEAR_KEY: "lin_123" }),
  );
  assert.deepEqual(launch.spec, {
    transport: "http",
    url: "https://mcp.linear.app/mcp",
    headers: { Authorization: "Bearer lin_123" },
  });
  assert.deepEqual(launch.secrets, [{ name: "LINEAR_KEY", value: "lin_123", reference: "${LINEAR_KEY}" }]);
});

Deno.test("a variable used twice is recorded once", async () => {
  const launch = await resolveLaunch(
    stdioAccount({ env: { A: "${TOKEN}", B: "x${TOKEN}y" } }),
    sources({ TOKEN: "t0k" }),
  );
  assert.deepEqual(launch.spec.transport === "stdio" && launch.spec.env, { A: "t0k", B: "xt0ky" });
  assert.deepEqual(launch.secrets, [{ name: "TOKEN", value: "t0k", reference: "${TOKEN}" }]);
});

Deno.test("$${ stays a literal ${ and is not looked up", async () => {
  const launch = await resolveLaunch(stdioAccount({ args: ["$${HOME}"] }), sources({ HOME: "/root" }));
  assert.deepEqual(launch.spec.transport === "stdio" && launch.spec.args, ["${HOME}"]);
  assert.deepEqual(launch.secrets, []);
});

Deno.test("vault:NAME and ${vault:NAME} are read from the vault and recorded by secret name", async () => {
  const src = sources({}, { acme_token: "s3cr3t", "acme.host": "api.acme.dev" });
  const launch = await resolveLaunch(
    httpAccount({
      url: "https://${vault:acme.host}/mcp",
      headers: { Authorization: "Bearer ${vault:acme_token}", "X-Key": "vault:acme_token" },
    }),
    src,
  );
  assert.deepEqual(launch.spec, {
    transport: "http",
    url: "https://api.acme.dev/mcp",
    headers: { Authorization: "Bearer s3cr3t", "X-Key": "s3cr3t" },
  });
  assert.deepEqual(
    [...launch.secrets].sort((a, b) => a.name < b.name ? -1 : 1),
    [{ name: "acme.host", value: "api.acme.dev", reference: "vault:acme.host" }, {
      name: "acme_token",
      value: "s3cr3t",
      reference: "vault:acme_token",
    }],
  );
  assert.deepEqual(launch.warnings, []);
  assert.deepEqual(new Set(src.vaultReads), new Set(["acme.host", "acme_token"]));
});

Deno.test("a vault secret in stdio env is resolved without a warning", async () => {
  const launch = await resolveLaunch(
    stdioAccount({ env: { GITHUB_TOKEN: "vault:acme_token" } }),
    sources({}, { acme_token: "ghp_x" }),
  );
  assert.deepEqual(launch.spec.transport === "stdio" && launch.spec.env, { GITHUB_TOKEN: "ghp_x" });
  assert.deepEqual(launch.secrets, [{ name: "acme_token", value: "ghp_x", reference: "vault:acme_token" }]);
  assert.deepEqual(launch.warnings, []);
});

Deno.test("a vault secret in args is resolved with one warning recommending env", async () => {
  const launch = await resolveLaunch(
    stdioAccount({ args: ["--plain", "--token=${vault:acme_token}"] }),
    sources({}, { acme_token: "ghp_x" }),
  );
  assert.deepEqual(launch.spec.transport === "stdio" && launch.spec.args, ["--plain", "--token=ghp_x"]);
  assert.equal(launch.warnings.length, 1);
  const [warning] = launch.warnings;
  assert.match(warning, /^account "acme": args\[1\] /);
  assert.match(warning, /"env"/);
  assert.equal(warning.includes("ghp_x"), false, "the warning must not contain the secret");
});

Deno.test("a whole-value vault reference in args is also warned about", async () => {
  const launch = await resolveLaunch(
    stdioAccount({ args: ["vault:acme_token"] }),
    sources({}, { acme_token: "ghp_x" }),
  );
  assert.equal(launch.warnings.length, 1);
  assert.match(launch.warnings[0], /args\[0\]/);
});

Deno.test("a missing environment variable is a config error naming the account and field", async () => {
  const cases: [AccountConfig, string][] = [
    [stdioAccount({ env: { GITHUB_TOKEN: "${GH_TOKEN}" } }), "env.GITHUB_TOKEN"],
    [stdioAccount({ args: ["--x", "${GH_TOKEN}"] }), "args[1]"],
    [httpAccount({ url: "https://${GH_TOKEN}/mcp" }), "url"],
    [httpAccount({ headers: { Authorization: "Bearer ${GH_TOKEN}" } }), "headers.Authorization"],
  ];
  for (const [account, field] of cases) {
    const error = await failure(resolveLaunch(account, sources({ OTHER: "x" })));
    assert.equal(error.code, "config", field);
    assert.equal(
      error.message,
      `account "acme": ${field} uses \${GH_TOKEN}, but that environment variable is not set`,
    );
  }
});

Deno.test("the command is taken literally: references are resolved only in args, env, url and headers", async () => {
  const launch = await resolveLaunch(stdioAccount({ command: "${NOT_A_REFERENCE}" }), sources({}));
  assert.equal(launch.spec.transport === "stdio" && launch.spec.command, "${NOT_A_REFERENCE}");
});

Deno.test("an empty environment variable counts as set", async () => {
  const launch = await resolveLaunch(stdioAccount({ env: { X: "${EMPTY}" } }), sources({ EMPTY: "" }));
  assert.deepEqual(launch.spec.transport === "stdio" && launch.spec.env, { X: "" });
});

Deno.test("a missing vault secret is an auth error telling the user how to set it", async () => {
  const forms = [
    stdioAccount({ env: { GITHUB_TOKEN: "vault:acme_token" } }),
    stdioAccount({ env: { GITHUB_TOKEN: "Bearer ${vault:acme_token}" } }),
    httpAccount({ headers: { Authorization: "Bearer ${vault:acme_token}" } }),
  ];
  for (const account of forms) {
    const error = await failure(resolveLaunch(account, sources({}, { other: "x" })));
    assert.equal(error.code, "auth");
    assert.equal(error.message, MISSING_VAULT);
  }
});

Deno.test("without a vault source every vault reference fails with the same auth message", async () => {
  const src = sources({ GH_TOKEN: "x" });
  assert.equal(src.vault, undefined);
  for (
    const account of [
      stdioAccount({ env: { GITHUB_TOKEN: "vault:acme_token" } }),
      httpAccount({ url: "https://host/${vault:acme_token}" }),
    ]
  ) {
    const error = await failure(resolveLaunch(account, src));
    assert.equal(error.code, "auth");
    assert.equal(error.message, MISSING_VAULT);
  }
});

Deno.test("without a vault source an account with only env references still launches", async () => {
  const launch = await resolveLaunch(stdioAccount({ env: { T: "${GH_TOKEN}" } }), sources({ GH_TOKEN: "x" }));
  assert.deepEqual(launch.secrets, [{ name: "GH_TOKEN", value: "x", reference: "${GH_TOKEN}" }]);
});

Deno.test("a malformed reference is a config error naming the account and field", async () => {
  const error = await failure(
    resolveLaunch(stdioAccount({ env: { TOKEN: "${unclosed" } }), sources({ unclosed: "x" })),
  );
  assert.equal(error.code, "config");
  assert.match(error.message, /^account "acme": env\.TOKEN: /);
});

Deno.test("an oauth: reference without OAuth support in this mode is a config error naming the field", async () => {
  const error = await failure(resolveLaunch(httpAccount({ headers: { A: "oauth:acme" } }), sources()));
  assert.equal(error.code, "config");
  assert.match(error.message, /^account "acme": headers\.A: oauth: references cannot be used here/);
});

Deno.test("an oauth: reference is the login's access token, listed for redaction", async () => {
  const asked: string[] = [];
  const remote = {
    authProvider: () => ({ token: () => Promise.resolve(undefined) }),
    rememberedTransport: () => Promise.resolve(undefined),
    rememberTransport: () => Promise.resolve(),
    loginToken: (name: string) => {
      asked.push(name);
      return Promise.resolve({ token: "token-value-0123456789", renewAt: 1234 });
    },
  };
  const launch = await resolveLaunch(
    httpAccount({ headers: { Authorization: "Bearer ${oauth:work}" } }),
    { ...sources(), remote },
  );
  assert.equal(
    launch.spec.transport === "http" && launch.spec.headers.Authorization,
    "Bearer token-value-0123456789",
  );
  assert.deepEqual(asked, ["work"]);
  assert.deepEqual(launch.secrets, [
    { name: "oauth:work", value: "token-value-0123456789", reference: "oauth:work" },
  ]);
  assert.equal(launch.renewAt, 1234, "the upstream is restarted when the token is due");
});
