import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A throw-away directory tree with fake executables, symlinks and a jail, so sandbox tests never depend
 * on what the host has in /bin. Nothing in it is ever executed.
 */
export interface SandboxTree {
  /** Real path of the tree's root. */
  root: string;
  /** The search path directory: ls, cat, rm, dd, python3, sh (→ busybox-like "multi"), notexec, del (→ rm). */
  bin: string;
  /** Real directory behind `binLink` (emulates merged /usr: /bin → /usr/bin). */
  usrBin: string;
  /** Symlink to `usrBin`. */
  binLink: string;
  /** Holds `ls` → ../bin/rm (a symlink named like an allowed command). */
  trap: string;
  /** Holds `ls`, a *copy* of bin/ls (same name, different file). */
  copies: string;
  /** Holds `cat`, a *hard link* to bin/rm. */
  hard: string;
  /** Multi-call binary dir: `multi` with `ls` and `sh` symlinked to it. */
  multi: string;
  /** The jail: sub/, file, linkOut → outside, linkIn → sub, linkUp → .. */
  jail: string;
  /** Symlink to `jail`. */
  jailLink: string;
  /** A directory outside the jail. */
  outside: string;
  cleanup(): void;
}

function executable(path: string): void {
  writeFileSync(path, "#!/bin/false\n");
  chmodSync(path, 0o755);
}

export function makeSandboxTree(): SandboxTree {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "policy-tree-")));
  const dir = (name: string) => {
    const path = join(root, name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const bin = dir("bin");
  for (const name of ["ls", "cat", "rm", "dd", "python3", "echo"]) executable(join(bin, name));
  writeFileSync(join(bin, "notexec"), "data\n");
  chmodSync(join(bin, "notexec"), 0o644);
  mkdirSync(join(bin, "adir"));
  chmodSync(join(bin, "adir"), 0o755);
  symlinkSync(join(bin, "rm"), join(bin, "del"));
  symlinkSync("missing-target", join(bin, "dangling"));

  const usrBin = dir("usr/bin");
  for (const name of ["ls", "rm"]) executable(join(usrBin, name));
  const binLink = join(root, "binlink");
  symlinkSync(usrBin, binLink);

  const trap = dir("trap");
  symlinkSync(join(bin, "rm"), join(trap, "ls"));
  const copies = dir("copies");
  executable(join(copies, "ls"));
  const hard = dir("hard");
  linkSync(join(bin, "rm"), join(hard, "cat"));

  const multi = dir("multi");
  executable(join(multi, "multi"));
  symlinkSync("multi", join(multi, "ls"));
  symlinkSync("multi", join(multi, "sh"));

  const jail = dir("jail");
  mkdirSync(join(jail, "sub", "deeper"), { recursive: true });
  writeFileSync(join(jail, "file"), "x");
  const outside = dir("outside");
  symlinkSync(outside, join(jail, "linkOut"));
  symlinkSync(join(jail, "sub"), join(jail, "linkIn"));
  symlinkSync("..", join(jail, "linkUp"));
  symlinkSync("/etc", join(jail, "sub", "etc"));
  mkdirSync(join(jail, "..dots"));
  const jailLink = join(root, "jaillink");
  symlinkSync(jail, jailLink);

  return {
    root,
    bin,
    usrBin,
    binLink,
    trap,
    copies,
    hard,
    multi,
    jail,
    jailLink,
    outside,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
