/**
 * The privacy promise, end to end: a secret stored with `janusmcp vault set` in the real OS
 * keychain reaches an upstream's environment, and no path out of the broker shows it — not tool
 * results (any encoding), errors, progress, resources, logs, config, state, or CLI output.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { keychainTest } from "../secrets/secret_service.ts";
import {
  callText,
  connectBroker,
  everythingAccount,
  fixtureAccount,
  runCli,
  writeConfig,
} from "./harness.ts";

/** Every form of the canary that must never appear. */
function forms(secret: string): string[] {
  const base64 = btoa(String.fromCharCode(...new TextEncoder().encode(secret)));
  const base64url = base64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return [secret, base64, base64url, encodeURIComponent(secret)];
}

function assertClean(where: string, text: string, secret: string): void {
  for (const form of forms(secret)) assert.ok(!text.includes(form), `${where} contains the secret (${form})`);
}

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

keychainTest("a vault secret reaches the upstream and leaks through no path out of the broker", async () => {
  const name = `janus-canary-${crypto.randomUUID().slice(0, 8)}`;
  const secret = `canary+/=é-${crypto.randomUUID()}`;
  const configPath = await writeConfig({
    accounts: [
      fixtureAccount("alpha", { env: { FIXTURE_ACCOUNT: "alpha", FIXTURE_SECRET: `vault:${name}` } }),
      fixtureAccount("beta", {
        env: { FIXTURE_ACCOUNT: "beta", FIXTURE_SECRET: `prefix-\${vault:${name}}` },
      }),
      everythingAccount("everything", { API_TOKEN: `vault:${name}` }),
    ],
  });
  const configBefore = await Deno.readTextFile(configPath);
  const set = await runCli(["vault", "set", name, "--config", configPath], { stdin: `${secret}\n` });
  assert.equal(set.code, 0, set.stderr);
  const seen: string[] = [set.stdout, set.stderr];

  try {
    const session = await connectBroker(configPath, "2025-11-25");
    try {
      // It arrived: the upstream's copy hashes to the canary's hash.
      const hash = await callText(session.client, "env_sha256", { name: "FIXTURE_SECRET" });
      assert.equal(hash.text, await sha256(secret));

      const plain = await callText(session.client, "env_value", { name: "FIXTURE_SECRET" });
      assert.equal(plain.text, `[redacted:${name}]`);

      const progress: string[] = [];
      const leak = await session.client.callTool({ name: "leak", arguments: {} }, {
        onprogress: (p) => progress.push(p.message ?? ""),
      });
      const leakText = JSON.stringify(leak);
      assert.match(leakText, new RegExp(`\\[redacted:${name}\\]`));
      assert.deepEqual(progress, [`progress [redacted:${name}]`]);
      seen.push(leakText, ...progress);

      const error = await session.client.callTool({ name: "leak_error", arguments: {} }).then(
        (result) => JSON.stringify(result),
        (e: Error) => e.message,
      );
      assert.match(error, /leaking in an error/);
      seen.push(error);

      await callText(session.client, "janus_use_account", { account_id: "beta" }); // writes state.json
      seen.push(
        JSON.stringify(
          await session.client.callTool({ name: "env_value", arguments: { name: "FIXTURE_SECRET" } }),
        ),
      );
      seen.push(JSON.stringify(await session.client.callTool({ name: "leak", arguments: {} })));

      await callText(session.client, "janus_use_account", { account_id: "everything" });
      const env = await callText(session.client, "get-env");
      assert.match(env.text, new RegExp(`\\[redacted:${name}\\]`));
      seen.push(env.text);
      seen.push(JSON.stringify(await session.client.listTools()));
    } finally {
      await session.close();
    }
    seen.push(session.stderr.join("\n"));
    assert.ok(
      session.stderr.some((line) => line.includes("fixture stderr: [redacted:")),
      "upstream stderr not relayed",
    );

    const status = await runCli(["status", "--json", "--config", configPath]);
    assert.equal(status.code, 0, status.stderr);
    const alpha = JSON.parse(status.stdout).accounts.find((a: { id: string }) => a.id === "alpha");
    assert.deepEqual(alpha.needs, [{ reference: `vault:${name}`, present: true }]);
    assert.equal(alpha.state, "ready");
    const list = await runCli(["vault", "list", "--json", "--config", configPath]);
    assert.equal(list.code, 0, list.stderr);
    seen.push(status.stdout, status.stderr, list.stdout, list.stderr);

    assert.equal(await Deno.readTextFile(configPath), configBefore, "config was rewritten");
    seen.push(await Deno.readTextFile(`${dirname(configPath)}/state.json`));
    for (const [i, text] of seen.entries()) assertClean(`output #${i}`, text, secret);
  } finally {
    const deleted = await runCli(["vault", "delete", name, "--config", configPath]);
    assert.equal(deleted.code, 0, deleted.stderr);
  }
});

keychainTest("a missing vault secret fails only its account, with the command that fixes it", async () => {
  const name = `janus-missing-${crypto.randomUUID().slice(0, 8)}`;
  const configPath = await writeConfig({
    accounts: [
      fixtureAccount("alpha"),
      fixtureAccount("needy", { env: { FIXTURE_ACCOUNT: "needy", FIXTURE_SECRET: `vault:${name}` } }),
    ],
  });
  const session = await connectBroker(configPath, "2026-07-28");
  try {
    const refused = await callText(session.client, "janus_use_account", { account_id: "needy" });
    assert.equal(refused.isError, true);
    assert.match(
      refused.text,
      new RegExp(`account "needy": secret vault:${name} is not set — run: janusmcp vault set ${name}`),
    );
    assert.equal((await callText(session.client, "whoami")).text, "account:alpha");
  } finally {
    await session.close();
  }
  const status = await runCli(["status", "--json", "--config", configPath]);
  assert.equal(status.code, 4, "status exits 4 when an account needs a secret");
  const needy = JSON.parse(status.stdout).accounts.find((a: { id: string }) => a.id === "needy");
  assert.equal(needy.state, "needs-secret");
  assert.deepEqual(needy.needs, [{ reference: `vault:${name}`, present: false }]);
});
