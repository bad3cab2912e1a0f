import { describe, expect, it } from "vitest";
import { probeBubblewrap, resolveBubblewrapConfig } from "./bubblewrapProbe.js";

describe("bubblewrap availability", { timeout: 30_000 }, () => {
  it("is available here, with the host layout discovered", async () => {
    const result = await probeBubblewrap({});
    expect(result.available).toBe(true);
    if (!result.available) return;
    expect(result.config.rootEntries.map((e) => e.path)).toContain("/bin");
    expect(result.config.etcPaths).toContain("/etc/ld.so.cache");
    expect(result.config.dropRoot).toBe(process.getuid?.() === 0);
  });

  it("is unavailable, with a reason, when a required tool is missing", async () => {
    for (const options of [
      { bwrapPath: "/nonexistent/bwrap" },
      { prlimitPath: "/nonexistent/prlimit" },
      { jailMountPoint: "/usr/work" },
      { jailMountPoint: "/" },
    ]) {
      const result = await resolveBubblewrapConfig(options);
      expect(result.available).toBe(false);
      expect(!result.available && result.reason.length).toBeGreaterThan(0);
    }
  });

  it("refuses sandbox uid 0 when the host is root (inside a user namespace of a non-root host it is harmless)", async () => {
    const result = await resolveBubblewrapConfig({ sandboxUid: 0 });
    if (process.getuid?.() === 0) {
      expect(result).toMatchObject({ available: false, reason: expect.stringContaining("root") });
    } else {
      expect(result.available).toBe(true);
    }
  });

  it("reports a launcher that fails instead of throwing", async () => {
    const result = await probeBubblewrap({ bwrapPath: "/usr/bin/false" });
    expect(result).toMatchObject({
      available: false,
      reason: expect.stringContaining("cannot create the sandbox"),
    });
  });
});
