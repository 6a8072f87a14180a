/**
 * The broker's `deno run` flags live in one place (lib/run_flags.ts). These tests fail when any
 * launch line drifts from it: a deno.json task, a launch line built in TypeScript, the installer,
 * or the release build (which must never get the run-only flags).
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { BROKER_RUN_FLAGS, PERMISSION_SET_FLAG, RUN_ONLY_FLAGS } from "../../lib/run_flags.ts";
import { selfInvocation } from "../../lib/daemon/spawn.ts";
import { launchSpec } from "../../lib/clients/mod.ts";
import { brokerLine } from "../../scripts/bench/processes.ts";
import { installArgs } from "../../scripts/install.ts";
import { compileArgs, TARGETS } from "../../scripts/compile.ts";
import { janusmcpArgs, REPO } from "../e2e/harness.ts";

const denoJson = JSON.parse(await Deno.readTextFile(`${REPO}deno.json`));

/** Whether `flags` appear in `args` in order, as one run, right before `entry`. */
function flagsBefore(args: readonly string[], entry: string): boolean {
  const at = args.indexOf(entry);
  return at >= BROKER_RUN_FLAGS.length &&
    BROKER_RUN_FLAGS.every((flag, i) => args[at - BROKER_RUN_FLAGS.length + i] === flag);
}

Deno.test("the permission set is one of the run flags, and the run-only flags are the rest", () => {
  assert.deepEqual(BROKER_RUN_FLAGS, [PERMISSION_SET_FLAG, ...RUN_ONLY_FLAGS]);
  assert.ok(!BROKER_RUN_FLAGS.includes("-A"));
});

Deno.test("every deno.json task that runs the broker or the demo uses exactly the run flags", () => {
  const runFlags = `deno run --quiet ${BROKER_RUN_FLAGS.join(" ")} `;
  for (const name of ["dev", "start", "janusmcp", "demo"]) {
    assert.ok(
      (denoJson.tasks[name].command as string).startsWith(runFlags),
      `task ${name}: "${denoJson.tasks[name].command}" does not start with "${runFlags}"`,
    );
  }
  // No other task starts main.ts with its own flags.
  for (const [name, task] of Object.entries(denoJson.tasks as Record<string, string | { command: string }>)) {
    const command = typeof task === "string" ? task : task.command;
    if (/^deno run .*\bmain\.ts\b/.test(command)) assert.ok(command.startsWith(runFlags), `task ${name}`);
  }
});

Deno.test("the daemon, the client launcher, the e2e harness and the bench start the broker with the run flags", () => {
  const self = selfInvocation(); // under `deno test` this is the deno CLI, so the from-source form
  assert.ok(flagsBefore(self.args, self.args.at(-1) ?? ""), self.args.join(" "));
  const spec = launchSpec({
    execPath: "/usr/bin/deno",
    mainModule: "file:///src/janusmcp/main.ts",
    exists: () => true,
    which: () => undefined,
  });
  assert.ok(flagsBefore(spec.args, "/src/janusmcp/main.ts"), spec.args.join(" "));
  assert.ok(flagsBefore(janusmcpArgs("serve"), `${REPO}main.ts`));
  assert.ok(flagsBefore(brokerLine(["serve"]).args, `${REPO}main.ts`));
  const inspected = brokerLine(["serve"], ["--inspect=127.0.0.1:0"]).args;
  assert.ok(BROKER_RUN_FLAGS.every((flag) => inspected.includes(flag)), inspected.join(" "));
});

Deno.test("deno task install writes the run-only flags into the launcher; deno compile never gets them", async () => {
  const install = await installArgs("/tmp/root");
  for (const flag of RUN_ONLY_FLAGS) assert.ok(install.includes(flag), install.join(" "));
  assert.equal(install.at(-1), join(REPO, "main.ts"));
  for (const target of TARGETS) {
    const compile = await compileArgs(target, "/out/x");
    for (const flag of RUN_ONLY_FLAGS) assert.ok(!compile.includes(flag), `${target.triple}: ${flag}`);
  }
});

/** Every TypeScript file of the project, outside dependencies. */
async function* sources(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory && entry.name !== "node_modules" && !entry.name.startsWith(".")) {
      yield* sources(path);
    } else if (entry.isFile && entry.name.endsWith(".ts")) yield path;
  }
}

Deno.test("no launch line spells a run flag itself: they all spread BROKER_RUN_FLAGS", async () => {
  const spelled = [PERMISSION_SET_FLAG, ...RUN_ONLY_FLAGS].map((flag) => new RegExp(`["'\`]${flag}["'\`,]`));
  const offenders: string[] = [];
  for (const top of ["lib", "scripts", "tests"]) {
    for await (const path of sources(join(REPO, top))) {
      const file = relative(REPO, path);
      if (file === "lib/run_flags.ts") continue;
      const text = await Deno.readTextFile(path);
      for (const [n, line] of text.split("\n").entries()) {
        if (spelled.some((pattern) => pattern.test(line))) offenders.push(`${file}:${n + 1}: ${line.trim()}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});
