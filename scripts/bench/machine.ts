/** What the benchmark ran on: CPU model, cores, memory, load, Deno and Node versions. */
import os from "node:os";

/** The machine a run was measured on. */
export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  loadAverage: number[];
  os: string;
  deno: string;
  v8: string;
  node: string;
}

/** Describes this machine (Node's version is that of the `node` on PATH, which runs the peers). */
export async function describeMachine(): Promise<Machine> {
  const cpus = os.cpus();
  let node = "not found";
  try {
    const output = await new Deno.Command("node", { args: ["--version"], stdout: "piped", stderr: "null" })
      .output();
    if (output.success) node = new TextDecoder().decode(output.stdout).trim();
  } catch {
    // no node on PATH: the peers cannot run, and the report says so
  }
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: navigator.hardwareConcurrency,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30 * 10) / 10,
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
    os: `${Deno.build.os} ${os.release()} ${Deno.build.arch}`,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    node,
  };
}

/** One line for the report's header. */
export function machineLine(machine: Machine): string {
  return `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, load ${
    machine.loadAverage.join(" ")
  } at start; Deno ${machine.deno} (V8 ${machine.v8}), Node ${machine.node} for the peers; ${machine.os}`;
}
