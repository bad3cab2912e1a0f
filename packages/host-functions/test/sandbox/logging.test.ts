import { logs, SeverityNumber } from "@opentelemetry/api-logs";
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emitGuestLog } from "../../src/sandbox/guestLog.js";
import { DEFAULT_LOG_LIMITS, type LogLimits } from "../../src/sandbox/logLimits.js";
import { SandboxState } from "../../src/sandbox/sandboxState.js";
import { createLogMessage } from "../../src/worker/logMessage.js";
import { instance } from "./support/harness.js";

const exporter = new InMemoryLogRecordExporter();
const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
beforeAll(() => {
  logs.setGlobalLoggerProvider(provider);
});
afterAll(async () => {
  await provider.shutdown();
  logs.disable();
});
beforeEach(() => exporter.reset());

/** A guest memory, the worker-side function over it, and the host side wired as the runtime would. */
function guest(limits: LogLimits = DEFAULT_LOG_LIMITS) {
  const memory = new Uint8Array(65536);
  const state = new SandboxState(instance);
  const posted: unknown[] = [];
  const log = createLogMessage(limits, {
    readMemory(ptr, len) {
      if (ptr < 0 || len < 0 || ptr + len > memory.byteLength) return undefined;
      return memory.slice(ptr, ptr + len);
    },
    post(message) {
      posted.push(message);
      emitGuestLog(message, state, limits);
    },
  });
  let next = 0;
  const put = (bytes: Uint8Array) => {
    const ptr = next;
    memory.set(bytes, ptr);
    next += bytes.byteLength;
    return ptr;
  };
  return {
    state,
    posted,
    memory,
    log(level: number, message: string | Uint8Array) {
      const bytes = typeof message === "string" ? new TextEncoder().encode(message) : message;
      log(level, put(bytes), bytes.byteLength);
    },
    raw: log,
  };
}

describe("log_message", () => {
  it("maps levels (0..4, anything else info) and labels records", () => {
    const g = guest();
    for (const level of [0, 1, 2, 3, 4, 99, -1]) g.log(level, `level ${level}`);
    const records = exporter.getFinishedLogRecords();
    expect(records.map((r) => [r.body, r.severityNumber, r.severityText])).toEqual([
      ["level 0", SeverityNumber.TRACE, "TRACE"],
      ["level 1", SeverityNumber.DEBUG, "DEBUG"],
      ["level 2", SeverityNumber.INFO, "INFO"],
      ["level 3", SeverityNumber.WARN, "WARN"],
      ["level 4", SeverityNumber.ERROR, "ERROR"],
      ["level 99", SeverityNumber.INFO, "INFO"],
      ["level -1", SeverityNumber.INFO, "INFO"],
    ]);
    expect(records[0]?.attributes).toMatchObject({
      challenge_id: "challenge-1",
      validator_id: "validator-1",
      source: "wasm",
    });
    expect(records[0]?.instrumentationScope.name).toBe("@platform-wasm/host-functions");
    expect(g.state.logRecords).toBe(7);
  });

  it("replaces invalid UTF-8", () => {
    const g = guest();
    g.log(2, new Uint8Array([0x6f, 0x6b, 0xff, 0xc3, 0x28, 0x21]));
    expect(exporter.getFinishedLogRecords()[0]?.body).toBe("ok\uFFFD\uFFFD(!");
  });

  it("caps the message size and marks the cut", () => {
    const g = guest({ ...DEFAULT_LOG_LIMITS, maxMessageBytes: 8 });
    g.log(2, "0123456789abcdef");
    const record = exporter.getFinishedLogRecords()[0];
    expect(record?.body).toBe("01234567");
    expect(record?.attributes).toMatchObject({ "log.truncated": true, "log.original_bytes": 16 });
  });

  it("drops out-of-bounds ranges and negative lengths without throwing", () => {
    const g = guest();
    expect(() => g.raw(2, 65530, 100)).not.toThrow();
    expect(() => g.raw(2, -5, 3)).not.toThrow();
    expect(() => g.raw(2, 0, -1)).not.toThrow();
    expect(() => g.raw(2, 2 ** 31 - 1, 2 ** 31 - 1)).not.toThrow();
    expect(exporter.getFinishedLogRecords()).toEqual([]);
  });

  it("enforces the per-instance record budget with one notice", () => {
    const g = guest({ ...DEFAULT_LOG_LIMITS, maxRecords: 3 });
    for (let i = 0; i < 100; i++) g.log(2, `m${i}`);
    const bodies = exporter.getFinishedLogRecords().map((r) => r.body);
    expect(bodies.slice(0, 3)).toEqual(["m0", "m1", "m2"]);
    expect(bodies).toHaveLength(4);
    expect(String(bodies[3])).toContain("budget exhausted");
    expect(g.posted).toHaveLength(4);
    expect(g.state.logBudgetExhausted).toBe(true);
  });

  it("enforces the per-instance byte budget", () => {
    const g = guest({ ...DEFAULT_LOG_LIMITS, maxBytes: 10 });
    g.log(2, "12345");
    g.log(2, "67890");
    g.log(2, "x");
    const bodies = exporter.getFinishedLogRecords().map((r) => r.body);
    expect(bodies.slice(0, 2)).toEqual(["12345", "67890"]);
    expect(bodies).toHaveLength(3);
    expect(g.state.logBytes).toBe(10);
  });

  it("enforces the budget on the host even when messages bypass the worker-side check", () => {
    const state = new SandboxState(instance);
    const limits = { ...DEFAULT_LOG_LIMITS, maxRecords: 2 };
    for (let i = 0; i < 50; i++) {
      emitGuestLog({ type: "record", level: 2, text: `x${i}`, length: 2, truncated: false }, state, limits);
    }
    emitGuestLog({ bogus: true }, state, limits);
    emitGuestLog(null, state, limits);
    expect(exporter.getFinishedLogRecords()).toHaveLength(3);
    state.resetCounters();
    emitGuestLog({ type: "record", level: 3, text: "again", length: 5, truncated: false }, state, limits);
    expect(exporter.getFinishedLogRecords().at(-1)?.body).toBe("again");
  });
});
