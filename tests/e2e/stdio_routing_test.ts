/**
 * End to end over stdio, at both protocol revisions: the real broker process with the shipped
 * permission set, real fixture upstream processes, a real SDK client.
 */
import assert from "node:assert/strict";
import { ProtocolError, ProtocolErrorCode } from "@modelcontextprotocol/client";
import { z } from "zod";
import { callText, connectBroker, eventually, fixtureAccount, REVISIONS, writeConfig } from "./harness.ts";

const twoAccounts = (extra: Record<string, unknown> = {}) => ({
  accounts: [fixtureAccount("alpha"), fixtureAccount("beta")],
  profiles: { both: ["alpha", "beta"] },
  ...extra,
});

const toolNames = async (session: { client: { listTools(): Promise<{ tools: { name: string }[] }> } }) =>
  (await session.client.listTools()).tools.map((t) => t.name);

for (const revision of REVISIONS) {
  Deno.test(`[${revision}] lists control tools plus the default account's tools and routes calls to it`, async () => {
    const session = await connectBroker(await writeConfig(twoAccounts()), revision);
    try {
      const names = await toolNames(session);
      assert.deepEqual(names.slice(0, 5), [
        "janus_list_accounts",
        "janus_whoami",
        "janus_use_account",
        "janus_use_profile",
        "janus_with_account",
      ]);
      assert.ok(names.includes("only_alpha"));
      assert.ok(!names.includes("only_beta"));
      assert.equal((await callText(session.client, "whoami")).text, "account:alpha");
      const whoami = JSON.parse((await callText(session.client, "janus_whoami")).text);
      assert.deepEqual(whoami.selector, { kind: "account", id: "alpha" });
      assert.match(whoami.because, /first configured account/);
    } finally {
      await session.close();
    }
  });

  Deno.test(`[${revision}] use_account switches the tools and announces tools/list_changed`, async () => {
    const session = await connectBroker(await writeConfig(twoAccounts({ bindingMode: "session" })), revision);
    try {
      await toolNames(session);
      const switched = await callText(session.client, "janus_use_account", { account_id: "beta" });
      assert.equal(switched.isError, false, switched.text);
      assert.ok(
        await eventually(() => session.notifications.includes("notifications/tools/list_changed")),
        `no list_changed; got ${session.notifications.join(", ")}`,
      );
      const names = await toolNames(session);
      assert.ok(names.includes("only_beta") && !names.includes("only_alpha"));
      assert.equal((await callText(session.client, "whoami")).text, "account:beta");
      const whoami = JSON.parse((await callText(session.client, "janus_whoami")).text);
      assert.deepEqual(whoami.selector, { kind: "account", id: "beta" });
      assert.match(whoami.because, /this conversation switched/);
    } finally {
      await session.close();
    }
  });

  Deno.test(`[${revision}] with_account lists or calls another account's tools without switching`, async () => {
    const session = await connectBroker(await writeConfig(twoAccounts()), revision);
    try {
      const listing = JSON.parse(
        (await callText(session.client, "janus_with_account", { account_id: "beta" })).text,
      );
      assert.equal(listing.account.id, "beta");
      assert.ok(listing.tools.some((t: { name: string }) => t.name === "only_beta"));
      const echoed = await callText(session.client, "janus_with_account", {
        account_id: "beta",
        tool: "echo",
        arguments: { text: "hi" },
      });
      assert.equal(echoed.text, "beta:hi");
      assert.equal((await callText(session.client, "whoami")).text, "account:alpha");
      const missing = await callText(session.client, "janus_with_account", {
        account_id: "beta",
        tool: "nope",
      });
      assert.equal(missing.isError, true);
      assert.match(missing.text, /account "beta" has no tool "nope"/);
    } finally {
      await session.close();
    }
  });

  Deno.test(`[${revision}] a profile folds shared tools, namespaces clashing resources and prompts, and routes them all`, async () => {
    const session = await connectBroker(await writeConfig(twoAccounts()), revision);
    try {
      await session.client.listPrompts();
      await session.client.listResources();
      const used = await callText(session.client, "janus_use_profile", { profile: "both" });
      assert.equal(used.isError, false, used.text);
      assert.ok(
        await eventually(() =>
          ["prompts", "resources"].every((kind) =>
            session.notifications.includes(`notifications/${kind}/list_changed`)
          )
        ),
        `prompts/resources list_changed missing; got ${session.notifications.join(", ")}`,
      );
      // Tools both accounts list alike are listed once (folded), the account an argument.
      const names = await toolNames(session);
      for (const name of ["whoami", "only_alpha", "only_beta", "echo"]) {
        assert.ok(names.includes(name), `${name} missing from ${names.join(", ")}`);
      }
      assert.ok(!names.includes("beta_whoami") && !names.includes("beta_echo"), names.join(", "));
      assert.equal(
        (await callText(session.client, "whoami", { janus_account: "alpha" })).text,
        "account:alpha",
      );
      assert.equal(
        (await callText(session.client, "whoami", { janus_account: "beta" })).text,
        "account:beta",
      );
      assert.equal(
        (await callText(session.client, "echo", { janus_account: "beta", text: "hi" })).text,
        "beta:hi",
      );
      assert.equal((await callText(session.client, "only_beta")).text, "only on beta");

      const resources = (await session.client.listResources()).resources.map((r) => r.uri);
      assert.deepEqual(resources, ["fixture://profile", "janus://beta/fixture://profile"]);
      const read = async (uri: string) => {
        const result = await session.client.readResource({ uri });
        const first = result.contents[0] as { uri: string; text?: string };
        return { uri: first.uri, text: first.text };
      };
      assert.deepEqual(await read("fixture://profile"), {
        uri: "fixture://profile",
        text: "profile of alpha",
      });
      assert.deepEqual(await read("janus://beta/fixture://profile"), {
        uri: "janus://beta/fixture://profile",
        text: "profile of beta",
      });
      const templates = (await session.client.listResourceTemplates()).resourceTemplates.map((t) =>
        t.uriTemplate
      );
      assert.deepEqual(templates, ["fixture://notes/{id}", "janus://beta/fixture://notes/{id}"]);
      assert.equal((await read("fixture://notes/7")).text, "note 7 of alpha");
      assert.equal((await read("janus://beta/fixture://notes/7")).text, "note 7 of beta");

      const prompts = (await session.client.listPrompts()).prompts.map((p) => p.name);
      assert.deepEqual(prompts, ["greet", "beta_greet"]);
      const prompt = await session.client.getPrompt({ name: "beta_greet", arguments: { name: "Ann" } });
      assert.deepEqual(prompt.messages[0].content, { type: "text", text: "Hello Ann, from beta" });
      const completion = await session.client.complete({
        ref: { type: "ref/prompt", name: "beta_greet" },
        argument: { name: "name", value: "beta" },
      });
      assert.deepEqual(completion.completion.values, ["beta-friend"]);
    } finally {
      await session.close();
    }
  });

  Deno.test(`[${revision}] locked mode refuses switching and one-shot calls with a reason`, async () => {
    const session = await connectBroker(
      await writeConfig(twoAccounts({ bindingMode: "locked", defaultAccount: "beta" })),
      revision,
    );
    try {
      const refused = await callText(session.client, "janus_use_account", { account_id: "alpha" });
      assert.equal(refused.isError, true);
      assert.match(refused.text, /bindingMode is "locked".*stays on account "beta"/);
      const oneShot = await callText(session.client, "janus_with_account", {
        account_id: "alpha",
        tool: "whoami",
      });
      assert.equal(oneShot.isError, true);
      assert.match(oneShot.text, /locked/);
      assert.equal((await callText(session.client, "whoami")).text, "account:beta");
      assert.ok(!session.notifications.includes("notifications/tools/list_changed"));
    } finally {
      await session.close();
    }
  });

  Deno.test(`[${revision}] unknown accounts, profiles and tools get errors that say what to do`, async () => {
    const session = await connectBroker(await writeConfig(twoAccounts()), revision);
    try {
      const account = await callText(session.client, "janus_use_account", { account_id: "gamma" });
      assert.equal(account.isError, true);
      assert.match(account.text, /unknown account "gamma" \(known: alpha, beta\)/);
      const profile = await callText(session.client, "janus_use_profile", { profile: "nope" });
      assert.match(profile.text, /unknown profile "nope" \(known: both\)/);
      const badArgs = await callText(session.client, "janus_use_account", {});
      assert.equal(badArgs.isError, true);
      assert.match(badArgs.text, /janus_use_account: invalid arguments — account_id/);
      await assert.rejects(
        () => session.client.callTool({ name: "only_beta", arguments: {} }),
        /unknown tool "only_beta" for account "alpha"/,
      );
    } finally {
      await session.close();
    }
  });

  Deno.test(`[${revision}] a config fault found while starting an upstream is an internal error, not invalid params`, async () => {
    const broken = fixtureAccount("broken", { env: { FIXTURE_ACCOUNT: "${JANUS_TEST_NEVER_SET_VARIABLE}" } });
    const session = await connectBroker(await writeConfig({ accounts: [broken] }), revision);
    try {
      const refusal = await session.client.readResource({ uri: "fixture://profile" }).then(
        () => assert.fail("reading through an upstream that cannot start must fail"),
        (error: unknown) => error,
      );
      assert.ok(refusal instanceof ProtocolError, String(refusal));
      assert.equal(refusal.code, ProtocolErrorCode.InternalError);
      assert.match(refusal.message, /JANUS_TEST_NEVER_SET_VARIABLE/);
      // In a tool call the same fault is a tool error the model can read.
      const call = await callText(session.client, "janus_with_account", { account_id: "broken" });
      assert.equal(call.isError, true);
      assert.match(call.text, /JANUS_TEST_NEVER_SET_VARIABLE/);
    } finally {
      await session.close();
    }
  });

  Deno.test(`[${revision}] a switch made while a call runs does not reroute that call`, async () => {
    const session = await connectBroker(await writeConfig(twoAccounts()), revision);
    try {
      await toolNames(session);
      const inFlight = callText(session.client, "slow", { ms: 600 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const switched = await callText(session.client, "janus_use_account", { account_id: "beta" });
      assert.equal(switched.isError, false, switched.text);
      assert.equal((await inFlight).text, "slow done:alpha");
      assert.equal((await callText(session.client, "whoami")).text, "account:beta");
    } finally {
      await session.close();
    }
  });

  Deno.test(`[${revision}] progress from the upstream reaches the client`, async () => {
    const session = await connectBroker(await writeConfig(twoAccounts()), revision);
    try {
      // Watched as the client's transport delivers them: the SDK client drops a progress
      // notification read in the same chunk as its result (it dispatches notifications a microtask
      // late, and the result unregisters the handler first), so `onprogress` alone would make this
      // test fail whenever a loaded machine lets the last report and the result share one read.
      const arrived: string[] = [];
      const transport = session.client.transport;
      const deliver = transport?.onmessage;
      if (!transport || !deliver) throw new Error("the client is not connected");
      transport.onmessage = (message, extra) => {
        const frame = message as { id?: unknown; method?: string; params?: Record<string, unknown> };
        if (frame.method === "notifications/progress") {
          arrived.push(
            `progress ${frame.params?.progress}/${frame.params?.total} #${frame.params?.progressToken}`,
          );
        } else if (frame.method === undefined) arrived.push(`result #${frame.id}`);
        deliver(message, extra);
      };
      const seen: number[] = [];
      await session.client.callTool({ name: "slow", arguments: { ms: 200 } }, {
        onprogress: (progress) => seen.push(progress.progress),
      });
      // The SDK uses the request id as the progress token: every report carries the client's own
      // token, in order, and all of them arrive before the result.
      const id = arrived.at(-1)?.split("#")[1];
      assert.deepEqual(arrived, [1, 2, 3, 4, 5].map((n) => `progress ${n}/5 #${id}`).concat(`result #${id}`));
      assert.deepEqual(seen, [1, 2, 3, 4, 5].slice(0, seen.length), "onprogress saw them in order");
    } finally {
      await session.close();
    }
  });

  Deno.test(`[${revision}] relayed results carry the broker's server info, not the upstream's`, async () => {
    const session = await connectBroker(await writeConfig(twoAccounts()), revision);
    try {
      const result = await session.client.request(
        { method: "tools/call", params: { name: "whoami", arguments: {} } },
        z.looseObject({}),
      );
      const serverInfo = (result._meta as Record<string, { name?: string }> | undefined)?.[
        "io.modelcontextprotocol/serverInfo"
      ];
      if (revision === "2026-07-28") assert.equal(serverInfo?.name, "janusmcp");
      else assert.equal(serverInfo, undefined);
      assert.equal(session.client.getServerVersion()?.name, "janusmcp");
    } finally {
      await session.close();
    }
  });

  Deno.test(`[${revision}] an account that failed to start is tried again on the next call`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "janus-e2e-" });
    const launcher = `${dir}/launch-upstream.sh`;
    const fixture = fixtureAccount("late");
    const session = await connectBroker(
      await writeConfig({ accounts: [{ ...fixture, command: launcher, args: fixture.args }] }),
      revision,
    );
    try {
      const first = await callText(session.client, "janus_with_account", { account_id: "late" });
      assert.equal(first.isError, true);
      assert.match(first.text, /could not connect/);
      // The program appears; nothing is restarted by hand.
      await Deno.writeTextFile(launcher, `#!/bin/sh\nexec deno "$@"\n`, { mode: 0o755 });
      assert.equal((await callText(session.client, "whoami")).text, "account:late");
    } finally {
      await session.close();
    }
  });
}

for (const revision of REVISIONS) {
  for (const era of ["2026", "2025"] as const) {
    Deno.test(`[${revision} client] resources/updated from a ${era}-only upstream reaches the subscribed session under its own URI`, async () => {
      const account = (id: string) =>
        fixtureAccount(id, {
          env: { FIXTURE_ACCOUNT: id, FIXTURE_ERA: era === "2025" ? "legacy" : "modern" },
        });
      const session = await connectBroker(
        await writeConfig({
          accounts: [account("alpha"), account("beta")],
          profiles: { both: ["alpha", "beta"] },
        }),
        revision,
      );
      const updated: string[] = [];
      session.client.setNotificationHandler("notifications/resources/updated", (n) => {
        updated.push(n.params.uri);
      });
      const uri = "janus://beta/fixture://profile";
      try {
        await callText(session.client, "janus_use_profile", { profile: "both" });
        // 2025 clients subscribe per resource; 2026 clients name it on a listen stream.
        const stop = revision === "2025-11-25"
          ? (await session.client.subscribeResource({ uri }),
            () => session.client.unsubscribeResource({ uri }))
          : await session.client.listen({ resourceSubscriptions: [uri] }).then((listening) => () =>
            listening.close()
          );
        // touch is one folded tool of both accounts: janus_account says whose resource changes.
        await callText(session.client, "touch", { janus_account: "alpha" }); // nobody subscribed
        await callText(session.client, "touch", { janus_account: "beta" });
        assert.ok(await eventually(() => updated.length > 0), "no resources/updated arrived");
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.deepEqual(updated, [uri]);

        await stop();
        await callText(session.client, "touch", { janus_account: "beta" });
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.deepEqual(updated, [uri], "an update arrived after unsubscribing");
      } finally {
        await session.close();
      }
    });
  }
}
