/** Looking at processes by pid, process group and environment (Linux /proc), for orphan checks. */

/** The process group of a pid, or undefined when it is gone. */
export function pgidOf(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields ? Number(fields[2]) : undefined;
}

/** Every live (non-zombie) process in a process group. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const fields = statFields(Number(entry.name));
    if (fields && fields[0] !== "Z" && Number(fields[2]) === pgid) members.push(Number(entry.name));
  }
  return members;
}

/** Processes whose environment holds `NAME=value` exactly. */
export function pidsWithEnv(name: string, value: string): number[] {
  const wanted = `${name}=${value}`;
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const environ = Deno.readTextFileSync(`/proc/${entry.name}/environ`).split("\0");
      const fields = statFields(Number(entry.name));
      if (environ.includes(wanted) && fields && fields[0] !== "Z") pids.push(Number(entry.name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, … */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** Waits until `check` holds (polling), up to `ms`. */
export async function waitUntil(check: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}
