/** The bearer token HTTP clients must present when the broker listens beyond loopback. */
import { join } from "node:path";
import { JanusError } from "../errors.ts";
import { writeFileAtomic } from "../atomic_write.ts";
import { randomToken } from "../random.ts";

/** The token file that belongs to a config directory. */
export function httpTokenPath(configDir: string): string {
  return join(configDir, "http-token");
}

/** Reads the token, creating one (32 random bytes, base64url, file mode 0600) on first use. */
export async function loadOrCreateHttpToken(
  configDir: string,
): Promise<{ token: string; path: string; created: boolean }> {
  const path = httpTokenPath(configDir);
  try {
    const token = (await Deno.readTextFile(path)).trim();
    if (token.length >= 32) return { token, path, created: false };
    // Never replace a token someone wrote by hand: say what is wrong instead.
    throw new JanusError(
      "config",
      `${path}: the bearer token must be at least 32 characters; delete the file to have one generated`,
    );
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const token = randomToken(32);
  await writeFileAtomic(path, `${token}\n`);
  return { token, path, created: true };
}
