/**
 * Where the config file lives: `JANUS_CONFIG`, else `./config.json` if present, else the per-OS
 * user config directory. Pure (environment and file checks are injected) so every OS is tested
 * on any OS; `locateConfigFromEnvironment` supplies the real ones. Also where the files the
 * broker keeps beside it are. A shared module (not in lib/config) because the CLI's entry needs
 * it before the config code is loaded (the head start, lib/cli/early_start.ts).
 */
import { dirname, join, posix, win32 } from "node:path";
import { JanusError } from "./errors.ts";

/** Which rule chose the config path. */
export type ConfigSource = "JANUS_CONFIG" | "cwd" | "user";

/** A chosen config path and the rule that chose it. */
export interface LocatedConfig {
  path: string;
  source: ConfigSource;
}

/** What locating the user config directory depends on. */
export interface UserConfigDirOptions {
  env: (name: string) => string | undefined;
  os: typeof Deno.build.os;
  /** The home directory; defaults to `HOME` (or `USERPROFILE` on Windows). */
  home?: string;
}

/** What locating the config file depends on. */
export interface LocateOptions extends UserConfigDirOptions {
  cwd: string;
  exists: (path: string) => boolean;
}

const APP_DIR = "janusmcp";
const CONFIG_FILE = "config.json";

function pathFor(os: typeof Deno.build.os): typeof posix {
  return os === "windows" ? win32 : posix;
}

/** An environment variable, with an empty value treated as unset. */
function envValue(env: (name: string) => string | undefined, name: string): string | undefined {
  const value = env(name);
  return value === undefined || value === "" ? undefined : value;
}

function homeDir(options: UserConfigDirOptions): string {
  const home = options.home ??
    (options.os === "windows" ? envValue(options.env, "USERPROFILE") : undefined) ??
    envValue(options.env, "HOME");
  if (home === undefined) {
    throw new JanusError(
      "config",
      "cannot find the user config directory: HOME is not set (set JANUS_CONFIG to a config file path)",
    );
  }
  return home;
}

/** The per-OS directory holding JanusMCP's user config (and its state). */
export function userConfigDir(options: UserConfigDirOptions): string {
  const path = pathFor(options.os);
  if (options.os === "windows") {
    const appData = envValue(options.env, "APPDATA");
    return appData === undefined
      ? path.join(homeDir(options), "AppData", "Roaming", APP_DIR)
      : path.join(appData, APP_DIR);
  }
  if (options.os === "darwin") {
    return path.join(homeDir(options), "Library", "Application Support", APP_DIR);
  }
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = envValue(options.env, "XDG_CONFIG_HOME");
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, APP_DIR);
  return path.join(homeDir(options), ".config", APP_DIR);
}

/** Chooses the config file: `JANUS_CONFIG` (as given), `<cwd>/config.json` if it exists, else the user one. */
export function locateConfig(options: LocateOptions): LocatedConfig {
  const explicit = envValue(options.env, "JANUS_CONFIG");
  if (explicit !== undefined) return { path: explicit, source: "JANUS_CONFIG" };
  const path = pathFor(options.os);
  const local = path.join(options.cwd, CONFIG_FILE);
  if (options.exists(local)) return { path: local, source: "cwd" };
  return { path: path.join(userConfigDir(options), CONFIG_FILE), source: "user" };
}

/** `locateConfig` for this process: its environment, working directory, OS and file system. */
export function locateConfigFromEnvironment(): LocatedConfig {
  return locateConfig({
    env: (name) => Deno.env.get(name),
    cwd: Deno.cwd(),
    os: Deno.build.os,
    exists: (path) => {
      try {
        Deno.statSync(path);
        return true;
      } catch (error) {
        // Anything but "not found" (say, a permission problem) still means a file is there:
        // choosing it lets loading report that problem instead of silently using another file.
        return !(error instanceof Deno.errors.NotFound);
      }
    },
  });
}

/** The state file (the persisted global selector) that belongs to a config file. */
export function stateFilePath(configPath: string): string {
  return join(dirname(configPath), "state.json");
}

/** The early-answer record (lib/early_answers.ts) that belongs to a config file. */
export function earlyAnswersPath(configPath: string): string {
  return join(dirname(configPath), "early-answers.json");
}
