/** The configuration layer: schema, validation, locating and loading the file, persisted state. */
export type {
  AccountConfig,
  BindingMode,
  JanusConfig,
  PersistedState,
  Selector,
  UpstreamTransport,
  VaultConfig,
} from "./types.ts";
export { EMPTY_CONFIG } from "./types.ts";
export type { RawAccount, RawConfig } from "./schema.ts";
export { RawAccountSchema, RawConfigSchema } from "./schema.ts";
export type { ConfigProblem, PathSegment, ValidationResult } from "./validate.ts";
export { formatPath, formatProblem, validateConfig } from "./validate.ts";
export type { ConfigSource, LocatedConfig, LocateOptions, UserConfigDirOptions } from "../config_location.ts";
export {
  earlyAnswersPath,
  locateConfig,
  locateConfigFromEnvironment,
  userConfigDir,
} from "../config_location.ts";
export type { LoadedConfig } from "./load.ts";
export { loadConfig, parseConfigText, syntaxMessage } from "./load.ts";
export type { StateStoreOptions } from "./state.ts";
export { stateFilePath, StateStore } from "./state.ts";
export { httpTokenPath, loadOrCreateHttpToken } from "./http_token.ts";
export type { OAuthProviderConfig } from "./types.ts";
export { isSecretEnv } from "../secret_names.ts";
