import assert from "node:assert/strict";
import { type OptionSpecs, parseCommandLine, parseOptions } from "../../lib/cli/args.ts";
import { JanusError } from "../../lib/errors.ts";

const COMMANDS: { name: string; options?: OptionSpecs }[] = [
  { name: "serve", options: { demo: { type: "boolean" }, port: { type: "string" } } },
  { name: "version" },
  {
    name: "call",
    options: { account: { type: "string", value: "an account id" }, args: { type: "string" } },
  },
  { name: "vault" },
];

function parse(...argv: string[]) {
  return parseCommandLine(argv, COMMANDS, "serve");
}

/** The usage error parsing these arguments throws. */
function usageError(argv: string[]): JanusError {
  try {
    parse(...argv);
  } catch (error) {
    assert.ok(error instanceof JanusError, String(error));
    assert.equal(error.code, "usage");
    return error;
  }
  assert.fail(`expected ${JSON.stringify(argv)} to be a usage error`);
}

Deno.test("no arguments choose the default command with no flags", () => {
  const line = parse();
  assert.equal(line.name, "serve");
  assert.equal(line.typed, false);
  assert.deepEqual([line.json, line.help, line.version, line.configPath], [false, false, false, undefined]);
  assert.deepEqual(line.args, { positionals: [], values: {} });
});

Deno.test("global flags are recognised before, between and after command arguments", () => {
  const line = parse("--json", "serve", "--demo", "-h", "--version");
  assert.equal(line.command?.name, "serve");
  assert.deepEqual([line.json, line.help, line.version], [true, true, true]);
  assert.equal(line.args.values.demo, true);
  const other = parse("serve", "--config", "a.json", "--demo", "--json");
  assert.equal(other.configPath, "a.json");
  assert.equal(other.json, true);
});

Deno.test("a command's own options work before the command name and around its positionals", () => {
  for (
    const argv of [
      ["call", "echo", "--account", "a1", "--args", "{}"],
      ["call", "--account", "a1", "echo", "--args={}"],
      ["--account", "a1", "call", "--args", "{}", "echo"],
      ["--json", "call", "--account=a1", "--args", "{}", "echo", "--json"],
    ]
  ) {
    const line = parse(...argv);
    assert.equal(line.command?.name, "call", argv.join(" "));
    assert.deepEqual(line.args.positionals, ["echo"], argv.join(" "));
    assert.equal(line.args.values.account, "a1", argv.join(" "));
    assert.equal(line.args.values.args, "{}", argv.join(" "));
  }
});

Deno.test("a leading option means the default command (janusmcp --demo serves the demo)", () => {
  const line = parse("--demo", "--port", "0");
  assert.equal(line.command?.name, "serve");
  assert.equal(line.typed, false);
  assert.deepEqual(line.args.values, { demo: true, port: "0" });
});

Deno.test("short -h and -V mean help and version", () => {
  const line = parse("-h", "-V");
  assert.equal(line.help, true);
  assert.equal(line.version, true);
});

Deno.test("--config=PATH and --config PATH both set the config path; the last one wins", () => {
  assert.equal(parse("--config=/tmp/x.json").configPath, "/tmp/x.json");
  assert.equal(parse("--config", "/tmp/y.json").configPath, "/tmp/y.json");
  assert.equal(parse("--config=a=b.json").configPath, "a=b.json");
  assert.equal(parse("--config", "a.json", "--config=b.json").configPath, "b.json");
  assert.deepEqual(parse("serve", "--config", "c.json").args.positionals, []);
});

Deno.test("--config without a value is a usage error, wherever it stands", () => {
  for (const argv of [["--config"], ["serve", "--config"], ["--config", "--json"], ["--config="]]) {
    assert.equal(usageError(argv).message, "--config needs a file path", JSON.stringify(argv));
  }
});

Deno.test("a command option without its value names the command and what is missing", () => {
  assert.equal(usageError(["call", "echo", "--account"]).message, "call: --account needs an account id");
  assert.equal(
    usageError(["call", "--account", "--json", "x"]).message,
    "call: --account needs an account id",
  );
});

Deno.test("a boolean flag given a value is a usage error", () => {
  assert.equal(usageError(["serve", "--demo=yes"]).message, "serve: --demo takes no value");
  assert.equal(usageError(["version", "--json=1"]).message, "--json takes no value");
});

Deno.test("an option of another command is unknown to this one", () => {
  assert.match(usageError(["version", "--account", "a1"]).message, /^version: Unknown option '--account'/);
  assert.match(usageError(["serve", "--nope"]).message, /^serve: Unknown option '--nope'/);
});

Deno.test("-- stops option parsing: what follows is positional", () => {
  const line = parse("vault", "--json", "--", "--help", "--config", "x");
  assert.equal(line.json, true);
  assert.equal(line.help, false);
  assert.equal(line.configPath, undefined);
  assert.deepEqual(line.args.positionals, ["--help", "--config", "x"]);
});

Deno.test("an unknown command is reported, not its flags", () => {
  const line = parse("--json", "bogus", "--whatever");
  assert.equal(line.command, undefined);
  assert.equal(line.name, "bogus");
  assert.equal(line.json, true);
});

Deno.test("conflicting declarations of one option by two commands are refused", () => {
  assert.throws(
    () =>
      parseCommandLine([], [
        { name: "a", options: { x: { type: "string" } } },
        { name: "b", options: { x: { type: "boolean" } } },
      ], "a"),
    /option --x of b conflicts/,
  );
});

Deno.test("parseOptions alone leaves good input untouched", () => {
  assert.deepEqual(parseOptions(["a", "--port", "7", "b"], { port: { type: "string" } }), {
    positionals: ["a", "b"],
    values: { port: "7" },
  });
  assert.deepEqual(parseOptions(["--port=-1"], { port: { type: "string" } }).values, { port: "-1" });
});
