/** DURATION values (`--timeout`, `JANUS_CLI_TIMEOUT`): `500ms`, `30s`, `2m`, `1h`, or plain seconds. Pure. */
import { JanusError } from "../errors.ts";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds for a duration; `source` names where it came from in the error. */
export function parseDuration(text: string, source: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2] ?? "s"] : NaN;
  if (!Number.isFinite(ms) || ms < 1 || ms > 2_147_483_647) {
    throw new JanusError(
      "usage",
      `${source} must be a positive duration such as 500ms, 30s, 2m or 1h (plain numbers are seconds), not "${text}"`,
    );
  }
  return Math.round(ms);
}
