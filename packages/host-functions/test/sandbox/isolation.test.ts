import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, symlink } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDirs, ok, policyFor, sandbox, type TestDirs, text } from "./support/harness.js";
import { killPids, processesWithMarker, waitForNone } from "./support/procScan.js";

let dirs: TestDirs;
beforeAll(async () => {
  dirs = await makeDirs();
});
afterAll(async () => {
  await dirs.cleanup();
});

describe("sandbox_exec under bubblewrap", { timeout: 30_000 }, () => {
  it("runs an allowed command and counts it", async () => {
    const sbx = sandbox({ policy: policyFor(dirs.jail, ["printf"]) });
    const response = ok(await sbx.exec({ command: "printf", args: ["hello"] }));
    expect(response.exit_code).toBe(0);
    expect(text(response.stdout)).toBe("hello");
    expect(response.signal).toBeUndefined();
    expect(sbx.state.executionsMade).toBe(1);
  });

  it("runs a test-controlled program from outside the system directories", async () => {
    const tool = path.join(dirs.bin, "tool");
    const sbx = sandbox({ policy: policyFor(dirs.jail, [tool]) });
    const response = ok(await sbx.exec({ command: tool, args: ["a b", "--x"] }));
    expect(text(response.stdout)).toBe("tool:a b\ntool:--x\n");
  });

  it("refuses unlisted and blocked commands, and everything under the default policy, running nothing", async () => {
    const marker = path.join(dirs.jail, "must-not-exist");
    const listed = sandbox({
      policy: policyFor(dirs.jail, ["printf", "touch"], { blockedCommands: ["touch"] }),
    });
    expect(await listed.exec({ command: "cat" })).toEqual({ Err: { CommandNotAllowed: expect.any(String) } });
    expect(await listed.exec({ command: "touch", args: [marker] })).toEqual({
      Err: { CommandNotAllowed: expect.any(String) },
    });
    expect(listed.state.executionsMade).toBe(0);
    const strict = sandbox({ policy: policyFor(dirs.jail, []) });
    for (const command of ["printf", "/usr/bin/true", "sh", "ls"]) {
      expect(await strict.exec({ command })).toEqual({ Err: { CommandNotAllowed: expect.any(String) } });
    }
    const rm = sandbox({ policy: policyFor(dirs.jail, ["printf"], { blockedCommands: ["rm"] }) });
    expect(await rm.exec({ command: "rm", args: ["-rf", "/"] })).toEqual({
      Err: { CommandNotAllowed: expect.any(String) },
    });
  });

  it("judges path tricks on the resolved path", async () => {
    const rmlink = path.join(dirs.bin, "rmlink");
    const sbx = sandbox({ policy: policyFor(dirs.jail, ["printf", rmlink], { blockedCommands: ["rm"] }) });
    expect(await sbx.exec({ command: "/bin/../bin/rm", args: ["-rf", "/work"] })).toEqual({
      Err: { CommandNotAllowed: expect.any(String) },
    });
    expect(await sbx.exec({ command: rmlink, args: ["-rf", "/work"] })).toEqual({
      Err: { CommandNotAllowed: expect.any(String) },
    });
    expect(ok(await sbx.exec({ command: "/usr/bin/../bin/printf", args: ["ok"] })).exit_code).toBe(0);
  });

  it("truncates `yes` at a small cap and finishes", async () => {
    const sbx = sandbox({ policy: policyFor(dirs.jail, ["yes"], { maxOutputBytes: 5 }) });
    const t0 = performance.now();
    const response = ok(await sbx.exec({ command: "yes" }));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(text(response.stdout)).toBe("y\ny\ny");
    expect(response.stdout_truncated).toBe(true);
    expect(response.signal).toBe("SIGKILL");
  });

  it("passes more than 1 MiB of stdin", async () => {
    const input = Buffer.alloc(1536 * 1024, "abcdefgh");
    const sbx = sandbox({
      policy: policyFor(dirs.jail, ["sha256sum"], { maxStdinBytes: 2 * 1024 * 1024 }),
    });
    const response = ok(await sbx.exec({ command: "sha256sum", stdin: input }));
    const { createHash } = await import("node:crypto");
    expect(text(response.stdout).split(" ")[0]).toBe(createHash("sha256").update(input).digest("hex"));
    const small = sandbox({ policy: policyFor(dirs.jail, ["sha256sum"], { maxStdinBytes: 1024 }) });
    expect("Err" in (await small.exec({ command: "sha256sum", stdin: input }))).toBe(true);
    expect(small.state.executionsMade).toBe(0);
  });

  describe("timeouts leave no process behind", () => {
    const TIMEOUT_MS = 2000;
    const cases: [string, string][] = [
      ["background + foreground sleep", "sleep 100 & sleep 100"],
      ["setsid double fork", "setsid sh -c 'sleep 100 & sleep 100' & sleep 100"],
      ["trap '' TERM busy loops", "trap '' TERM; (trap '' TERM; while :; do :; done) & while :; do :; done"],
    ];
    for (const [name, script] of cases) {
      it(name, async () => {
        const id = randomUUID();
        const marker = `SBX_MARK=${id}`;
        const sbx = sandbox({
          policy: policyFor(dirs.jail, ["sh"], {
            maxExecutionTimeMs: TIMEOUT_MS,
            environmentWhitelist: ["SBX_MARK"],
          }),
        });
        const pending = sbx.exec({ command: "sh", args: ["-c", script], env: { SBX_MARK: id } });
        // The marker must really be inside running processes before the deadline (proves the scan works).
        // Poll rather than sleep a fixed time: a loaded machine can take hundreds of ms to start bwrap.
        let seen: number[] = [];
        const until = performance.now() + TIMEOUT_MS - 200;
        while (seen.length === 0 && performance.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          seen = processesWithMarker(marker);
        }
        const result = await pending;
        try {
          expect(result).toEqual({ Err: { Timeout: TIMEOUT_MS } });
          expect(seen.length).toBeGreaterThan(0);
          expect(await waitForNone(() => processesWithMarker(marker))).toEqual([]);
        } finally {
          killPids(processesWithMarker(marker));
        }
      });
    }
  });

  it("keeps the validator's environment out of the sandbox, /proc/1/environ included", async () => {
    process.env.SBX_HOST_SECRET = "hunter2-secret-value";
    try {
      const sbx = sandbox({ policy: policyFor(dirs.jail, ["sh"], { environmentWhitelist: ["VISIBLE"] }) });
      const response = ok(
        await sbx.exec({
          command: "sh",
          args: [
            "-c",
            "env; cat /proc/1/environ /proc/self/environ; for p in /proc/[0-9]*; do cat $p/environ; done",
          ],
          env: { VISIBLE: "yes" },
        }),
      );
      const out = text(response.stdout);
      expect(out).toContain("VISIBLE=yes");
      expect(out).not.toContain("hunter2");
      expect(out).not.toContain("SBX_HOST_SECRET");
    } finally {
      delete process.env.SBX_HOST_SECRET;
    }
  });

  it("honours the environment whitelist and sets PATH itself", async () => {
    const sbx = sandbox({ policy: policyFor(dirs.jail, ["env"], { environmentWhitelist: ["FOO", "PATH"] }) });
    const response = ok(await sbx.exec({ command: "env", env: { FOO: "1", BAR: "2", PATH: "/evil" } }));
    const vars = text(response.stdout).trim().split("\n").sort();
    // bubblewrap's --chdir sets PWD; nothing else reaches the child.
    expect(vars).toEqual(["FOO=1", "PATH=/usr/local/bin:/usr/bin:/bin", "PWD=/work"]);
  });

  it("passes no guest variable with an empty whitelist (the reference passed all of them)", async () => {
    const sbx = sandbox({ policy: policyFor(dirs.jail, ["env"]) });
    const response = ok(await sbx.exec({ command: "env", env: { FOO: "1", LD_PRELOAD: "/work/x.so" } }));
    expect(text(response.stdout).trim().split("\n").sort()).toEqual([
      "PATH=/usr/local/bin:/usr/bin:/bin",
      "PWD=/work",
    ]);
  });

  it("does not deadlock when stdout and stderr both exceed a pipe buffer inside the sandbox", async () => {
    const sbx = sandbox({ policy: policyFor(dirs.jail, ["sh"]) });
    const response = ok(
      await sbx.exec({
        command: "sh",
        args: ["-c", "head -c 200000 /dev/zero >&2; head -c 300000 /dev/zero; head -c 100000 /dev/zero >&2"],
      }),
    );
    expect([response.exit_code, response.stdout.byteLength, response.stderr.byteLength]).toEqual([
      0, 300_000, 300_000,
    ]);
  });

  it("blocks the network unless allowNetwork, proven against a loopback listener", async () => {
    const received: string[] = [];
    const server = net.createServer((socket) => {
      socket.on("data", (data) => received.push(data.toString()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const script = `echo knock > /dev/tcp/127.0.0.1/${port} && echo connected`;
    try {
      const off = sandbox({ policy: policyFor(dirs.jail, ["bash"]) });
      const denied = ok(await off.exec({ command: "bash", args: ["-c", script] }));
      expect(denied.exit_code).not.toBe(0);
      expect(text(denied.stdout)).not.toContain("connected");
      const on = sandbox({ policy: policyFor(dirs.jail, ["bash"], { allowNetwork: true }) });
      const allowed = ok(await on.exec({ command: "bash", args: ["-c", script] }));
      expect(text(allowed.stdout)).toBe("connected\n");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received.join("")).toBe("knock\n");
    } finally {
      server.close();
    }
  });

  it("maps the working directory into the jail and refuses escapes", async () => {
    await mkdir(path.join(dirs.jail, "sub"), { recursive: true });
    await symlink("/etc", path.join(dirs.jail, "etc-link")).catch(() => undefined);
    const sbx = sandbox({ policy: policyFor(dirs.jail, ["pwd"]) });
    expect(text(ok(await sbx.exec({ command: "pwd" })).stdout)).toBe("/work\n");
    expect(text(ok(await sbx.exec({ command: "pwd", working_directory: "sub" })).stdout)).toBe("/work/sub\n");
    for (const outside of ["..", "../..", "/etc", "sub/../..", "etc-link", "/"]) {
      expect(await sbx.exec({ command: "pwd", working_directory: outside })).toEqual({
        Err: { PolicyViolation: expect.any(String) },
      });
    }
  });

  it("confines the filesystem: jail and /tmp writable, system read-only, host homes absent", async () => {
    const sbx = sandbox({ policy: policyFor(dirs.jail, ["sh"]) });
    const script = [
      "touch /work/written && echo jail-ok",
      "touch /tmp/t && echo tmp-ok",
      "touch /usr/x 2>/dev/null || echo usr-ro",
      "touch /x 2>/dev/null || echo root-ro",
      "test -e /root || echo no-root",
      "test -e /home || echo no-home",
      "test -e /etc/passwd || echo no-passwd",
      "id -u",
      "grep CapEff /proc/self/status",
    ].join("; ");
    const out = text(ok(await sbx.exec({ command: "sh", args: ["-c", script] })).stdout);
    expect(out).toContain("jail-ok\ntmp-ok\nusr-ro\nroot-ro\nno-root\nno-home\nno-passwd\n65534\n");
    expect(out).toMatch(/CapEff:\s+0000000000000000/);
  });

  it("enforces RLIMIT_NPROC for the sandbox user", async () => {
    const sbx = sandbox({
      policy: policyFor(dirs.jail, ["sh"]),
      isolation: { limits: { maxProcesses: 6 } },
    });
    const script = "i=0; while [ $i -lt 20 ]; do sleep 2 & i=$((i+1)); done; echo spawned";
    const response = ok(await sbx.exec({ command: "sh", args: ["-c", script] }));
    expect(text(response.stderr)).toMatch(/fork/i);
  });

  it("limits file size (RLIMIT_FSIZE)", async () => {
    const sbx = sandbox({
      policy: policyFor(dirs.jail, ["sh"]),
      isolation: { limits: { maxFileSizeBytes: 4096 } },
    });
    const response = ok(
      await sbx.exec({
        command: "sh",
        args: ["-c", "head -c 100000 /dev/zero > /work/big; wc -c < /work/big"],
      }),
    );
    expect(Number(text(response.stdout).trim())).toBeLessThanOrEqual(4096);
  });

  it("enforces max_executions per instance and resets", async () => {
    const sbx = sandbox({ policy: policyFor(dirs.jail, ["true"], { maxExecutions: 2 }) });
    ok(await sbx.exec({ command: "true" }));
    ok(await sbx.exec({ command: "true" }));
    expect(await sbx.exec({ command: "true" })).toEqual({ Err: { LimitExceeded: expect.any(String) } });
    expect(sbx.state.executionsMade).toBe(2);
    sbx.state.resetCounters();
    expect(sbx.state.executionsMade).toBe(0);
    ok(await sbx.exec({ command: "true" }));
  });

  it("answers InvalidRequest for malformed bytes", async () => {
    const sbx = sandbox({ policy: policyFor(dirs.jail, ["true"]) });
    const call = (await import("./support/harness.js")).hostCall(sbx.state);
    for (const bytes of [
      new Uint8Array([0xc1]),
      new Uint8Array([0x80]),
      new Uint8Array([0x81, 0xa1, 0x78, 0x01]),
    ]) {
      expect(await sbx.registrar.handleSandboxExec(bytes, call)).toEqual({
        Err: { InvalidRequest: expect.any(String) },
      });
    }
    expect(sbx.state.executionsMade).toBe(0);
  });

  it("answers NUL bytes in arguments or names with an error and never passes them on", async () => {
    const sbx = sandbox({
      policy: policyFor(dirs.jail, ["printf", "env"], { environmentWhitelist: ["FOO"] }),
    });
    for (const request of [{ command: "printf", args: ["a\u0000b"] }, { command: "print\u0000f" }]) {
      expect("Err" in (await sbx.exec(request))).toBe(true);
    }
    // A variable value with a NUL cannot be represented in an environment: it is refused or dropped.
    const result = await sbx.exec({ command: "env", env: { FOO: "a\u0000b" } });
    if ("Ok" in result) {
      expect(text(result.Ok.stdout)).not.toContain("FOO=");
    } else {
      expect(result.Err).toBeDefined();
    }
  });

  it("answers SandboxDisabled when the policy is off", async () => {
    const sbx = sandbox({ policy: policyFor(dirs.jail, ["true"], { enabled: false }) });
    expect(await sbx.exec({ command: "true" })).toEqual({ Err: "SandboxDisabled" });
  });

  it("fails closed with IsolationUnavailable when bubblewrap is missing and isolation is required", async () => {
    const flag = path.join(dirs.jail, `ran-${randomUUID()}`);
    const required = sandbox({
      policy: policyFor(dirs.jail, ["touch"]),
      isolation: { bwrapPath: "/nonexistent/bwrap" },
    });
    expect(await required.exec({ command: "touch", args: [flag] })).toEqual({
      Err: { IsolationUnavailable: expect.stringContaining("/nonexistent/bwrap") },
    });
    expect(existsSync(flag)).toBe(false);
    const optedOut = sandbox({
      policy: policyFor(dirs.jail, ["touch"], { requireIsolation: false }),
      isolation: { bwrapPath: "/nonexistent/bwrap" },
    });
    expect(ok(await optedOut.exec({ command: "touch", args: [flag] })).exit_code).toBe(0);
    expect(existsSync(flag)).toBe(true);
  });

  it("kills the sandbox when the instance is aborted", async () => {
    const id = randomUUID();
    const sbx = sandbox({ policy: policyFor(dirs.jail, ["sh"], { environmentWhitelist: ["SBX_MARK"] }) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await sbx.exec(
      { command: "sh", args: ["-c", "sleep 100 & sleep 100"], env: { SBX_MARK: id } },
      controller.signal,
    );
    expect(result).toEqual({ Err: { ExecutionFailed: expect.stringContaining("aborted") } });
    expect(await waitForNone(() => processesWithMarker(`SBX_MARK=${id}`))).toEqual([]);
  });
});
