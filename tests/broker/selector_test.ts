import assert from "node:assert/strict";
import { accountsOf, describeSelector, resolveSelector, sameSelector } from "../../lib/broker/selector.ts";
import type { AccountConfig, BindingMode, JanusConfig, Selector } from "../../lib/config/types.ts";

function account(id: string, service = "github"): AccountConfig {
  return {
    id,
    service,
    label: id,
    transport: "stdio",
    command: `${service}-mcp`,
    args: [],
    env: {},
    headers: {},
  };
}

function config(extra: Partial<JanusConfig> = {}): JanusConfig {
  return {
    accounts: [account("alpha"), account("beta"), account("gamma", "slack"), account("delta", "supabase")],
    profiles: { "client-a": ["gamma", "alpha"], "client-b": ["beta", "delta"], broken: ["alpha", "ghost"] },
    bindingMode: "session",
    vault: { backend: "keychain" },
    exposure: "auto",
    searchThreshold: 40,
    profileExposure: {},
    profileFold: {},
    ...extra,
  };
}

const acc = (id: string): Selector => ({ kind: "account", id });
const prof = (name: string): Selector => ({ kind: "profile", name });
const ids = (accounts: readonly AccountConfig[]) => accounts.map((a) => a.id);

Deno.test("a per-call override beats the session, global and default choices", () => {
  const resolved = resolveSelector(config({ defaultAccount: "delta" }), {
    override: acc("gamma"),
    session: acc("beta"),
    global: acc("alpha"),
  });
  assert.equal(resolved.source, "override");
  assert.deepEqual(resolved.selector, acc("gamma"));
  assert.deepEqual(ids(resolved.accounts), ["gamma"]);
});

Deno.test("in session mode the session's choice beats the global one", () => {
  const resolved = resolveSelector(config({ defaultAccount: "delta" }), {
    session: acc("beta"),
    global: acc("alpha"),
  });
  assert.equal(resolved.source, "session");
  assert.deepEqual(ids(resolved.accounts), ["beta"]);
});

Deno.test("without a session choice the persisted global choice beats the default account", () => {
  const resolved = resolveSelector(config({ defaultAccount: "delta" }), { global: acc("alpha") });
  assert.equal(resolved.source, "global");
  assert.deepEqual(ids(resolved.accounts), ["alpha"]);
});

Deno.test("without any choice the configured default account is used", () => {
  const resolved = resolveSelector(config({ defaultAccount: "delta" }), {});
  assert.equal(resolved.source, "default");
  assert.deepEqual(resolved.selector, acc("delta"));
  assert.deepEqual(ids(resolved.accounts), ["delta"]);
});

Deno.test("without a default account the first configured account is used", () => {
  const resolved = resolveSelector(config(), {});
  assert.equal(resolved.source, "first");
  assert.deepEqual(resolved.selector, acc("alpha"));
  assert.deepEqual(ids(resolved.accounts), ["alpha"]);
});

Deno.test("global binding mode ignores a session's own choice", () => {
  const resolved = resolveSelector(config({ bindingMode: "global" }), {
    session: acc("beta"),
    global: acc("gamma"),
  });
  assert.equal(resolved.source, "global");
  assert.deepEqual(ids(resolved.accounts), ["gamma"]);

  const noGlobal = resolveSelector(config({ bindingMode: "global" }), { session: acc("beta") });
  assert.equal(noGlobal.source, "first");
  assert.deepEqual(ids(noGlobal.accounts), ["alpha"]);
});

Deno.test("locked binding mode ignores both the session and the global choice", () => {
  const withDefault = resolveSelector(config({ bindingMode: "locked", defaultAccount: "delta" }), {
    session: acc("beta"),
    global: acc("gamma"),
  });
  assert.equal(withDefault.source, "default");
  assert.deepEqual(ids(withDefault.accounts), ["delta"]);

  const withoutDefault = resolveSelector(config({ bindingMode: "locked" }), {
    session: acc("beta"),
    global: prof("client-a"),
  });
  assert.equal(withoutDefault.source, "first");
  assert.deepEqual(ids(withoutDefault.accounts), ["alpha"]);
});

Deno.test("global and session binding modes honour a per-call override", () => {
  for (const bindingMode of ["global", "session"] as BindingMode[]) {
    const resolved = resolveSelector(config({ bindingMode }), {
      override: acc("beta"),
      global: acc("gamma"),
    });
    assert.equal(resolved.source, "override", bindingMode);
    assert.deepEqual(ids(resolved.accounts), ["beta"], bindingMode);
  }
});

Deno.test("locked binding mode ignores a per-call override too", () => {
  const resolved = resolveSelector(config({ bindingMode: "locked", defaultAccount: "delta" }), {
    override: acc("beta"),
  });
  assert.equal(resolved.source, "default");
  assert.deepEqual(ids(resolved.accounts), ["delta"]);
});

Deno.test("a selector naming an unknown account falls through to the next level", () => {
  const resolved = resolveSelector(config({ defaultAccount: "delta" }), {
    override: acc("ghost"),
    session: acc("nobody"),
    global: acc("beta"),
  });
  assert.equal(resolved.source, "global");
  assert.deepEqual(ids(resolved.accounts), ["beta"]);
});

Deno.test("a selector naming an unknown profile falls through to the next level", () => {
  const resolved = resolveSelector(config(), { session: prof("no-such-profile"), global: prof("client-b") });
  assert.equal(resolved.source, "global");
  assert.deepEqual(resolved.selector, prof("client-b"));
  assert.deepEqual(ids(resolved.accounts), ["beta", "delta"]);
});

Deno.test("a profile with a member the config no longer has is skipped", () => {
  const resolved = resolveSelector(config(), { session: prof("broken"), global: prof("broken") });
  assert.equal(resolved.source, "first");
  assert.deepEqual(ids(resolved.accounts), ["alpha"]);
});

Deno.test("a default account that no longer exists falls back to the first account", () => {
  const resolved = resolveSelector(config({ defaultAccount: "ghost" }), {});
  assert.equal(resolved.source, "first");
  assert.deepEqual(ids(resolved.accounts), ["alpha"]);
});

Deno.test("with no accounts at all the source is none and no account is bound", () => {
  const empty = config({ accounts: [], profiles: {} });
  const resolved = resolveSelector(empty, {
    override: acc("alpha"),
    session: acc("beta"),
    global: prof("x"),
  });
  assert.deepEqual(resolved, { accounts: [], source: "none" });
  assert.equal(resolved.selector, undefined);
});

Deno.test("a profile resolves to its members in the profile's order, not the config's", () => {
  const cfg = config();
  assert.deepEqual(ids(accountsOf(cfg, prof("client-a")) ?? []), ["gamma", "alpha"]);
  assert.deepEqual(ids(accountsOf(cfg, prof("client-b")) ?? []), ["beta", "delta"]);
  const resolved = resolveSelector(cfg, { session: prof("client-a") });
  assert.equal(resolved.source, "session");
  assert.deepEqual(ids(resolved.accounts), ["gamma", "alpha"]);
});

Deno.test("accountsOf returns the account objects from the config itself", () => {
  const cfg = config();
  const [found] = accountsOf(cfg, acc("beta")) ?? [];
  assert.equal(found, cfg.accounts[1]);
});

Deno.test("accountsOf is undefined for an unknown account, unknown profile or profile with a missing member", () => {
  const cfg = config();
  assert.equal(accountsOf(cfg, acc("ghost")), undefined);
  assert.equal(accountsOf(cfg, prof("ghost")), undefined);
  assert.equal(accountsOf(cfg, prof("broken")), undefined);
});

Deno.test("an account id and a profile of the same name are different selectors", () => {
  const cfg = config({ profiles: { alpha: ["beta", "gamma"] } });
  assert.deepEqual(ids(accountsOf(cfg, acc("alpha")) ?? []), ["alpha"]);
  assert.deepEqual(ids(accountsOf(cfg, prof("alpha")) ?? []), ["beta", "gamma"]);
});

Deno.test("sameSelector compares kind and name", () => {
  assert.equal(sameSelector(acc("a"), acc("a")), true);
  assert.equal(sameSelector(prof("p"), prof("p")), true);
  assert.equal(sameSelector(acc("a"), acc("b")), false);
  assert.equal(sameSelector(prof("p"), prof("q")), false);
  assert.equal(sameSelector(acc("x"), prof("x")), false);
  assert.equal(sameSelector(prof("x"), acc("x")), false);
});

Deno.test("sameSelector treats two missing selectors as equal and one missing as different", () => {
  assert.equal(sameSelector(undefined, undefined), true);
  assert.equal(sameSelector(acc("a"), undefined), false);
  assert.equal(sameSelector(undefined, prof("p")), false);
});

Deno.test("describeSelector names the kind and quotes the name", () => {
  assert.equal(describeSelector(acc("acme")), 'account "acme"');
  assert.equal(describeSelector(prof("client-a")), 'profile "client-a"');
  assert.equal(describeSelector(undefined), "no account");
});
