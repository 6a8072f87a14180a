/**
 * `serve` over stdio starts the default selector's upstreams as soon as its config is loaded,
 * before the client's initialize (issue 13: their start overlaps the handshake), and only those.
 * A prestart that fails changes nothing the user sees: the broker serves, the first list or call
 * gets the usual clear error, once, and nothing is started twice for it.
 */
import assert from "node:assert/strict";
import { eventually, REPO, writeConfig } from "./harness.ts";
import { RawStdioBroker } from "./raw_stdio.ts";

/**
 * A fixture account run through `sh`, which appends its pid to `marks/started-ID` before it
 * becomes the fixture (exec keeps the pid): the test sees when, and how often, it was started.
 */
function markedAccount(id: string, marks: string): Record<string, unknown> {
  const fixture =
    `deno run --quiet --config=${REPO}deno.json --allow-env ${REPO}tests/fixtures/account_upstream.ts`;
  return {
    id,
    service: "fixture",
    command: "sh",
    args: ["-c", `echo $$ >> "${marks}/started-${id}"; exec ${fixture}`],
    env: { FIXTURE_ACCOUNT: id },
  };
}

/** The pids written to an account's start mark (empty when it never started). */
async function starts(marks: string, id: string): Promise<string[]> {
  try {
    return (await Deno.readTextFile(`${marks}/started-${id}`)).split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/** Waits until `look` has given the same answer for a full second (false after 20 s). */
async function settled(look: () => Promise<string>): Promise<boolean> {
  const deadline = Date.now() + 20_000;
  let last = await look();
  let since = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await look();
    if (now !== last) [last, since] = [now, Date.now()];
    else if (Date.now() - since >= 1_000) return true;
  }
  return false;
}

/** The text of a tools/call response frame. */
function callText(frame: Record<string, unknown>): string {
  const result = frame.result as { content?: { text?: string }[] } | undefined;
  return (result?.content ?? []).map((c) => c.text ?? "").join("");
}

/** The tool names of a tools/list response frame. */
function toolNames(frame: Record<string, unknown>): string[] {
  return ((frame.result as { tools?: { name: string }[] } | undefined)?.tools ?? []).map((t) => t.name);
}

Deno.test("serve starts only the default selector's upstream, before the client says anything", async () => {
  const marks = await Deno.makeTempDir({ prefix: "janus-prestart-" });
  const config = await writeConfig({
    accounts: ["alpha", "beta", "gamma"].map((id) => markedAccount(id, marks)),
    defaultAccount: "beta",
  });
  const broker = RawStdioBroker.start(config);
  try {
    // Not a byte sent yet: the default account's upstream starts anyway.
    const marked = () => {
      try {
        return Deno.statSync(`${marks}/started-beta`).size > 0;
      } catch {
        return false;
      }
    };
    assert.ok(await eventually(marked, 20_000), broker.stderr.join("\n"));
    const [prestarted] = await starts(marks, "beta");
    await broker.initialize();
    await broker.send({ jsonrpc: "2.0", id: "list", method: "tools/list" });
    assert.ok(toolNames(await broker.response("list")).includes("only_beta"));
    await broker.send({ jsonrpc: "2.0", id: "pid", method: "tools/call", params: { name: "pid" } });
    // The first call is served by the process started ahead, not a second one.
    assert.equal(callText(await broker.response("pid")), prestarted);
    assert.deepEqual(await starts(marks, "beta"), [prestarted]);
    assert.deepEqual(await starts(marks, "alpha"), [], "not the default: not started");
    assert.deepEqual(await starts(marks, "gamma"), [], "not the default: not started");
  } finally {
    await broker.end();
    await Deno.remove(marks, { recursive: true });
  }
});

Deno.test("a default upstream that fails at prestart: the broker serves, the first list reports it once", async () => {
  const marks = await Deno.makeTempDir({ prefix: "janus-prestart-" });
  const config = await writeConfig({
    accounts: [{
      id: "broken",
      service: "fixture",
      command: "sh",
      args: ["-c", `echo $$ >> "${marks}/started-broken"; echo "broken upstream says no" >&2; exit 3`],
    }],
  });
  const broker = RawStdioBroker.start(config);
  try {
    const said = () => broker.stderr.filter((l) => l.includes("broken upstream says no")).length;
    assert.ok(await eventually(() => said() > 0, 20_000), "the upstream was started before initialize");
    // Let the failed prestart settle: it may try the other revision too, later under load.
    assert.ok(
      await settled(async () => `${said()}/${(await starts(marks, "broken")).length}`),
      "prestart kept starting",
    );
    assert.deepEqual(
      broker.stderr.filter((line) => line.includes("unavailable") || line.includes("keepWarm")),
      [],
      "a failed prestart reports nothing of its own",
    );
    const prestarts = (await starts(marks, "broken")).length;
    await broker.initialize();
    await broker.send({ jsonrpc: "2.0", id: "list", method: "tools/list" });
    const names = toolNames(await broker.response("list"));
    assert.ok(names.includes("janus_whoami"), "the control tools are served");
    const unavailable = broker.stderr.filter((line) => line.includes("[broken] tools unavailable"));
    assert.equal(unavailable.length, 1, broker.stderr.join("\n"));
    assert.match(unavailable[0], /could not connect to its upstream \(command "sh"\)/);
    // The first list got the prestart's failure: nothing was started, or said, a second time.
    assert.equal((await starts(marks, "broken")).length, prestarts, broker.stderr.join("\n"));
    // Each start says its line at most once; under load a line can reach the log after its
    // start's mark, so only "no more lines than starts" holds at any moment.
    assert.ok(said() <= prestarts, `${said()} lines, ${prestarts} starts`);
    // The next use tries again, as after any failed first start.
    await broker.send({ jsonrpc: "2.0", id: "again", method: "tools/list" });
    await broker.response("again");
    assert.ok((await starts(marks, "broken")).length > prestarts);
  } finally {
    await broker.end();
    await Deno.remove(marks, { recursive: true });
  }
});

Deno.test("a default account whose secret is missing prompts and logs nothing at start", async () => {
  const marks = await Deno.makeTempDir({ prefix: "janus-prestart-" });
  const account = markedAccount("needy", marks);
  const config = await writeConfig({
    accounts: [{ ...account, env: { FIXTURE_ACCOUNT: "needy", TOKEN: "${JANUS_PRESTART_TEST_UNSET}" } }],
  });
  const broker = RawStdioBroker.start(config);
  try {
    assert.ok(await eventually(() => broker.stderr.some((l) => l.includes("1 account")), 20_000));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.deepEqual(broker.stderr.filter((l) => l.includes("needy")), [], "nothing said about it yet");
    await broker.initialize();
    await broker.send({ jsonrpc: "2.0", id: "list", method: "tools/list" });
    await broker.response("list");
    const unavailable = broker.stderr.filter((line) => line.includes("[needy] tools unavailable"));
    assert.equal(unavailable.length, 1, broker.stderr.join("\n"));
    assert.match(unavailable[0], /JANUS_PRESTART_TEST_UNSET/);
    assert.deepEqual(await starts(marks, "needy"), [], "never started without its secret");
  } finally {
    await broker.end();
    await Deno.remove(marks, { recursive: true });
  }
});
