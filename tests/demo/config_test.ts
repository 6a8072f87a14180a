import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

Deno.test("the demo config names files that exist, from a checkout whose path has spaces and a percent sign", async () => {
  const parent = await Deno.makeTempDir({ prefix: "janus demo 100% " });
  try {
    const checkout = join(parent, "my checkout");
    await Deno.mkdir(checkout);
    for (const entry of ["lib", "main.ts", "deno.json", "deno.lock"]) {
      await new Deno.Command("cp", { args: ["-R", join(REPO, entry), checkout] }).output();
    }
    const probe = join(checkout, "probe.ts");
    await Deno.writeTextFile(
      probe,
      'import { demoConfig } from "./lib/demo/config.ts";\nconsole.log(JSON.stringify(demoConfig().accounts[0].args));\n',
    );
    const run = await new Deno.Command("deno", {
      args: [
        "run",
        "--quiet",
        "--allow-read",
        "--allow-env",
        `--config=${join(checkout, "deno.json")}`,
        probe,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    const args: string[] = JSON.parse(new TextDecoder().decode(run.stdout));
    const configFlag = args.find((arg) => arg.startsWith("--config="));
    assert.ok(configFlag, JSON.stringify(args));
    const files = [configFlag.slice("--config=".length), args.find((arg) => arg.endsWith("main.ts")) ?? ""];
    for (const file of files) {
      assert.ok(file.startsWith(checkout), `${file} is not inside ${checkout}`);
      assert.ok((await Deno.stat(file)).isFile, file);
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
