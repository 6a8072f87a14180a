/**
 * No token, code or refresh token in any output, log, config or state file: a whole OAuth
 * lifetime (login, calls, a refresh, status, whoami, disconnect) with every value the servers
 * handed out collected, then searched for in everything JanusMCP printed or wrote outside the
 * vault. (The PKCE verifier never leaves the login process's memory, so it cannot be collected;
 * its absence from files and output is covered by the same scan of everything written.)
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { keychainTest } from "../secrets/secret_service.ts";
import { callText, connectBroker } from "./harness.ts";
import { startOAuthWorld, storedGrant, waitUntilExpired } from "./oauth_harness.ts";

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...await filesUnder(path));
    else if (entry.isFile) out.push(path);
  }
  return out;
}

keychainTest("a canary scan finds no token or code in any output, log, config or state file", async () => {
  const world = await startOAuthWorld({ accounts: ["acme"], accessTokenTtl: 3 });
  const { acme } = world.ids;
  const codes = join(world.stateDir, "..", `${acme}-codes.txt`);
  const outputs: string[] = [];
  const values = new Set<string>();
  const collect = async () => {
    const grant = await storedGrant(acme);
    values.add(grant.accessToken);
    if (grant.refreshToken) values.add(grant.refreshToken);
  };
  try {
    const login = await world.connect("acme", "alice", { FAKE_BROWSER_RECORD: codes });
    assert.equal(login.code, 0, login.stderr);
    outputs.push(login.stdout, login.stderr);
    await collect();
    const session = await connectBroker(world.configPath, "2025-11-25");
    try {
      for (const tool of ["whoami", "janus_whoami", "janus_list_accounts"]) {
        outputs.push(JSON.stringify(await session.client.callTool({ name: tool, arguments: {} })));
      }
      await waitUntilExpired(acme);
      outputs.push(JSON.stringify(await session.client.callTool({ name: "whoami", arguments: {} })));
      await collect();
      outputs.push((await callText(session.client, "janus_login", { account_id: "nope" })).text);
    } finally {
      await session.close();
      outputs.push(session.stderr.join("\n"));
    }
    for (
      const args of [["status"], ["status", "--json"], ["connect", acme, "--check"], ["disconnect", acme]]
    ) {
      const run = await world.cli(args);
      outputs.push(run.stdout, run.stderr);
    }
    for (const code of (await Deno.readTextFile(codes)).split("\n").filter(Boolean)) values.add(code);
    assert.ok(values.size >= 4, "tokens, a rotated refresh token and the code were collected");
    assert.ok(world.as.counts.refresh >= 1, "the scan covered a refresh");

    const files = await filesUnder(world.stateDir);
    assert.ok(files.some((f) => f.endsWith("remote-state.json")), "remote state was written");
    for (const file of files) outputs.push(`${file}\n${await Deno.readTextFile(file)}`);
    for (const text of outputs) {
      for (const value of values) {
        assert.ok(!text.includes(value), `a token or code leaked into:\n${text.slice(0, 300)}`);
      }
    }
  } finally {
    await Deno.remove(codes).catch(() => {});
    await world.close();
  }
});
