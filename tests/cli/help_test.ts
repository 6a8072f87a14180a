import assert from "node:assert/strict";
import type { ParsedArgs } from "../../lib/cli/args.ts";
import type { CliContext, Command, ListedCommand } from "../../lib/cli/context.ts";
import { helpCommand, overview } from "../../lib/cli/help.ts";
import { JanusError } from "../../lib/errors.ts";
import { PRODUCT } from "../../lib/version.ts";

function command(name: string, summary: string, extra: Partial<Command> = {}): Command {
  return {
    name,
    summary,
    usage: `Usage: janusmcp ${name} [things]`,
    run: () => Promise.resolve(0),
    ...extra,
  };
}

/** A command as main lists it: the module is "loaded" when help needs its usage. */
function listed(command: Command): ListedCommand {
  return { ...command, load: () => Promise.resolve(command) };
}

const COMMANDS: ListedCommand[] = [
  command("serve", "Serve the broker"),
  command("version", "Print the version"),
  command("secret-tool", "Internal", { hidden: true }),
  command("accounts", "List accounts"),
].map(listed);

/** Parsed arguments with these positionals and no options. */
function args(...positionals: string[]): ParsedArgs {
  return { positionals, values: {} };
}

/** A context that records what is written to it. */
function capture(json = false): CliContext & { written: { out: string; err: string } } {
  const written = { out: "", err: "" };
  return {
    json,
    written,
    out: (text) => {
      written.out += text;
    },
    err: (text) => {
      written.err += text;
    },
  };
}

Deno.test("the overview starts with the product title and version", () => {
  assert.ok(overview(COMMANDS).startsWith(`${PRODUCT.title} ${PRODUCT.version} — `));
});

Deno.test("the overview lists visible commands in order with aligned summaries", () => {
  const text = overview(COMMANDS);
  const section = text.slice(text.indexOf("Commands:\n") + "Commands:\n".length, text.indexOf("\n\nGlobal"));
  assert.deepEqual(section.split("\n"), [
    "  serve     Serve the broker",
    "  version   Print the version",
    "  accounts  List accounts",
  ]);
});

Deno.test("the overview leaves hidden commands out", () => {
  assert.equal(overview(COMMANDS).includes("secret-tool"), false);
});

Deno.test("the overview documents every global option and how to get a command's help", () => {
  const text = overview(COMMANDS);
  for (const option of ["--config PATH", "--json", "--help, -h", "--version, -V"]) {
    assert.ok(text.includes(option), option);
  }
  assert.ok(text.includes('{"ok":false,"error":{...}}'));
  assert.ok(text.includes('Run "janusmcp help COMMAND"'));
  assert.ok(text.endsWith("\n"));
});

Deno.test("help without arguments prints the overview of the current command list", async () => {
  const list = [...COMMANDS];
  const help = helpCommand(() => list);
  list.push(listed(command("late", "Added after the help command was built")));
  const ctx = capture();
  assert.equal(await help.run(args(), ctx), 0);
  assert.equal(ctx.written.out, overview(list));
  assert.ok(ctx.written.out.includes("late"));
  assert.equal(ctx.written.err, "");
});

Deno.test("help COMMAND prints that command's usage", async () => {
  const ctx = capture();
  assert.equal(await helpCommand(() => COMMANDS).run(args("accounts"), ctx), 0);
  assert.equal(ctx.written.out, "Usage: janusmcp accounts [things]\n");
});

Deno.test("help for a hidden command still prints its usage", async () => {
  const ctx = capture();
  assert.equal(await helpCommand(() => COMMANDS).run(args("secret-tool"), ctx), 0);
  assert.equal(ctx.written.out, "Usage: janusmcp secret-tool [things]\n");
});

Deno.test("help for an unknown command is a usage error pointing at help", async () => {
  const ctx = capture();
  await assert.rejects(
    async () => await helpCommand(() => COMMANDS).run(args("nosuch"), ctx),
    (error: unknown) => {
      assert.ok(error instanceof JanusError);
      assert.equal(error.code, "usage");
      assert.equal(error.message, 'unknown command "nosuch"; run "janusmcp help" for the list');
      return true;
    },
  );
  assert.equal(ctx.written.out, "");
});

Deno.test("the help command describes itself", () => {
  const help = helpCommand(() => COMMANDS);
  assert.equal(help.name, "help");
  assert.equal(help.hidden, undefined);
  assert.match(help.usage, /^Usage: janusmcp help \[command\]/);
});
