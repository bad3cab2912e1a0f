import { basename } from "node:path";

/**
 * Programs that run other programs or arbitrary code. Allowing one makes the allow-list moot (the
 * guest can ask `env rm -rf …`, `find -exec`, `python3 -c`, `awk 'BEGIN{system(…)}'`, `tar
 * --to-command`, `git -c core.pager=…`), so validation warns about each.
 */
const ESCAPE_HATCHES: ReadonlyMap<string, string> = new Map([
  ...["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "csh", "tcsh", "fish", "rbash"].map(
    (n) => [n, "is a shell"] as const,
  ),
  ...["busybox", "toybox"].map((n) => [n, "is a multi-call binary that contains a shell"] as const),
  ...[
    "env",
    "xargs",
    "nice",
    "ionice",
    "nohup",
    "timeout",
    "setsid",
    "stdbuf",
    "taskset",
    "chrt",
    "flock",
    "time",
    "watch",
    "script",
    "parallel",
    "run-parts",
    "chroot",
    "unshare",
    "nsenter",
    "systemd-run",
    "bwrap",
    "strace",
    "ltrace",
    "gdb",
    "start-stop-daemon",
  ].map((n) => [n, "runs the command named in its arguments"] as const),
  ...["sudo", "su", "doas", "pkexec", "runuser"].map((n) => [n, "changes user and runs a command"] as const),
  ...["find"].map((n) => [n, "runs commands through -exec"] as const),
  ...["awk", "gawk", "mawk", "nawk", "sed", "ed", "m4"].map(
    (n) => [n, "can run shell commands from its script"] as const,
  ),
  ...[
    "perl",
    "node",
    "nodejs",
    "deno",
    "bun",
    "ruby",
    "php",
    "lua",
    "luajit",
    "tclsh",
    "wish",
    "expect",
    "R",
    "Rscript",
    "java",
    "jshell",
    "osascript",
  ].map((n) => [n, "is an interpreter"] as const),
  ...["vi", "vim", "nvim", "emacs", "less", "more", "man", "nano", "ex"].map(
    (n) => [n, "has a shell escape"] as const,
  ),
  ...[
    "git",
    "make",
    "tar",
    "zip",
    "rsync",
    "ssh",
    "scp",
    "docker",
    "podman",
    "kubectl",
    "crontab",
    "at",
    "batch",
  ].map((n) => [n, "can be told to run another program"] as const),
]);

/** Interpreter families with versioned names (`python3.12`, `perl5.36`, `ruby3.2`, `lua5.4`, `php8.2`, `pypy3`). */
const VERSIONED_INTERPRETER = /^(python|pypy|perl|ruby|lua|php|node)[0-9.]*$/;

/** Why `command` (a bare name or path) is an escape hatch, or `undefined`. */
export function escapeHatchReason(command: string): string | undefined {
  const name = basename(command);
  const known = ESCAPE_HATCHES.get(name);
  if (known !== undefined) return known;
  if (VERSIONED_INTERPRETER.test(name)) return "is an interpreter";
  return undefined;
}

/**
 * Environment variables that make a child load or run code of the guest's choosing. Whitelisting one
 * lets a guest turn any allowed command into arbitrary code execution.
 */
const DANGEROUS_ENV = new Set([
  "LD_PRELOAD",
  "LD_LIBRARY_PATH",
  "LD_AUDIT",
  "DYLD_INSERT_LIBRARIES",
  "DYLD_LIBRARY_PATH",
  "GCONV_PATH",
  "BASH_ENV",
  "ENV",
  "SHELLOPTS",
  "BASHOPTS",
  "PS4",
  "IFS",
  "PYTHONPATH",
  "PYTHONSTARTUP",
  "PYTHONHOME",
  "PERL5LIB",
  "PERL5OPT",
  "PERLLIB",
  "RUBYOPT",
  "RUBYLIB",
  "NODE_OPTIONS",
  "NODE_PATH",
  "GIT_EXEC_PATH",
  "GIT_SSH_COMMAND",
  "GIT_CONFIG_GLOBAL",
  "EDITOR",
  "VISUAL",
  "PAGER",
  "MANPAGER",
  "LESSOPEN",
]);

/** True when whitelisting `name` lets the guest inject code into the child. */
export function isDangerousEnvironmentVariable(name: string): boolean {
  return DANGEROUS_ENV.has(name) || name.startsWith("LD_") || name.startsWith("BASH_FUNC_");
}
