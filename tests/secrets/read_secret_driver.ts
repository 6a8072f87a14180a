/**
 * Test driver for lib/secrets/prompt.ts: reads one secret from this process's real stdin and
 * writes the outcome as JSON to the file named by the first argument (not to stdout, which a
 * terminal test watches for echoed characters). Exits with the error's exit code on failure.
 */
import { exitCodeFor, toJanusError } from "../../lib/errors.ts";
import { readSecretFromStdin } from "../../lib/secrets/prompt.ts";

const [resultPath] = Deno.args;
try {
  const value = await readSecretFromStdin({ prompt: "Secret: " });
  await Deno.writeTextFile(resultPath, JSON.stringify({ ok: true, value }));
} catch (error) {
  const janusError = toJanusError(error);
  await Deno.writeTextFile(
    resultPath,
    JSON.stringify({ ok: false, code: janusError.code, message: janusError.message }),
  );
  Deno.exit(exitCodeFor(janusError.code));
}
