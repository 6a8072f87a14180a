/**
 * Replies from an HTTP upstream obey `limits.maxMessageBytes` like stdio ones: a reply over the
 * limit, as a JSON body or as an SSE event (Streamable HTTP or the older HTTP+SSE), fails its own call with the limit and the size named;
 * the calls beside it, the account and the other accounts go on.
 */
import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/client";
import { StderrLines } from "../../lib/upstream/stderr_lines.ts";
import { callText, connectBroker, fixtureArgs, writeConfig } from "./harness.ts";
import { mediaAccount } from "./media_account.ts";

const MiB = 1024 * 1024;

/** Starts the media fixture over Streamable HTTP (JSON bodies or SSE events), or over the older HTTP+SSE transport. */
async function startMediaHttp(
  mode: "json" | "sse" | "legacy-sse",
): Promise<{ url: string; stop(): Promise<void> }> {
  const child = new Deno.Command("deno", {
    args: fixtureArgs("tests/fixtures/media_http.ts", ["--allow-net=127.0.0.1", "--allow-env"], [mode]),
    env: { FIXTURE_ACCOUNT: "remote" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const url = await new Promise<string>((resolve, reject) => {
    const lines = new StderrLines((line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
    (async () => {
      for await (const chunk of child.stderr) lines.push(chunk);
      reject(new Error(`the media HTTP fixture exited: ${lines.recent.join(" | ")}`));
    })();
  });
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

/** A call's text, or the JSON-RPC error it failed with. */
async function outcome(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  try {
    return (await callText(client, name, args)).text;
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

for (const mode of ["json", "sse", "legacy-sse"] as const) {
  Deno.test(`an HTTP upstream's reply over the limit (${mode}) fails its call alone, naming the limit and the size`, async () => {
    const upstream = await startMediaHttp(mode);
    const configPath = await writeConfig({
      accounts: [
        {
          id: "remote",
          service: "media",
          transport: mode === "legacy-sse" ? "sse" : "http",
          url: upstream.url,
        },
        mediaAccount("local"),
      ],
      defaultAccount: "remote",
      limits: { maxMessageBytes: 1 * MiB },
    });
    const session = await connectBroker(configPath, "2025-11-25");
    try {
      assert.equal((await callText(session.client, "big_text", { bytes: MiB / 2 })).text.length, MiB / 2);
      const beside = outcome(session.client, "sleep", { ms: 800 });
      const refused = await outcome(session.client, "big_text", { bytes: 3 * MiB });
      assert.match(
        refused,
        /upstream reply of 3 MiB \(\d+ bytes\) exceeds the limit of 1 MiB \(limits\.maxMessageBytes\)/,
      );
      assert.equal(await beside, "slept:remote");
      assert.equal(await outcome(session.client, "whoami", {}), "account:remote");
      const other = await outcome(session.client, "janus_with_account", {
        account_id: "local",
        tool: "whoami",
      });
      assert.equal(other, "account:local");
    } finally {
      await session.close();
      await upstream.stop();
    }
  });
}
