// Metered vs unmetered on a corpus: every fixture export gives the same result (or the same trap) and the
// same memory, consumes the same fuel on every run, equals the per-instruction oracle, and stops exactly at
// its need (budget = need passes with 0 left, need - 1 traps with the -1 marker).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadFixture } from "@platform-wasm/guest-fixtures";
import { encodeMessage } from "@platform-wasm/wire";
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_COST_TABLE } from "./costTable.js";
import { FUEL_GLOBAL_EXPORT, FUEL_START_EXPORT, meterModule, meterModuleWithPlacement } from "./meter.js";

// Worker threads, child processes and fuzzing are slow on a loaded 2-core machine.
vi.setConfig({ testTimeout: 60_000 });

type Exports = Record<string, unknown>;
type Outcome = { value: unknown } | { trap: string };
interface Run {
  outcome: Outcome;
  remaining: bigint | undefined;
  memory: Buffer | undefined;
}

const AMPLE = 1n << 50n;

function importsFor(module: WebAssembly.Module): WebAssembly.Imports {
  // Deterministic stand-ins for the ABI's host functions (metered and unmetered runs see the same):
  // a fixed timestamp, logging ignored, every request/response call answers -1 ("bad request memory").
  const imports: Record<string, Record<string, unknown>> = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    if (entry.kind !== "function") throw new Error(`fixture imports a ${entry.kind}`);
    imports[entry.module] ??= {};
    const stub =
      entry.name === "get_timestamp"
        ? () => 1_700_000_000_000n
        : entry.name === "log_message"
          ? () => {}
          : () => -1;
    (imports[entry.module] as Record<string, unknown>)[entry.name] = stub;
  }
  return imports as WebAssembly.Imports;
}

/** One fresh instance, one call. `budget` undefined = the module is unmetered. */
function run(bytes: Uint8Array, name: string, args: readonly unknown[], budget?: bigint): Run {
  return runScenario(bytes, (exports) => (exports[name] as (...a: unknown[]) => unknown)(...args), budget);
}

/** One fresh instance running `scenario` (any sequence of export calls). */
function runScenario(bytes: Uint8Array, scenario: (exports: Exports) => unknown, budget?: bigint): Run {
  const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  let outcome: Outcome;
  let exports: Exports = {};
  let fuel: WebAssembly.Global | undefined;
  try {
    exports = new WebAssembly.Instance(module, importsFor(module)).exports as Exports;
    if (budget !== undefined) {
      fuel = exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global;
      fuel.value = budget;
      const start = exports[FUEL_START_EXPORT] as (() => void) | undefined;
      start?.();
    }
    outcome = { value: scenario(exports) };
  } catch (error) {
    outcome = {
      trap: error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error),
    };
  }
  const memory =
    exports.memory instanceof WebAssembly.Memory ? Buffer.from(exports.memory.buffer) : undefined;
  return { outcome, remaining: fuel?.value as bigint | undefined, memory };
}

interface Case {
  readonly fixture: string;
  readonly name: string;
  readonly args: readonly unknown[];
}

const cases: Case[] = [];
const add = (fixture: string, name: string, argLists: readonly (readonly unknown[])[]) => {
  for (const args of argLists) cases.push({ fixture, name, args });
};
add("fuel-loop", "sum", [[0], [1], [17], [500]]);
add("fuel-loop", "collatz", [[1], [7], [27], [65535], [123456]]);
add("fuel-loop", "nested", [[0], [5], [63], [73]]);
add("fuel-recursion", "fib", [[0], [1], [10], [15]]);
add("fuel-recursion", "parity", [[0], [7], [255]]);
add("fuel-recursion", "gcd", [
  [48n, 18n],
  [17n, 5n],
  [0n, 0n],
]);
add("fuel-recursion", "gcd32", [
  [1071, 462],
  [0, 9],
]);
add("fuel-brtable", "machine", [[0], [0x0305], [0x07ff], [255], [0x04ff]]);
add("fuel-brtable", "classify", [[0], [1], [2], [3], [7]]);
add("fuel-brtable", "clamp", [[5], [5000], [-5000], [-1000]]);
add("fuel-brtable", "exits", [[0], [1], [2], [3], [4], [5], [6], [7]]);
add("fuel-indirect", "fold", [[0], [0x04030201], [-1]]);
add("fuel-indirect", "dispatch", [
  [0, 5, 3],
  [1, 5, 3],
  [2, 5, 3],
  [3, 5, 3],
]);
add("fuel-indirect", "callEmpty", [[]]);
add("fuel-bulk", "fill", [[0], [10], [4095], [70000]]);
add("fuel-bulk", "copy", [[0], [5], [2047]]);
add("fuel-bulk", "grow", [[0], [1], [3]]);
add("fuel-bulk", "growTooMuch", [[]]);
add("fuel-bulk", "tables", [[0], [3], [7]]);
add("fuel-bulk", "drops", [[]]);
add("fuel-multivalue", "gcdLoop", [
  [12, 18],
  [0, 5],
  [7, 0],
]);
add("fuel-multivalue", "mix", [[0], [1], [100], [-7]]);
add("fuel-multivalue", "triple", [[3], [-1]]);
add("fuel-start", "seed", [[]]);
add("fuel-hash", "hash", [[1, 64, 2]]);
add("fuel-hash", "sort", [[7, 100]]);
add("fuel-misc", "mix", [[0], [1], [-5], [1000]]);

const plain = new Map<string, Uint8Array>();
const metered = new Map<string, Uint8Array>();
const oracle = new Map<string, Uint8Array>();
for (const fixture of new Set(cases.map((c) => c.fixture))) {
  const bytes = loadFixture(fixture);
  plain.set(fixture, bytes);
  metered.set(fixture, meterModule(bytes));
  oracle.set(fixture, meterModuleWithPlacement(bytes, DEFAULT_COST_TABLE, "instruction"));
}
const get = (map: Map<string, Uint8Array>, key: string): Uint8Array => {
  const value = map.get(key);
  if (value === undefined) throw new Error(`no module ${key}`);
  return value;
};

const label = (c: Case) => `${c.fixture} ${c.name}(${c.args.map(String).join(", ")})`;

describe("metered vs unmetered WAT corpus", () => {
  it.each(cases.map((c) => [label(c), c] as const))("%s", (_label, c) => {
    const reference = run(get(plain, c.fixture), c.name, c.args);
    const first = run(get(metered, c.fixture), c.name, c.args, AMPLE);
    const second = run(get(metered, c.fixture), c.name, c.args, AMPLE);
    const perInstruction = run(get(oracle, c.fixture), c.name, c.args, AMPLE);
    // Same result or same trap, same memory.
    expect(first.outcome).toEqual(reference.outcome);
    expect(first.memory?.equals(reference.memory ?? Buffer.alloc(0)) ?? reference.memory === undefined).toBe(
      true,
    );
    // Same fuel across runs and equal to the per-instruction oracle.
    const need = AMPLE - (first.remaining ?? 0n);
    expect(need).toBeGreaterThan(0n);
    expect(second.remaining).toBe(first.remaining);
    expect(perInstruction.remaining).toBe(first.remaining);
    // Exact stop: the need passes with nothing left, one less runs out (marker -1) every time.
    const enough = run(get(metered, c.fixture), c.name, c.args, need);
    expect(enough.outcome).toEqual(reference.outcome);
    expect(enough.remaining).toBe(0n);
    for (const budget of [need - 1n, need - 1n, need / 2n, 0n]) {
      const short = run(get(metered, c.fixture), c.name, c.args, budget);
      expect(short.outcome).toEqual({ trap: "RuntimeError: unreachable" });
      expect(short.remaining).toBe(-1n);
    }
  });
});

describe("bulk operations are charged by size", () => {
  const bulk = () => get(metered, "fuel-bulk");
  const need = (name: string, args: readonly unknown[]) =>
    AMPLE - (run(bulk(), name, args, AMPLE).remaining ?? 0n);

  it("memory.fill: one fuel per started 16 bytes", () => {
    // fill(n) also sums the n bytes back: 14 fuel per byte (local.get, local.get, i32.ge_u, br_if | local.get,
    // local.get, i32.load8_u, i32.add, local.set, local.get, i32.const, i32.add, local.set, br). Subtracting
    // it isolates the fill's own dynamic charge.
    expect(need("fill", [32]) - need("fill", [16]) - 16n * 14n).toBe(1n);
    expect(need("fill", [17]) - need("fill", [16]) - 14n).toBe(1n);
    expect(need("fill", [16]) - need("fill", [15]) - 14n).toBe(0n);
  });

  it("memory.copy: proportional to its length", () => {
    expect(need("copy", [16 * 100]) - need("copy", [0])).toBe(100n);
  });

  it("memory.grow: 4096 per requested page, also when the grow fails", () => {
    expect(need("grow", [3]) - need("grow", [0])).toBe(3n * 4096n);
    expect(need("growTooMuch", [])).toBeGreaterThan(1000n * 4096n);
    expect(run(bulk(), "growTooMuch", [], AMPLE).outcome).toEqual({ value: -1 });
  });

  it("table.grow: one per element", () => {
    expect(need("tables", [7]) - need("tables", [0])).toBe(7n);
  });
});

// AssemblyScript-compiled modules built elsewhere in the workspace (the SDK's codec harness, examples): used
// when present; the WAT corpus above does not depend on them.
const workspace = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../..");
function builtGuests(): string[] {
  const found: string[] = [];
  const sdk = path.join(workspace, "packages/challenge-sdk/build");
  const roots = [sdk];
  const examples = path.join(workspace, "examples");
  if (existsSync(examples)) {
    for (const name of readdirSync(examples)) roots.push(path.join(examples, name, "build"));
  }
  for (const dir of roots) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) if (file.endsWith(".wasm")) found.push(path.join(dir, file));
  }
  return found;
}

describe("AssemblyScript-compiled guests, when built", () => {
  const guests = builtGuests();
  it("finds the guests it can (informational list)", () => {
    expect(Array.isArray(guests)).toBe(true);
  });
  for (const file of guests) {
    it(`${path.relative(workspace, file)}: meters, and every allocating call agrees`, () => {
      const bytes = new Uint8Array(readFileSync(file));
      if (!WebAssembly.validate(bytes)) {
        // Read while another build was rewriting it: an invalid module must be refused, never metered.
        expect(() => meterModule(bytes)).toThrow(/does not validate|malformed/);
        return;
      }
      const out = meterModule(bytes);
      expect(WebAssembly.validate(out)).toBe(true);
      const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
      const names = WebAssembly.Module.exports(module).map((e) => e.name);
      if (names.includes("alloc")) {
        for (const size of [0, 1, 64, 4096]) {
          const reference = run(bytes, "alloc", [size]);
          const first = run(out, "alloc", [size], AMPLE);
          expect(first.outcome).toEqual(reference.outcome);
          expect(run(out, "alloc", [size], AMPLE).remaining).toBe(first.remaining);
        }
      }
      if (names.includes("evaluate") && names.includes("alloc")) {
        // The evaluation contract: EvaluationInput in, packed (len << 32 | ptr) EvaluationOutput out.
        const input = encodeMessage({
          agent_data: new TextEncoder().encode('{ "answer": "42" }'),
          challenge_id: "fuel-corpus",
          params: new Uint8Array(0),
          task_definition: null,
          environment_config: null,
        });
        for (const entry of ["evaluate", "validate"].filter((n) => names.includes(n))) {
          const scenario = (exports: Exports) => {
            const memory = exports.memory as WebAssembly.Memory;
            const ptr = (exports.alloc as (n: number) => number)(input.length);
            new Uint8Array(memory.buffer, ptr, input.length).set(input);
            const result = (exports[entry] as (p: number, l: number) => bigint | number)(ptr, input.length);
            if (typeof result === "number") return result;
            const at = Number(result & 0xffff_ffffn);
            return Buffer.from(new Uint8Array(memory.buffer, at, Number(result >> 32n))).toString("hex");
          };
          const reference = runScenario(bytes, scenario);
          const first = runScenario(out, scenario, AMPLE);
          expect(first.outcome).toEqual(reference.outcome);
          expect(first.memory?.equals(reference.memory ?? Buffer.alloc(0))).toBe(true);
          const need = AMPLE - (first.remaining ?? 0n);
          expect(runScenario(out, scenario, AMPLE).remaining).toBe(first.remaining);
          if ("value" in reference.outcome) {
            expect(runScenario(out, scenario, need).outcome).toEqual(reference.outcome);
            expect(runScenario(out, scenario, need - 1n).remaining).toBe(-1n);
          }
        }
      }
      if (names.includes("roundtrip")) {
        // The SDK codec harness: decode + re-encode an EvaluationInput (kind 10) inside the guest.
        const input = encodeMessage({
          agent_data: new Uint8Array(300).map((_, i) => i & 0xff),
          challenge_id: "fuel-corpus",
          params: new Uint8Array([1, 2, 3]),
          task_definition: null,
          environment_config: null,
        });
        const scenario = (exports: Exports) => {
          const memory = exports.memory as WebAssembly.Memory;
          const ptr = (exports.alloc as (n: number) => number)(input.length);
          new Uint8Array(memory.buffer, ptr, input.length).set(input);
          const packed = (exports.roundtrip as (k: number, p: number, l: number) => bigint)(
            10,
            ptr,
            input.length,
          );
          const at = Number(packed & 0xffff_ffffn);
          return Buffer.from(new Uint8Array(memory.buffer, at, Number(packed >> 32n))).toString("hex");
        };
        const reference = runScenario(bytes, scenario);
        expect(reference.outcome).toHaveProperty("value");
        const first = runScenario(out, scenario, AMPLE);
        expect(first.outcome).toEqual(reference.outcome);
        expect(first.memory?.equals(reference.memory ?? Buffer.alloc(0))).toBe(true);
        const need = AMPLE - (first.remaining ?? 0n);
        expect(runScenario(out, scenario, AMPLE).remaining).toBe(first.remaining);
        expect(runScenario(out, scenario, need).remaining).toBe(0n);
        expect(runScenario(out, scenario, need - 1n).remaining).toBe(-1n);
      }
    });
  }
});
