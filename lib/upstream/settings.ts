/** Broker-wide settings for every upstream connection, from the config's `limits` (and lifecycle fields). */
export interface UpstreamSettings {
  /** The largest reply taken from a stdio upstream (default 64 MiB). */
  maxMessageBytes?: number;
  /** How long a stopping stdio upstream gets between SIGTERM and SIGKILL. */
  stopGraceMs?: number;
}
