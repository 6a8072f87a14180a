/**
 * The GitHub workflows parse as YAML, every `deno task X` they run exists in deno.json, and they
 * cover what the project promises: checks and tests on three OSes, five smoke-tested targets.
 */
import { must } from "../must.ts";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { TARGETS } from "../../scripts/compile.ts";
import { REPO } from "../e2e/harness.ts";

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  "runs-on": string;
  steps: Step[];
  strategy?: { matrix: { os?: string[]; include?: { target: string; os: string }[] } };
}
interface Workflow {
  on: unknown;
  jobs: Record<string, Job>;
}

const tasks = Object.keys(JSON.parse(await Deno.readTextFile(`${REPO}deno.json`)).tasks);

async function workflow(name: string): Promise<Workflow> {
  return parse(await Deno.readTextFile(`${REPO}.github/workflows/${name}`)) as Workflow;
}

const runs = (wf: Workflow) => Object.values(wf.jobs).flatMap((job) => job.steps.map((s) => s.run ?? ""));

Deno.test("every workflow parses and calls only deno tasks that exist", async () => {
  const files = [...Deno.readDirSync(`${REPO}.github/workflows`)].map((e) => e.name).sort();
  assert.deepEqual(files, ["ci.yml", "release.yml"]);
  for (const file of files) {
    const wf = await workflow(file);
    assert.ok(Object.keys(wf.jobs).length > 0, file);
    for (const job of Object.values(wf.jobs)) assert.ok(job["runs-on"] && job.steps.length > 0, file);
    const called = runs(wf).flatMap((text) =>
      [...text.matchAll(/deno task (?:--\S+ )*([\w:-]+)/g)].map((m) => m[1])
    );
    assert.ok(called.length > 0, `${file} calls deno tasks`);
    for (const task of called) {
      assert.ok(tasks.includes(task), `${file} calls "deno task ${task}", which does not exist`);
    }
    for (const step of Object.values(wf.jobs).flatMap((job) => job.steps)) {
      if (step.uses?.startsWith("denoland/setup-deno")) assert.equal(step.with?.["deno-version"], "2.9.6");
    }
  }
});

Deno.test("ci checks fmt, lint and types, and tests on Linux (via .ci/run), macOS and Windows", async () => {
  const ci = await workflow("ci.yml");
  const all = runs(ci).join("\n");
  for (
    const command of [
      "deno fmt --check",
      "deno lint",
      "deno task check",
      "deno install --frozen",
      "bash .ci/run",
    ]
  ) {
    assert.ok(all.includes(command), command);
  }
  assert.deepEqual(ci.jobs.test.strategy?.matrix.os, ["macos-latest", "windows-latest"]);
  assert.ok(ci.jobs.test.steps.some((s) => s.run === "deno task test"));
  assert.equal(ci.jobs["test-linux"]["runs-on"], "ubuntu-latest");
});

Deno.test("release compiles and smoke-tests all five targets, each on its own OS, then publishes checksums", async () => {
  const release = await workflow("release.yml");
  assert.deepEqual(release.on, { push: { tags: ["v*"] } });
  const matrix = must(release.jobs.build.strategy?.matrix.include, "release build matrix");
  assert.deepEqual(matrix.map((m) => m.target).sort(), TARGETS.map((t) => t.triple).sort());
  const osFamily = (
    os: string,
  ) => (os.startsWith("ubuntu") ? "linux" : os.startsWith("macos") ? "darwin" : "windows");
  for (const { target, os } of matrix) {
    assert.equal(
      osFamily(os),
      must(TARGETS.find((t) => t.triple === target), target).os,
      `${target} runs on ${os}`,
    );
  }
  const build = release.jobs.build.steps.map((s) => s.run ?? "").join("\n");
  assert.match(build, /deno task compile --target \$\{\{ matrix\.target \}\}/);
  assert.match(build, /deno task smoke -- "\$BINARY"/);
  const publish = release.jobs.publish.steps.map((s) => s.run ?? "").join("\n");
  assert.match(publish, /deno task compile --checksums-only/);
  assert.match(publish, /gh release create/);
});
