/**
 * Test helper: whether a real Secret Service (OS keychain) answers here, and `keychainTest`, which
 * runs a test only then. Without one the test is skipped with the reason in its name, except under
 * CI=true, where a missing keychain fails: CI must run the keychain tests for real.
 */
import { JanusError } from "../../lib/errors.ts";
import { createKeychainVault } from "../../lib/secrets/keychain_vault.ts";

/** Whether the keychain works, and why not. */
export interface KeychainStatus {
  available: boolean;
  reason: string;
}

async function probe(): Promise<KeychainStatus> {
  try {
    await createKeychainVault({ service: `janusmcp-test-probe-${crypto.randomUUID()}` }).list();
    return { available: true, reason: "" };
  } catch (error) {
    const message = error instanceof JanusError ? error.message : String(error);
    return { available: false, reason: message.split(". ")[0] };
  }
}

/** The keychain's status for this test process. */
export const keychainStatus: KeychainStatus = await probe();

const HINT = "run the tests through scripts/with_secret_service.sh";

if (!keychainStatus.available && Deno.env.get("CI") !== "true") {
  // deno-lint-ignore no-console -- tells a developer without a Secret Service why tests were skipped
  console.warn(`keychain tests are skipped: ${keychainStatus.reason}`);
}

/** A test that needs the real OS keychain. */
export function keychainTest(name: string, fn: () => Promise<void>): void {
  if (keychainStatus.available) {
    Deno.test(name, fn);
  } else if (Deno.env.get("CI") === "true") {
    Deno.test(name, () => {
      throw new Error(`CI=true but no OS keychain: ${keychainStatus.reason} (${HINT})`);
    });
  } else {
    Deno.test({ name: `${name} [skipped: no OS keychain; ${HINT}]`, ignore: true, fn });
  }
}

/** A keychain service name of its own for one test, so tests never see each other's (or real) entries. */
export function testService(): string {
  return `janusmcp-test-${crypto.randomUUID().slice(0, 8)}`;
}
