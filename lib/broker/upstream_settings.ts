/** The upstream pool's settings, read from the config (`limits`, `upstreams`). */
import type { JanusConfig } from "../config/mod.ts";
import type { UpstreamSettings } from "../upstream/mod.ts";

/** Pool settings from a config; `pinned` says which accounts must stay open. */
export function upstreamSettings(
  config: JanusConfig,
  pinned: (accountId: string) => boolean,
): UpstreamSettings {
  const { callTimeoutSeconds, idleCloseSeconds } = config.upstreams ?? {};
  return {
    maxMessageBytes: config.limits?.maxMessageBytes,
    ...(callTimeoutSeconds === undefined ? {} : { callTimeoutMs: callTimeoutSeconds * 1000 }),
    ...(idleCloseSeconds === undefined ? {} : { idleCloseMs: idleCloseSeconds * 1000 }),
    pinned,
  };
}
