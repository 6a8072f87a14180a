/** Broker-wide settings for every upstream connection, from the config's `limits` and `upstreams`. */
export interface UpstreamSettings {
  /** The largest reply taken from a stdio upstream (default 64 MiB). */
  maxMessageBytes?: number;
  /** How long a stopping stdio upstream gets between SIGTERM and SIGKILL. */
  stopGraceMs?: number;
  /** The default limit on one relayed call (accounts may override). */
  callTimeoutMs?: number;
  /** The default idle time before an upstream closes; 0 never (accounts may override). */
  idleCloseMs?: number;
  /** Whether something outside the pool still needs an account's connection (resource subscriptions). */
  pinned?: (accountId: string) => boolean;
}
