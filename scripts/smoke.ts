// deno-lint-ignore-file no-console -- a command-line program: what it prints is its output
/**
 * Smoke-tests a janusmcp executable the way a user meets it: `--version` names the deno.json
 * version, `serve` answers tools/list over stdio, and a vault set/list/delete round trip goes
 * through the OS keychain (which proves the native keychain addon loads in that executable).
 *
 *   deno run -A scripts/smoke.ts -- dist/janusmcp-0.1.0-x86_64-unknown-linux-gnu
 *   deno run -A scripts/smoke.ts -- deno run -P=janusmcp main.ts      # a checkout
 */
import { Client } from "@modelcontextprotocol/client";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const DENO_JSON = new URL("../deno.json", import.meta.url);

/** Runs the executable with `args`, feeding `stdin`; returns its exit code and output. */
async function run(
  command: string[],
  args: string[],
  stdin = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [program, ...base] = command;
  const child = new Deno.Command(program, {
    args: [...base, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const output = await child.output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

function check(ok: boolean, what: string, detail = ""): void {
  if (!ok) throw new Error(`${what}${detail ? `\n${detail}` : ""}`);
  console.log(`ok  ${what}`);
}

/** Runs every check against `command`; throws on the first failure. */
export async function smoke(command: string[]): Promise<void> {
  const version = JSON.parse(await Deno.readTextFile(DENO_JSON)).version as string;
  const printed = await run(command, ["--version"]);
  check(
    printed.code === 0 &&
      new RegExp(`^janusmcp ${version.replaceAll(".", "\\.")}( \\(\\w+\\))?\\n$`).test(printed.stdout),
    `--version prints janusmcp ${version}`,
    printed.stdout + printed.stderr,
  );

  const dir = await Deno.makeTempDir({ prefix: "janus-smoke-" });
  const config = `${dir}/config.json`;
  await Deno.writeTextFile(config, `{ "accounts": [] }\n`);
  const [program, ...base] = command;
  const client = new Client({ name: "janus-smoke", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: program,
      args: [...base, "serve", "--config", config],
      env: {
        ...getDefaultEnvironment(),
        ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR") ?? "" } : {}),
      },
      stderr: "ignore",
    }),
  );
  try {
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    check(names.includes("janus_whoami"), "serve answers tools/list over stdio", names.join(", "));
  } finally {
    await client.close();
  }

  const name = `janus_smoke_${crypto.randomUUID().slice(0, 8)}`;
  const set = await run(command, ["vault", "set", name, "--config", config], "smoke-test-value-1234");
  check(set.code === 0, `vault set ${name} (OS keychain)`, set.stderr);
  try {
    const listed = await run(command, ["vault", "list", "--json", "--config", config]);
    const secrets = listed.code === 0 ? JSON.parse(listed.stdout).secrets as { name: string }[] : [];
    check(
      secrets.some((secret) => secret.name === name),
      "vault list shows it",
      listed.stdout + listed.stderr,
    );
    check(!listed.stdout.includes("smoke-test-value-1234"), "vault list never prints the value");
  } finally {
    const deleted = await run(command, ["vault", "delete", name, "--config", config]);
    check(deleted.code === 0, "vault delete removes it", deleted.stderr);
  }
  const after = await run(command, ["vault", "list", "--json", "--config", config]);
  check(after.code === 0 && !after.stdout.includes(name), "and it is gone", after.stdout + after.stderr);
  await Deno.remove(dir, { recursive: true });
}

if (import.meta.main) {
  const separator = Deno.args.indexOf("--");
  const command = separator < 0 ? Deno.args : Deno.args.slice(separator + 1);
  if (command.length === 0) {
    console.error("usage: deno run -A scripts/smoke.ts -- JANUSMCP_COMMAND [ARGS...]");
    Deno.exit(2);
  }
  try {
    await smoke(command);
    console.log("smoke test passed");
  } catch (error) {
    console.error(`smoke test FAILED: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exit(1);
  }
}
