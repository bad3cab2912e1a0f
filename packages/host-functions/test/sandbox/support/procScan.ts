import { readdirSync, readFileSync } from "node:fs";

/** Live (non-zombie) pids on this host, from /proc. */
function livePids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
      if (state !== "Z" && state !== "X") {
        pids.push(Number(entry));
      }
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}

/** Pids of live processes whose environment contains `marker` (e.g. `SBX_MARK=<uuid>`). */
export function processesWithMarker(marker: string): number[] {
  return livePids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(marker);
    } catch {
      return false;
    }
  });
}

/** Pids of live processes in process group `pgid`. */
export function processesInGroup(pgid: number): number[] {
  return livePids().filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return Number(fields[2]) === pgid;
    } catch {
      return false;
    }
  });
}

/** Polls `probe` until it returns an empty list or `ms` pass; returns the last list. */
export async function waitForNone(probe: () => number[], ms = 2000): Promise<number[]> {
  const deadline = Date.now() + ms;
  let found = probe();
  while (found.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    found = probe();
  }
  return found;
}

/** Kills leftovers a failing test would otherwise leave (by pid, only processes this test started). */
export function killPids(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
