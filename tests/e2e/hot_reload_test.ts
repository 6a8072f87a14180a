/**
 * Config hot reload against a running broker: accounts added, changed and removed take effect
 * without a restart, the sessions concerned hear list_changed, and an invalid edit is reported
 * while the last good config stays in force.
 */
import assert from "node:assert/strict";
import { callText, connectBroker, fixtureAccount, isAlive } from "./harness.ts";
import { waitUntil } from "./processes.ts";

async function save(path: string, config: Record<string, unknown>): Promise<void> {
  // The way editors and janusmcp save: a temp file renamed over the config.
  await Deno.writeTextFile(`${path}.tmp`, JSON.stringify(config, null, 2));
  await Deno.rename(`${path}.tmp`, path);
}

Deno.test("hot reload: add, change and remove accounts and profiles; an invalid edit keeps the last good config", async () => {
  const dir = await Deno.makeTempDir({ prefix: "janus-reload-" });
  const path = `${dir}/config.json`;
  await save(path, { accounts: [fixtureAccount("alpha")] });
  const session = await connectBroker(path, "2025-11-25");
  const reloads = () => session.stderr.filter((line) => /config: reloaded/.test(line)).length;
  try {
    await session.client.listTools();
    const alphaPid = Number((await callText(session.client, "pid")).text);

    // Add an account and a profile.
    await save(path, {
      accounts: [fixtureAccount("alpha"), fixtureAccount("beta")],
      profiles: { both: ["alpha", "beta"] },
    });
    assert.ok(await waitUntil(() => reloads() >= 1), session.stderr.join("\n"));
    const listed = JSON.parse((await callText(session.client, "janus_list_accounts")).text);
    assert.deepEqual(listed.accounts.map((a: { id: string }) => a.id), ["alpha", "beta"]);
    assert.match(
      (await callText(session.client, "janus_use_profile", { profile: "both" })).text,
      /"ok": ?true/,
    );
    // The profile's accounts list the same tools: each is listed once, the account an argument.
    assert.equal((await callText(session.client, "whoami", { janus_account: "beta" })).text, "account:beta");
    assert.equal(
      Number((await callText(session.client, "pid", { janus_account: "alpha" })).text),
      alphaPid,
      "an unchanged account keeps running",
    );

    // Change alpha: its upstream is restarted with the new definition; the session is told.
    const before = session.notifications.filter((n) => n === "notifications/tools/list_changed").length;
    await save(path, {
      accounts: [fixtureAccount("alpha", { env: { FIXTURE_ACCOUNT: "alpha-v2" } }), fixtureAccount("beta")],
      profiles: { both: ["alpha", "beta"] },
    });
    assert.ok(await waitUntil(() => reloads() >= 2));
    assert.ok(await waitUntil(() => !isAlive(alphaPid)), "the changed account's old upstream still runs");
    assert.ok(
      await waitUntil(() =>
        session.notifications.filter((n) => n === "notifications/tools/list_changed").length > before
      ),
    );
    assert.equal(
      (await callText(session.client, "whoami", { janus_account: "alpha" })).text,
      "account:alpha-v2",
    );

    // An invalid edit: reported, and the running config stays.
    await save(path, { accounts: [{ id: "broken" }] });
    assert.ok(
      await waitUntil(() =>
        session.stderr.some((l) => /edit not applied, keeping the last good config/.test(l))
      ),
    );
    assert.ok(session.stderr.some((l) => /accounts\[0\]\.service/.test(l)));
    assert.equal((await callText(session.client, "whoami", { janus_account: "beta" })).text, "account:beta");

    // Remove beta (and the profile): the session falls back to the default; beta's upstream ends.
    const betaPid = Number(
      (await callText(session.client, "janus_with_account", {
        account_id: "beta",
        tool: "pid",
        arguments: {},
      })).text,
    );
    await save(path, { accounts: [fixtureAccount("alpha", { env: { FIXTURE_ACCOUNT: "alpha-v2" } })] });
    assert.ok(await waitUntil(() => reloads() >= 3));
    assert.ok(await waitUntil(() => !isAlive(betaPid)), "the removed account's upstream still runs");
    const after = JSON.parse((await callText(session.client, "janus_list_accounts")).text);
    assert.deepEqual(after.accounts.map((a: { id: string }) => a.id), ["alpha"]);
    assert.equal((await callText(session.client, "whoami")).text, "account:alpha-v2");
  } finally {
    await session.close();
  }
});

Deno.test("hot reload: a profile's fold or exposure changed, no account touched, tells the session and changes its list", async () => {
  const dir = await Deno.makeTempDir({ prefix: "janus-reload-shape-" });
  const path = `${dir}/config.json`;
  const accounts = [fixtureAccount("alpha"), fixtureAccount("beta")];
  await save(path, { accounts, profiles: { both: ["alpha", "beta"] } });
  const session = await connectBroker(path, "2025-11-25");
  const reloads = () => session.stderr.filter((line) => /config: reloaded/.test(line)).length;
  const changes = () => session.notifications.filter((n) => n === "notifications/tools/list_changed").length;
  const names = async () => (await session.client.listTools()).tools.map((t) => t.name);
  try {
    await callText(session.client, "janus_use_profile", { profile: "both" });
    assert.ok((await names()).includes("whoami"), "folded: one whoami");

    // Folding off: both copies are listed apart, and the session hears it.
    let before = changes();
    await save(path, { accounts, profiles: { both: { accounts: ["alpha", "beta"], fold: false } } });
    assert.ok(await waitUntil(() => reloads() >= 1), session.stderr.join("\n"));
    assert.ok(await waitUntil(() => changes() > before), "no tools/list_changed after fold: false");
    const unfolded = await names();
    assert.ok(unfolded.includes("whoami") && unfolded.includes("beta_whoami"), unfolded.join(", "));

    // Exposure to search: the list becomes the search tools, and the session hears it.
    before = changes();
    await save(path, {
      accounts,
      profiles: { both: { accounts: ["alpha", "beta"], fold: false, exposure: "search" } },
    });
    assert.ok(await waitUntil(() => reloads() >= 2), session.stderr.join("\n"));
    assert.ok(await waitUntil(() => changes() > before), "no tools/list_changed after exposure: search");
    const searched = await names();
    assert.ok(searched.includes("janus_search_tools"), searched.join(", "));
    assert.ok(!searched.includes("whoami"), searched.join(", "));
  } finally {
    await session.close();
  }
});
