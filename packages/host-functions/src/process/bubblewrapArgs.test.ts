import { describe, expect, it } from "vitest";
import { type BubblewrapConfig, buildBubblewrapLaunch, type SandboxedCommand } from "./bubblewrapArgs.js";
import { DEFAULT_ISOLATION_LIMITS } from "./isolationOptions.js";

const config: BubblewrapConfig = {
  bwrapPath: "/usr/bin/bwrap",
  prlimitPath: "/usr/bin/prlimit",
  dropRoot: false,
  uid: 65534,
  gid: 65534,
  jailMountPoint: "/work",
  limits: DEFAULT_ISOLATION_LIMITS,
  rootEntries: [
    { path: "/bin", kind: "symlink", target: "usr/bin" },
    { path: "/lib", kind: "directory" },
  ],
  etcPaths: ["/etc/ld.so.cache"],
  networkEtcPaths: ["/etc/resolv.conf"],
};
const command: SandboxedCommand = {
  executable: "/usr/bin/cat",
  args: ["--", "-x"],
  env: { LANG: "C" },
  path: "/usr/bin:/bin",
  jailRoot: "/srv/jail",
  cwd: "/srv/jail/sub",
  allowNetwork: false,
  timeoutMs: 2500,
};

function argsOf(c: SandboxedCommand, cfg = config): string[] {
  const built = buildBubblewrapLaunch(c, cfg);
  if (!built.ok) throw new Error(built.reason);
  return [...built.launch.args];
}

describe("buildBubblewrapLaunch", () => {
  it("confines with every namespace, no capabilities and a cleared environment", () => {
    const built = buildBubblewrapLaunch(command, config);
    expect(built.ok && built.launch).toMatchObject({ file: "/usr/bin/bwrap", env: {}, statusFd: true });
    const args = argsOf(command);
    for (const flag of [
      "--unshare-all",
      "--unshare-user",
      "--disable-userns",
      "--die-with-parent",
      "--new-session",
    ]) {
      expect(args).toContain(flag);
    }
    expect(args).not.toContain("--share-net");
    expect(args.join(" ")).toContain("--cap-drop ALL --uid 65534 --gid 65534");
    expect(args.join(" ")).toContain("--ro-bind /usr /usr --symlink usr/bin /bin --ro-bind /lib /lib");
    expect(args.join(" ")).toContain("--bind /srv/jail /work");
    expect(args.join(" ")).toContain(
      "--chdir /work/sub --clearenv --setenv PATH /usr/bin:/bin --setenv LANG C",
    );
    expect(args.join(" ")).not.toContain("resolv.conf");
    expect(args.slice(args.indexOf("--json-status-fd"))).toEqual([
      "--json-status-fd",
      "3",
      "--",
      "/usr/bin/prlimit",
      "--nproc=64",
      `--as=${1024 ** 3}`,
      `--fsize=${64 * 1024 * 1024}`,
      "--nofile=256",
      "--cpu=4",
      "--core=0",
      "--",
      "/usr/bin/cat",
      "--",
      "-x",
    ]);
  });

  it("shares the network (and resolver config) only when allowed", () => {
    const args = argsOf({ ...command, allowNetwork: true });
    expect(args).toContain("--share-net");
    expect(args.join(" ")).toContain("--ro-bind-try /etc/resolv.conf /etc/resolv.conf");
  });

  it("starts bubblewrap as the sandbox uid when the host is root, as itself otherwise", () => {
    const asRoot = buildBubblewrapLaunch(command, { ...config, dropRoot: true });
    expect(asRoot.ok && asRoot.launch).toMatchObject({
      file: "/usr/bin/bwrap",
      runAs: { uid: 65534, gid: 65534 },
    });
    const asUser = buildBubblewrapLaunch(command, config);
    expect(asUser.ok && asUser.launch.runAs).toBeUndefined();
  });

  it("maps jail executables under the mount point and binds other executables alone", () => {
    const inJail = argsOf({ ...command, executable: "/srv/jail/tools/run" });
    expect(inJail.at(-3)).toBe("/work/tools/run");
    const elsewhere = argsOf({ ...command, executable: "/opt/tool/bin/run" });
    expect(elsewhere.join(" ")).toContain("--ro-bind /opt/tool/bin/run /opt/tool/bin/run");
  });

  it("refuses an executable outside the jail whose path falls under the jail mount point", () => {
    expect(buildBubblewrapLaunch({ ...command, executable: "/work/repo/tool" }, config).ok).toBe(false);
  });

  it("never lets the guest's PATH through", () => {
    const args = argsOf({ ...command, env: { PATH: "/evil", LANG: "C" } });
    expect(args.filter((a) => a === "/evil")).toEqual([]);
  });

  it("refuses a working directory outside the jail", () => {
    for (const cwd of ["/srv", "/srv/jail2", "/etc"]) {
      expect(buildBubblewrapLaunch({ ...command, cwd }, config).ok).toBe(false);
    }
  });
});
