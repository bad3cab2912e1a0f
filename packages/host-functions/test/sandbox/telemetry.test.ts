import { realpathSync } from "node:fs";
import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDirs, ok, policyFor, sandbox, type TestDirs } from "./support/harness.js";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let dirs: TestDirs;
beforeAll(async () => {
  trace.setGlobalTracerProvider(provider);
  dirs = await makeDirs();
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  await dirs.cleanup();
});

describe("exec telemetry", { timeout: 30_000 }, () => {
  it("records one span per exec with command, exit code, bytes and truncation, never env or stdin", async () => {
    const sbx = sandbox({
      policy: policyFor(dirs.jail, ["sh"], { environmentWhitelist: ["TOKEN"], maxOutputBytes: 4 }),
    });
    const response = ok(
      await sbx.exec({
        command: "sh",
        args: ["-c", "cat >/dev/null; printf 123456; exit 0"],
        env: { TOKEN: "env-secret-value" },
        stdin: new TextEncoder().encode("stdin-secret-value"),
      }),
    );
    expect(response.stdout_truncated).toBe(true);
    const spans = exporter.getFinishedSpans().filter((s) => s.name === "platform_sandbox.exec");
    expect(spans).toHaveLength(1);
    const attributes = spans[0]!.attributes;
    expect(attributes).toMatchObject({
      "sandbox.command": realpathSync("/usr/bin/sh"),
      "sandbox.isolation": "bubblewrap",
      "sandbox.stdout.truncated": true,
      "sandbox.stdin.bytes": 18,
      "sandbox.outcome": "completed",
    });
    expect(attributes["sandbox.stdout.bytes"]).toBeGreaterThanOrEqual(5);
    expect(typeof attributes["process.exit.code"]).toBe("number");
    const everything = JSON.stringify(
      exporter.getFinishedSpans().map((s) => [s.attributes, s.events, s.status]),
    );
    expect(everything).not.toContain("secret-value");
  });

  it("reports a signal received inside the sandbox as bubblewrap does (128 + n)", async () => {
    const sbx = sandbox({ policy: policyFor(dirs.jail, ["sh"]) });
    const response = ok(await sbx.exec({ command: "sh", args: ["-c", "kill -USR1 $$"] }));
    expect(response.exit_code).toBe(128 + 10);
    expect(response.signal).toBeUndefined();
  });
});
