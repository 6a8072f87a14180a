/** The media fixture as a config account (images, audio, blobs, big text; see tests/fixtures/media_upstream.ts). */
import { fixtureArgs } from "./harness.ts";

/** A raw config account that runs the media fixture as `id`. */
export function mediaAccount(id: string, env: Record<string, string> = {}): Record<string, unknown> {
  return {
    id,
    service: "media",
    command: "deno",
    args: fixtureArgs("tests/fixtures/media_upstream.ts"),
    env: { FIXTURE_ACCOUNT: id, ...env },
  };
}
