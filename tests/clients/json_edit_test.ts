import assert from "node:assert/strict";
import { readJsonEntry, removeJsonEntry, setJsonEntry } from "../../lib/clients/json_edit.ts";
import { JanusError } from "../../lib/errors.ts";

const ENTRY = {
  command: "/Applications/Jan us/janusmcp",
  args: ["serve"],
  env: { JANUS_CONFIG: "/a b/c.json" },
};
const set = (text: string, value: unknown = ENTRY) =>
  setJsonEntry(text, "mcp.json", ["mcpServers"], "janusmcp", value);
const remove = (text: string) => removeJsonEntry(text, "mcp.json", ["mcpServers"], "janusmcp");
const read = (text: string) => readJsonEntry(text, "mcp.json", ["mcpServers"], "janusmcp");

const WITH_OTHERS = `{
  // my servers
  "theme": "dark",
  "mcpServers": {
    "github": { "command": "npx", "args": ["-y", "gh"] }, // work account
    /* the file server */
    "files": {"command": "files"},
  },
}
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

Deno.test("an empty file becomes a document holding only the entry, 2-space indented, newline-terminated", () => {
  const out = set("");
  assert.deepEqual(JSON.parse(out), { mcpServers: { janusmcp: ENTRY } });
  assert.ok(out.endsWith("}\n"));
  assert.match(out, /^\{\n {2}"mcpServers"/);
});

Deno.test("adding keeps every other server, the comments, trailing commas and their formatting byte for byte", () => {
  const out = set(WITH_OTHERS);
  assert.deepEqual(read(out), ENTRY);
  // Everything that was there is still there, in order, untouched.
  assert.ok(out.startsWith(WITH_OTHERS.slice(0, WITH_OTHERS.indexOf(`"files"`))));
  assert.match(out, /"github": \{ "command": "npx", "args": \["-y", "gh"\] \}, \/\/ work account\n/);
  assert.match(out, /"files": \{"command": "files"\},\n {4}"janusmcp": \{/);
  // Removing it again gives back the original text exactly.
  assert.equal(remove(out), WITH_OTHERS);
});

Deno.test("adding after a last entry without a comma adds the comma before that entry's comment", () => {
  const text = `{\n  "mcpServers": {\n    "other": { "command": "x" } // keep me\n  }\n}\n`;
  const out = set(text);
  assert.match(out, /"other": \{ "command": "x" \}, \/\/ keep me\n {4}"janusmcp": \{/);
  assert.equal(remove(out), text);
});

Deno.test("the file's indentation, tabs and CRLF line endings are used for the new entry", () => {
  const tabs = set(`{\r\n\t"other": 1\r\n}\r\n`);
  assert.match(tabs, /\r\n\t"mcpServers": \{\r\n\t\t"janusmcp": \{\r\n\t\t\t"command"/);
  assert.ok(!/[^\r]\n/.test(tabs), "no bare LF in a CRLF file");
  const four = set(`{\n    "mcpServers": {}\n}\n`);
  assert.match(four, /\n {8}"janusmcp": \{\n {12}"command"/);
});

Deno.test("a byte-order mark is kept", () => {
  const out = set(`\uFEFF{"mcpServers": {}}`);
  assert.ok(out.startsWith("\uFEFF{"));
  assert.deepEqual(read(out), ENTRY);
});

Deno.test("an existing entry is replaced in place, leaving its neighbours alone", () => {
  const first = set(WITH_OTHERS, { command: "old" });
  const second = set(first);
  assert.deepEqual(read(second), ENTRY);
  assert.equal(remove(second), WITH_OTHERS);
});

Deno.test("removing an absent entry, or from a file without the container, returns the text unchanged", () => {
  assert.equal(remove(WITH_OTHERS), WITH_OTHERS);
  assert.equal(remove(`{"theme": "dark"}`), `{"theme": "dark"}`);
  assert.equal(remove(""), "");
});

Deno.test("removing the only entry leaves an empty container and the rest of the file", () => {
  const text = `{\n  "a": 1,\n  "mcpServers": {\n    "janusmcp": { "command": "x" }\n  }\n}\n`;
  assert.equal(remove(text), `{\n  "a": 1,\n  "mcpServers": {\n  }\n}\n`);
});

Deno.test("a nested container path is created level by level (Zed's context_servers beside other settings)", () => {
  const text = `{\n  // Zed settings\n  "vim_mode": true\n}\n`;
  const out = setJsonEntry(text, "settings.json", ["context_servers"], "janusmcp", ENTRY);
  assert.match(
    out,
    /^\{\n {2}\/\/ Zed settings\n {2}"vim_mode": true,\n {2}"context_servers": \{\n {4}"janusmcp"/,
  );
});

Deno.test("a syntax error is reported with file, line and column, and nothing is produced", () => {
  const error = configError(() => set(`{\n  "mcpServers": {\n    "a": 1 "b": 2\n  }\n}`));
  assert.match(error.message, /^mcp\.json:3:12: expected a comma/);
});

Deno.test("a container that is not an object is refused by name", () => {
  const error = configError(() => set(`{"mcpServers": ["x"]}`));
  assert.match(error.message, /"mcpServers" should be an object, found array/);
  assert.match(
    configError(() => set(`[1, 2]`)).message,
    /expected a JSON object at the top level, found array/,
  );
});
