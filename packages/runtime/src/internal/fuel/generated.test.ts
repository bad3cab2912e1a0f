// Random structured programs (nested blocks, loops, ifs, br/br_if/br_table to any enclosing label,
// value-carrying branches, returns, calls, bulk memory) compiled with wabt: the metered module computes
// what the original computes, consumes exactly what the independent per-instruction oracle consumes, and
// stops exactly at its need. This exercises chains, refunds and call/return syncing on shapes no
// hand-written fixture covers.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import initWabt from "wabt";
import { DEFAULT_COST_TABLE } from "./costTable.js";
import { FUEL_GLOBAL_EXPORT, meterModule, meterModuleWithPlacement } from "./meter.js";

type Wabt = Awaited<ReturnType<typeof initWabt>>;
let wabt: Wabt;
beforeAll(async () => {
  wabt = await initWabt();
});

/** Small deterministic PRNG (mulberry32), so a failing seed reproduces its program. */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) | 0;
  };
}

interface Label {
  readonly name: string;
  readonly loop: boolean;
}

/**
 * Generates one module. The exported `f(x)` has no results (so any branch may target the function's own
 * label) and leaves its accumulator in memory. Every loop has its own down-counter checked at its header:
 * it terminates.
 */
function generate(seed: number): string {
  const pick = prng(seed);
  let labels = 0;
  let loops = 0;
  const counters: string[] = [];
  const cond = () =>
    `(i32.lt_u (i32.and (i32.add (local.get $acc) (i32.mul (local.get $x) (i32.const ${1 + pick(7)}))) (i32.const 15)) (i32.const ${pick(16)}))`;
  const update = () => {
    const ops = ["i32.add", "i32.xor", "i32.mul", "i32.sub", "i32.rotl"];
    return `(local.set $acc (${ops[pick(ops.length)]} (local.get $acc) (i32.const ${pick(1000) + 1})))`;
  };
  const statements = (depth: number, scope: readonly Label[]): string => {
    const count = 1 + pick(4);
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(statement(depth, scope));
    return out.join("\n");
  };
  const target = (scope: readonly Label[]): string => {
    // any enclosing label, or the function itself (depth = scope.length)
    const index = pick(scope.length + 1);
    return index === scope.length ? String(scope.length) : (scope[scope.length - 1 - index] as Label).name;
  };
  const statement = (depth: number, scope: readonly Label[]): string => {
    const choice = pick(depth >= 3 ? 6 : 13);
    switch (choice) {
      case 0:
      case 1:
        return update();
      case 2:
        return `(br_if ${target(scope)} ${cond()})`;
      case 3:
        return `(if ${cond()} (then ${update()} ${statement(depth + 1, scope)}) (else ${update()}))`;
      case 4:
        return `(local.set $acc (call $helper (local.get $acc)))`;
      case 5:
        return `(memory.fill (i32.const 16) (local.get $acc) (i32.and (local.get $acc) (i32.const 255)))`;
      case 6: {
        const name = `$b${labels++}`;
        return `(block ${name} ${statements(depth + 1, [...scope, { name, loop: false }])})`;
      }
      case 7: {
        const n = loops++;
        const counter = `$c${n}`;
        counters.push(counter);
        const out = `$out${n}`;
        const head = `$l${n}`;
        const inner = [...scope, { name: out, loop: false }, { name: head, loop: true }];
        return `(local.set ${counter} (i32.const ${1 + pick(4)}))
          (block ${out} (loop ${head}
            (br_if ${out} (i32.eqz (local.get ${counter})))
            (local.set ${counter} (i32.sub (local.get ${counter}) (i32.const 1)))
            ${statements(depth + 1, inner)}
            (br ${head})))`;
      }
      case 8:
        return `(if ${cond()} (then (br ${target(scope)})))`;
      case 9: {
        const labelsUsed = Array.from({ length: 1 + pick(3) }, () => target(scope)).join(" ");
        return `(if ${cond()} (then (br_table ${labelsUsed} ${target(scope)} (i32.and (local.get $acc) (i32.const 3)))))`;
      }
      case 10:
        return `(if ${cond()} (then (i32.store (i32.const 0) (local.get $acc)) (return)))`;
      case 11:
        // a branch carrying a value: never chained
        return `(local.set $acc (i32.add (local.get $acc) (block (result i32) (br_if 0 (i32.const 7) ${cond()}) (drop) (i32.const 9))))`;
      default:
        return `(if (i32.eq (local.get $acc) (i32.const 12345)) (then (unreachable)))`;
    }
  };
  const body = statements(0, []);
  const locals = counters.map((c) => `(local ${c} i32)`).join(" ");
  return `(module
    (memory (export "memory") 1)
    (func $helper (param $v i32) (result i32)
      (if (result i32) (i32.and (local.get $v) (i32.const 1))
        (then (i32.add (local.get $v) (i32.const 3)))
        (else (i32.shr_u (local.get $v) (i32.const 1)))))
    (func (export "f") (param $x i32) (local $acc i32) ${locals}
      (local.set $acc (local.get $x))
      ${body}
      (i32.store (i32.const 0) (local.get $acc))))`;
}

function compile(source: string): Uint8Array {
  const parsed = wabt.parseWat("generated.wat", source, { bulk_memory: true, multi_value: true });
  parsed.resolveNames();
  parsed.validate();
  const { buffer } = parsed.toBinary({ log: false });
  parsed.destroy();
  return buffer;
}

function call(bytes: Uint8Array, x: number, budget?: bigint) {
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>))
    .exports as Record<string, unknown>;
  const fuel = exports[FUEL_GLOBAL_EXPORT] as WebAssembly.Global | undefined;
  if (fuel && budget !== undefined) fuel.value = budget;
  let outcome: string;
  try {
    outcome = `value:${String((exports.f as (v: number) => unknown)(x))}`;
  } catch (error) {
    outcome = `trap:${(error as Error).message}`;
  }
  const memory = Buffer.from((exports.memory as WebAssembly.Memory).buffer).toString("base64");
  return { outcome, remaining: fuel?.value as bigint | undefined, memory };
}

const AMPLE = 1n << 50n;

describe("random structured programs", () => {
  it("metered = unmetered, block placement = per-instruction oracle, exact need", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed, x) => {
        const plain = compile(generate(seed));
        const metered = meterModule(plain);
        const oracle = meterModuleWithPlacement(plain, DEFAULT_COST_TABLE, "instruction");
        const reference = call(plain, x);
        const block = call(metered, x, AMPLE);
        expect(block.outcome).toBe(reference.outcome);
        expect(block.memory).toBe(reference.memory);
        const viaOracle = call(oracle, x, AMPLE);
        expect(viaOracle.outcome).toBe(reference.outcome);
        if (reference.outcome.startsWith("trap:")) return; // a guest trap: fuel after it is not exact by contract
        expect(block.remaining).toBe(viaOracle.remaining);
        const need = AMPLE - (block.remaining ?? 0n);
        const enough = call(metered, x, need);
        expect(enough.outcome).toBe(reference.outcome);
        expect(enough.remaining).toBe(0n);
        const short = call(metered, x, need - 1n);
        expect(short.outcome).toBe("trap:unreachable");
        expect(short.remaining).toBe(-1n);
        // The oracle stops at the same budget too.
        expect(call(oracle, x, need - 1n).remaining).toBe(-1n);
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
