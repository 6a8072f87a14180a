/**
 * Pure: reads a V8 `.cpuprofile` (the inspector's Profiler.stop result) into self and inclusive
 * time per function, and self time per origin (a dependency, a broker file, Deno's runtime,
 * garbage collection), so a profile can be read as "where the per-call cost goes".
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** A V8 CPU profile. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Time attributed to one function or origin, in ms and as a share of the sampled time. */
export interface Share {
  name: string;
  ms: number;
  percent: number;
}

/** A profile summarised. */
export interface ProfileSummary {
  totalMs: number;
  /** Share of sampled time the process spent idle (waiting for I/O). */
  idlePercent: number;
  selfByFunction: Share[];
  inclusiveByFunction: Share[];
  selfByOrigin: Share[];
  /**
   * Self time inside the ops that write to and read from pipes and sockets. On a loaded 2-core
   * machine most of it is the thread held while the kernel wakes the other side (scheduling, not
   * work), and it swings between runs of the same code: busy time minus this is the steadier figure.
   */
  ioOpsMs: number;
}

/** The ops whose self time is mostly waiting on the other end of a pipe or socket. */
const IO_OPS = new Set(["op_write_all", "op_write_sync", "op_read", "op_write"]);

/** Which dependency or part of the runtime a script URL belongs to. */
export function originOf(url: string): string {
  if (url === "") return "(native / V8)";
  const npm = /node_modules\/(?:\.deno\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url) ??
    /registry\.npmjs\.org\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (npm) return `npm:${npm[1]}`;
  const lib = /\/(lib\/[^?#]+)$/.exec(url);
  if (lib) return lib[1];
  if (url.startsWith("ext:") || url.startsWith("node:")) return `deno ${url.split("/")[0]}`;
  return url.replace(/^file:\/\/.*\//, "");
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/(node_modules\/(?:\.deno\/[^/]+\/node_modules\/)?)?/, "");
  return `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
}

function ranked(map: Map<string, number>, total: number, top: number): Share[] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({
    name,
    ms: Math.round(us / 10) / 100,
    percent: Math.round(us / total * 1000) / 10,
  }));
}

/** Self time per function and origin, and inclusive time per function (recursion counted once). */
export function summariseProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const origin = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let ioOps = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    total += us;
    const name = node.callFrame.functionName;
    if (name === "(idle)") {
      idle += us;
      return;
    }
    if (IO_OPS.has(name)) ioOps += us;
    const key = name.startsWith("(") ? name : frameName(node);
    self.set(key, (self.get(key) ?? 0) + us);
    const where = name.startsWith("(") ? name : originOf(node.callFrame.url);
    origin.set(where, (origin.get(where) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame || frame.callFrame.functionName === "(root)") continue;
      const name = frameName(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  });
  return {
    totalMs: Math.round(total / 1000),
    idlePercent: total ? Math.round(idle / total * 1000) / 10 : 0,
    selfByFunction: ranked(self, total, top),
    inclusiveByFunction: ranked(inclusive, total, top),
    selfByOrigin: ranked(origin, total, top),
    ioOpsMs: Math.round(ioOps / 1000),
  };
}
