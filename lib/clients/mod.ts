/** Client installers: where each LLM client keeps its MCP config, and adding or removing JanusMCP there. */
export type { ChangeResult, ClientEnvironment, ClientFormat, ClientTarget, LaunchSpec } from "./types.ts";
export { ENTRY_NAME } from "./types.ts";
export { CLIENT_TARGETS, findTarget } from "./targets.ts";
export type { LaunchFacts } from "./launcher.ts";
export { isDenoExecutable, launchSpec, quoteArg, quoteCommand, whichOnPath } from "./launcher.ts";
export type { ChangeOptions } from "./config_file.ts";
export { canonical, changeConfigFile, fileStatus } from "./config_file.ts";
export type { CommandRunner } from "./cli_target.ts";
export { changeThroughCli, claudeCommands } from "./cli_target.ts";
export { unifiedDiff } from "./diff.ts";
export { mergeEntry } from "./merge.ts";
export { readJsonEntry, removeJsonEntry, setJsonEntry } from "./json_edit.ts";
export { readTomlEntry, removeTomlEntry, setTomlEntry } from "./toml_edit.ts";
