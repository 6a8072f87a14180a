import assert from "node:assert/strict";
import { parse as parseToml } from "smol-toml";
import { readTomlEntry, removeTomlEntry, setTomlEntry } from "../../lib/clients/toml_edit.ts";
import { JanusError } from "../../lib/errors.ts";

const ENTRY = {
  command: "/Users/me/My Tools/janusmcp",
  args: ["serve"],
  env: { JANUS_CONFIG: "/a b/c.json" },
};
const set = (text: string, value: Record<string, unknown> = ENTRY) =>
  setTomlEntry(text, "config.toml", "mcp_servers", "janusmcp", value);
const remove = (text: string) => removeTomlEntry(text, "config.toml", "mcp_servers", "janusmcp");

/** Parsed TOML as plain objects (smol-toml's tables have no prototype). */
const parse = (text: string): unknown => JSON.parse(JSON.stringify(parseToml(text)));
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const WITH_OTHERS = `# Codex settings
model = "o3" # the default

[mcp_servers.github]
command = "npx"
args = ["-y", "gh"]

[mcp_servers.github.env]
TOKEN_NAME = "work"

# profiles below
[profiles.fast]
model = "mini"
`;

function configError(fn: () => unknown): JanusError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof JanusError);
    assert.equal(error.code, "config");
    return error;
  }
  assert.fail("expected a config error");
}

Deno.test("an empty config.toml gets one [mcp_servers.janusmcp] table with its env sub-table", () => {
  const out = set("");
  assert.deepEqual(parse(out), { mcp_servers: { janusmcp: ENTRY } });
  assert.match(out, /^\[mcp_servers\.janusmcp\]\ncommand = "\/Users\/me\/My Tools\/janusmcp"\n/);
  assert.match(out, /\[mcp_servers\.janusmcp\.env\]\nJANUS_CONFIG = "\/a b\/c\.json"\n$/);
});

Deno.test("adding appends after everything else and keeps every comment and table as written", () => {
  const out = set(WITH_OTHERS);
  assert.ok(out.startsWith(WITH_OTHERS), "the original text is an untouched prefix");
  assert.deepEqual(plain(readTomlEntry(out, "config.toml", "mcp_servers", "janusmcp")), ENTRY);
  assert.equal(remove(out), WITH_OTHERS);
});

Deno.test("an existing entry is replaced where it was; a comment introducing the next table stays", () => {
  const text = `[mcp_servers.janusmcp]\ncommand = "old"\n\n[mcp_servers.janusmcp.env]\nA = "1"\n\n` +
    `# the next one\n[mcp_servers.other]\ncommand = "x"\n`;
  const out = set(text);
  assert.match(out, /^\[mcp_servers\.janusmcp\]\ncommand = "\/Users/);
  assert.match(
    out,
    /JANUS_CONFIG = "\/a b\/c\.json"\n\n# the next one\n\[mcp_servers\.other\]\ncommand = "x"\n$/,
  );
  assert.deepEqual((parse(out) as { mcp_servers: Record<string, unknown> }).mcp_servers.janusmcp, ENTRY);
  assert.doesNotMatch(out, /A = "1"/);
});

Deno.test("setting the same entry twice gives the same text", () => {
  const once = set(WITH_OTHERS);
  assert.equal(set(once), once);
});

Deno.test("removing an absent entry returns the text unchanged", () => {
  assert.equal(remove(WITH_OTHERS), WITH_OTHERS);
  assert.equal(remove(""), "");
});

Deno.test("an entry written inline is refused, not half-rewritten", () => {
  const inline = `[mcp_servers]\njanusmcp = { command = "x" }\nother = { command = "y" }\n`;
  assert.match(configError(() => set(inline)).message, /written inline or with dotted keys/);
  assert.match(configError(() => remove(inline)).message, /written inline or with dotted keys/);
});

Deno.test("a root-level inline mcp_servers table is refused with the reason", () => {
  const error = configError(() => set(`mcp_servers = { other = { command = "x" } }\n`));
  assert.match(
    error.message,
    /cannot add a \[mcp_servers\.janusmcp\] table here \(is mcp_servers an inline table\?\)/,
  );
});

Deno.test("invalid TOML is reported with file, line and column", () => {
  const error = configError(() => set(`model = "o3"\n[broken\n`));
  assert.match(error.message, /^config\.toml:2:\d+: not valid TOML/);
});

Deno.test("quoted table keys are recognised as ours", () => {
  const text = `["mcp_servers"."janusmcp"]\ncommand = "old"\n`;
  assert.deepEqual(parse(set(text)), { mcp_servers: { janusmcp: ENTRY } });
  assert.equal(remove(text), "");
});
