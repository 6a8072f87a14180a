/**
 * The guard of `serve`'s head start (lib/early_launches.ts): the launches the CLI's entry works
 * out from the config and state files as written — JSONC parsed, not validated — are exactly the
 * ones the same rule (`earlyLaunch`, the selector precedence) gives on the config as `serve`
 * validates it, with the same vault backend. One row per config shape the README shows and the
 * head-start tests use; each row also names the accounts it starts, so no row passes by starting
 * nothing on both sides. A launch that differed would be started and never adopted (one process
 * too many), so a new config field that changes a launch belongs here.
 */
import assert from "node:assert/strict";
import { parseConfigText, StateStore } from "../lib/config/mod.ts";
import { earlyLaunch, launchesFromConfig } from "../lib/early_launches.ts";
import { resolveSelector } from "../lib/selection.ts";

interface Row {
  name: string;
  /** The config file's text, or a document written as JSON. */
  config: string | Record<string, unknown>;
  /** state.json's text (undefined: no state file). */
  state?: string;
  /** The accounts started early, in order. */
  starts: string[];
}

/** The launches and vault of the validated config, as `serve` has them once it has loaded. */
async function fromValidated(text: string, state: string | undefined) {
  const config = await parseConfigText(text, "config.jsonc");
  const launches = resolveSelector(config, { global: await savedSelector(state) }).accounts.flatMap(
    (account) => {
      const launch = account.transport === "stdio" ? earlyLaunch(account) : undefined;
      return launch ? [launch] : [];
    },
  );
  return { launches, vault: config.vault.backend };
}

/** The saved selector as `serve` loads it: state.json written beside a config and read by StateStore. */
async function savedSelector(text: string | undefined) {
  if (text === undefined) return undefined;
  const dir = await Deno.makeTempDir({ prefix: "janus-early-match-" });
  try {
    await Deno.writeTextFile(`${dir}/state.json`, text);
    const store = new StateStore(`${dir}/config.json`, { warn: () => {} });
    return (await store.load()).globalSelector;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const stdio = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  service: "s",
  command: `srv-${id}`,
  ...fields,
});
const saved = (selector: unknown) => JSON.stringify({ globalSelector: selector });

/** The README's first config, as it is printed there (comments and all). */
const README_CONFIG = `{
  "bindingMode": "session", // "global" (default) | "session" | "locked"
  "defaultAccount": "github-acme",
  "accounts": [
    {
      "id": "github-acme",
      "service": "github",
      "label": "GitHub — Acme",
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "vault:acme_github" } // from the OS keychain
    },
    {
      "id": "github-globex",
      "service": "github",
      "label": "GitHub — Globex",
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "\${GLOBEX_TOKEN}" } // or from the environment
    }
  ],
  "profiles": { "acme": ["github-acme"] }
}`;

/** Every field an account and the document may set, at once. */
const EVERYTHING = {
  $schema: "https://example.com/janusmcp.schema.json",
  accounts: [
    stdio("full", {
      label: "Full",
      transport: "stdio",
      args: ["--x", "$${literal}", "a$$b", "--dir=${HOME}/x", "${vault:other}"],
      env: { MODE: "dev", GITHUB_TOKEN: "vault:gh", API_KEY: "${MY_KEY}", EMPTY: "", DB: "${vault:db}" },
      cwd: "/srv",
      secretEnv: ["MODE"],
      roots: ["/home/me/project", "file:///tmp"],
      callTimeoutSeconds: 30,
      idleCloseSeconds: 0,
      keepWarm: true,
    }),
    { id: "web", service: "s", url: "https://example.com/mcp", headers: { "X-Key": "vault:web" } },
  ],
  profiles: { all: { accounts: ["full", "web"], exposure: "search", fold: false } },
  bindingMode: "global",
  vault: { backend: "file" },
  limits: { maxMessageBytes: 1_048_576, maxHttpSessions: 10 },
  upstreams: { callTimeoutSeconds: 60, idleCloseSeconds: 600 },
  exposure: "all",
  searchThreshold: 10,
};

/** The fixture account the head-start e2e tests run (early_accounts.ts): `sh -c` with `$$` in it. */
const MARKED = stdio("marked", {
  command: "sh",
  args: ["-c", 'echo $$ >> "/tmp/m/started-a"; echo "starting as $$" >&2; exec deno run -A x.ts'],
  env: { FIXTURE_ACCOUNT: "${JANUS_FIRST_NAME}", JANUS_TEST_TAG: "t", MARK: "/tmp/m" },
});

const THREE = [stdio("a"), stdio("b", { args: ["--x", "$${lit}"], env: { MODE: "dev" } }), stdio("c")];
const PROFILES = { two: ["c", "a"], form: { accounts: ["b", "c"], exposure: "search" } };

const ROWS: Row[] = [
  { name: "README: default account", config: README_CONFIG, starts: ["github-acme"] },
  {
    name: "README: a saved account in session mode",
    config: README_CONFIG,
    state: saved({ kind: "account", id: "github-globex" }),
    starts: ["github-globex"],
  },
  {
    name: "README: a saved profile",
    config: README_CONFIG,
    state: saved({ kind: "profile", name: "acme" }),
    starts: ["github-acme"],
  },
  {
    name: "every field at once, via a saved profile",
    config: EVERYTHING,
    state: saved({ kind: "profile", name: "all" }),
    starts: ["full"],
  },
  { name: "the e2e fixture account", config: { accounts: [MARKED] }, starts: ["marked"] },
  { name: "the first account", config: { accounts: THREE }, starts: ["a"] },
  { name: "defaultAccount", config: { accounts: THREE, defaultAccount: "b" }, starts: ["b"] },
  {
    name: "a saved list profile",
    config: { accounts: THREE, profiles: PROFILES },
    state: saved({ kind: "profile", name: "two" }),
    starts: ["c", "a"],
  },
  {
    name: "a saved object profile",
    config: { accounts: THREE, profiles: PROFILES },
    state: saved({ kind: "profile", name: "form" }),
    starts: ["b", "c"],
  },
  {
    name: "a saved account",
    config: { accounts: THREE },
    state: saved({ kind: "account", id: "c" }),
    starts: ["c"],
  },
  {
    name: "a saved account that is gone",
    config: { accounts: THREE },
    state: saved({ kind: "account", id: "gone" }),
    starts: ["a"],
  },
  {
    name: "locked ignores the saved one",
    config: { accounts: THREE, bindingMode: "locked", defaultAccount: "b" },
    state: saved({ kind: "account", id: "c" }),
    starts: ["b"],
  },
  { name: "a damaged state file", config: { accounts: THREE }, state: "{not json", starts: ["a"] },
  {
    name: "a state file of another shape",
    config: { accounts: THREE },
    state: saved({ kind: "team", id: "c" }),
    starts: ["a"],
  },
  { name: "no accounts", config: { accounts: [] }, starts: [] },
  {
    name: "explicit empty args and env, explicit stdio, the keychain named",
    config: {
      accounts: [stdio("a", { transport: "stdio", args: [], env: {} })],
      vault: { backend: "keychain" },
    },
    starts: ["a"],
  },
  { name: "an empty vault section", config: { accounts: [stdio("a")], vault: {} }, starts: ["a"] },
  {
    name: "a literal in a credential-named or secretEnv variable",
    config: {
      accounts: [stdio("a", { env: { API_TOKEN: "literal-token-value", PLAIN: "x" }, secretEnv: ["PLAIN"] })],
    },
    starts: ["a"],
  },
  {
    name: "a literal command with an escaped ${",
    config: { accounts: [stdio("a", { command: "/opt/a $${b}/srv" })] },
    starts: ["a"],
  },
  {
    name: "never early: oauth:, a reference in command or cwd; remote accounts",
    config: {
      accounts: [
        stdio("o1", { env: { HELPER: "oauth:helper" } }),
        stdio("o2", { args: ["Bearer ${oauth:tok}"] }),
        stdio("c1", { command: "${HOME}/bin/srv" }),
        stdio("c2", { cwd: "${HOME}" }),
        { id: "h", service: "s", transport: "http", url: "https://example.com/mcp" },
        { id: "e", service: "s", transport: "sse", url: "https://example.com/sse" },
        { id: "u", service: "s", url: "https://example.com/mcp" },
        stdio("ok"),
      ],
      profiles: { p: ["o1", "o2", "c1", "c2", "h", "e", "u", "ok"] },
    },
    state: saved({ kind: "profile", name: "p" }),
    starts: ["ok"],
  },
  {
    name: "comments, trailing commas, a byte-order mark, escapes, repeated keys (the last counts)",
    config: `\uFEFF{
      // the one we use
      "accounts": [
        {"id": "a", "service": "s", "command": "srv", "args": ["/* not a comment */", "// nor this", "\\u0041\\n",],
         "env": {"A": "1", "A": "2",},},
      ],
      /* "defaultAccount": "x", */
      "bindingMode": "session", "bindingMode": "global",
    }`,
    starts: ["a"],
  },
];

for (const row of ROWS) {
  Deno.test(`early launches match the validated config: ${row.name}`, async () => {
    const text = typeof row.config === "string" ? row.config : JSON.stringify(row.config);
    const early = launchesFromConfig(text, row.state);
    assert.deepEqual(early, await fromValidated(text, row.state));
    assert.deepEqual(early.launches.map((launch) => launch.account), row.starts);
  });
}
