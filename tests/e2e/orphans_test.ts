/**
 * No orphans: a stdio upstream started through a shell wrapper, whose background grandchild
 * ignores SIGTERM and holds the pipe, leaves no process behind on any way the broker ends —
 * stdin EOF, SIGINT, SIGTERM, or a fatal error at start — checked by process group and by a tag
 * in the environment every member inherits. The grandchild also proves the SIGKILL escalation:
 * only SIGKILL ends it, and shutdown still completes.
 */
import { must } from "../must.ts";
import assert from "node:assert/strict";
import { connectBroker, janusmcpArgs, REPO, writeConfig } from "./harness.ts";
import { groupMembers, pgidOf, pidsWithEnv, waitUntil } from "./processes.ts";

/** An account whose upstream is `sh -c` around the fixture, plus a TERM-ignoring `sleep` in its group. */
function wrappedAccount(id: string, tag: string, mark: string, extra: Record<string, unknown> = {}) {
  const fixture =
    `deno run --quiet --config=${REPO}deno.json --allow-env ${REPO}tests/fixtures/account_upstream.ts`;
  return {
    id,
    service: "fixture",
    command: "sh",
    args: ["-c", `touch "$MARK"; trap "" TERM; (sleep 600 &); exec ${fixture}`],
    env: { FIXTURE_ACCOUNT: id, JANUS_TEST_TAG: tag, MARK: mark },
    ...extra,
  };
}

async function exitPath(how: "eof" | "SIGINT" | "SIGTERM"): Promise<void> {
  const tag = crypto.randomUUID();
  const mark = `${await Deno.makeTempDir()}/started`;
  const configPath = await writeConfig({ accounts: [wrappedAccount("wrapped", tag, mark)] });
  const session = await connectBroker(configPath, "2025-11-25");
  const pid = Number(
    ((await session.client.callTool({ name: "pid", arguments: {} })).content as { text: string }[])[0].text,
  );
  const pgid = must(pgidOf(pid), "the upstream's process group");
  assert.equal(pgid, pid, "the upstream leads its own process group");
  assert.ok(await waitUntil(() => groupMembers(pgid).length >= 2), "the grandchild is in the group");
  if (how === "eof") {
    await session.close();
  } else {
    Deno.kill(session.pid, how);
  }
  assert.ok(await waitUntil(() => groupMembers(pgid).length === 0, 15_000), `left: ${groupMembers(pgid)}`);
  assert.deepEqual(pidsWithEnv("JANUS_TEST_TAG", tag), []);
  await session.close().catch(() => {});
}

for (const how of ["eof", "SIGINT", "SIGTERM"] as const) {
  Deno.test(`ending the broker by ${how} leaves no process of a wrapped upstream's group`, () =>
    exitPath(how));
}

Deno.test("a fatal error at start (HTTP port taken) leaves no process of a keepWarm upstream's group", async () => {
  const tag = crypto.randomUUID();
  const mark = `${await Deno.makeTempDir()}/started`;
  const configPath = await writeConfig({
    accounts: [wrappedAccount("wrapped", tag, mark, { keepWarm: true })],
  });
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const output = await new Deno.Command("deno", {
      args: janusmcpArgs(
        "serve",
        "--transport",
        "both",
        "--port",
        String(taken.addr.port),
        "--config",
        configPath,
      ),
      cwd: REPO,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(output.code, 2, new TextDecoder().decode(output.stderr));
    assert.match(new TextDecoder().decode(output.stderr), /already in use/);
  } finally {
    taken.close();
  }
  assert.ok(Deno.statSync(mark).isFile, "the keepWarm upstream was started before the failure");
  assert.ok(await waitUntil(() => pidsWithEnv("JANUS_TEST_TAG", tag).length === 0, 15_000));
});
