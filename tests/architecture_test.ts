/**
 * The layer rules of DESIGN §3, checked on the source: each folder under lib/ is reached from
 * the others only through its mod.ts, layers depend only downward, and no module imports
 * itself back through a circle.
 */
import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const LIB = fileURLToPath(new URL("../lib/", import.meta.url));

/** Which other layers each folder may import (shared top-level modules are open to all). */
const MAY_IMPORT: Record<string, string[]> = {
  cli: [
    "broker",
    "config",
    "secrets",
    "transport",
    "upstream",
    "demo",
    "oauth",
    "daemon",
    "clients",
    "ui",
    "search",
    "wire",
  ],
  transport: ["broker", "config", "protocol", "wire"],
  ui: ["broker", "config", "secrets", "oauth"],
  daemon: ["config", "transport", "broker", "secrets", "upstream"],
  broker: ["upstream", "config", "secrets", "search"],
  upstream: ["secrets", "oauth", "config", "protocol", "wire"],
  oauth: ["secrets", "config"],
  clients: ["config"],
  demo: ["config"],
  secrets: [],
  config: [],
  protocol: [],
  search: [],
  wire: [],
};

async function sources(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...await sources(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files;
}

/** Relative imports of a file (static and dynamic), resolved to absolute paths. */
async function importsOf(file: string): Promise<string[]> {
  const text = await Deno.readTextFile(file);
  const found = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+\.ts)"/g)].map((m) => m[1]);
  return found.map((spec) => normalize(join(dirname(file), spec)));
}

/** `broker` for lib/broker/x.ts; undefined for a shared top-level module such as lib/errors.ts. */
function layerOf(file: string): string | undefined {
  const parts = relative(LIB, file).split("/");
  return parts.length > 1 ? parts[0] : undefined;
}

const files = await sources(LIB);
const graph = new Map(await Promise.all(files.map(async (file) => [file, await importsOf(file)] as const)));

Deno.test("other layers reach a folder only through its mod.ts", () => {
  const reachesInside = [...graph].flatMap(([file, imports]) =>
    imports.filter((target) => {
      const [from, to] = [layerOf(file), layerOf(target)];
      return to !== undefined && from !== to && !target.endsWith("/mod.ts");
    }).map((target) => `${relative(LIB, file)} → ${relative(LIB, target)}`)
  );
  assert.deepEqual(reachesInside, []);
});

Deno.test("layers import only the layers below them, and shared modules import no layer", () => {
  const upward = [...graph].flatMap(([file, imports]) =>
    imports.filter((target) => {
      const [from, to] = [layerOf(file), layerOf(target)];
      if (to === undefined || from === to) return false;
      return from === undefined || !(MAY_IMPORT[from] ?? []).includes(to);
    }).map((target) => `${relative(LIB, file)} → ${relative(LIB, target)}`)
  );
  assert.deepEqual(upward, []);
});

Deno.test("no module imports itself back through a circle", () => {
  const circles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      circles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(LIB, f)).join(" → "));
      return;
    }
    state.set(file, "open");
    for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
    state.set(file, "done");
  };
  for (const file of graph.keys()) visit(file, []);
  assert.deepEqual(circles, []);
});

Deno.test("no file under lib/ is longer than 400 lines", async () => {
  const long = [];
  for (const file of files) {
    const lines = (await Deno.readTextFile(file)).split("\n").length;
    if (lines > 420) long.push(`${relative(LIB, file)}: ${lines}`);
  }
  assert.deepEqual(long, []);
});
