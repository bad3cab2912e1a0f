/**
 * Process-group bookkeeping. Every child the engine starts leads its own process group (`detached`, i.e.
 * `setsid`), so one `kill(-pgid)` reaches the child and every descendant that did not leave the group.
 * Groups still alive when the host process exits are killed from an `exit` hook, because execa's own
 * cleanup skips detached children.
 */

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killLiveGroupsOnExit(): void {
  for (const pgid of liveGroups) {
    killProcessGroup(pgid);
  }
}

/**
 * Sends SIGKILL to the process group `pgid`. A group that is already gone (ESRCH) is not an error.
 * @returns whether the signal was delivered to at least one process.
 */
export function killProcessGroup(pgid: number): boolean {
  return killPid(-pgid);
}

/**
 * Sends SIGKILL to one pid (negative = a group), ignoring "no such process" and "not permitted".
 * @returns whether the signal was delivered.
 */
export function killPid(pid: number): boolean {
  if (!Number.isInteger(pid) || pid === 0 || pid === -1 || pid === 1) {
    // 0, -1 and 1 would address our own group, every process we may signal, or init: never.
    return false;
  }
  try {
    process.kill(pid, "SIGKILL");
    return true;
  } catch {
    return false;
  }
}

/**
 * Records `pgid` as live until the returned function is called, so a host exit kills it.
 * @returns a function that forgets the group.
 */
export function trackProcessGroup(pgid: number): () => void {
  if (!exitHookInstalled) {
    process.on("exit", killLiveGroupsOnExit);
    exitHookInstalled = true;
  }
  liveGroups.add(pgid);
  return () => {
    liveGroups.delete(pgid);
  };
}
