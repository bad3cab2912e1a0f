// The evaluation contract's exports as an SDK-built module provides them (class API), driven directly
// with WebAssembly and checked with @platform-wasm/wire's codec.
import { readFileSync } from "node:fs";
import { decodeEvaluationOutput, type EvaluationInput, encodeEvaluationInput } from "@platform-wasm/wire";
import { beforeAll, describe, expect, it } from "vitest";
import { guestPath } from "./support/codecHarness.js";

interface GuestExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  evaluate(ptr: number, len: number): bigint;
  validate(ptr: number, len: number): number;
  get_name(): number;
  get_version(): number;
}

let guest: GuestExports;
let imports: string[];
beforeAll(async () => {
  const bytes = readFileSync(guestPath("classGuest"));
  const module = new WebAssembly.Module(bytes);
  imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
  const instance = await WebAssembly.instantiate(module, { platform_sandbox: { log_message() {} } });
  guest = instance.exports as unknown as GuestExports;
});

function put(bytes: Uint8Array): [number, number] {
  const ptr = guest.alloc(bytes.length);
  new Uint8Array(guest.memory.buffer, ptr, bytes.length).set(bytes);
  return [ptr, bytes.length];
}

function lengthPrefixed(ptr: number): string {
  const len = new DataView(guest.memory.buffer).getUint32(ptr, true);
  return new TextDecoder().decode(new Uint8Array(guest.memory.buffer, ptr + 4, len));
}

function evaluate(bytes: Uint8Array) {
  const packed = guest.evaluate(...put(bytes));
  const ptr = Number(packed & 0xffff_ffffn);
  const len = Number(packed >> 32n);
  return decodeEvaluationOutput(new Uint8Array(guest.memory.buffer, ptr, len).slice());
}

const input = (agent: string, extra: Partial<EvaluationInput> = {}): Uint8Array =>
  encodeEvaluationInput({
    agent_data: new TextEncoder().encode(agent),
    challenge_id: "chal-1",
    params: new Uint8Array(0),
    task_definition: undefined,
    environment_config: undefined,
    ...extra,
  });

describe("SDK exports (class API)", () => {
  it("exports exactly the contract and imports nothing but log_message", () => {
    expect(imports).toEqual(["platform_sandbox.log_message"]);
  });

  it("answers get_name / get_version as u32-LE length + UTF-8", () => {
    expect(lengthPrefixed(guest.get_name())).toBe("length-challenge ✓");
    expect(lengthPrefixed(guest.get_version())).toBe("2.3.4");
    expect(guest.get_name()).toBe(guest.get_name());
  });

  it("evaluates with (len << 32) | ptr of an EvaluationOutput, i64 scores included", () => {
    const out = evaluate(input("abc", { task_definition: new Uint8Array(7) }));
    expect(out).toEqual({
      score: 3 - 1_000_000_000_000,
      valid: true,
      message: "chal-1 task=7",
      metrics: new TextEncoder().encode('{"n":3}'),
    });
  });

  it("calls the validate override", () => {
    expect(guest.validate(...put(input("abc")))).toBe(1);
    expect(guest.validate(...put(input("")))).toBe(0);
    expect(guest.validate(...put(input("0123456789")))).toBe(0);
  });

  it("answers invalid input with valid=false and the decode error, never a trap", () => {
    const out = evaluate(Uint8Array.of(0x81, 0xa1, 0x78, 0xc1));
    expect(out.valid).toBe(false);
    expect(out.message).toMatch(/^invalid EvaluationInput: /);
    const missing = evaluate(new Uint8Array([0x80]));
    expect(missing.message).toBe("invalid EvaluationInput: missing field `agent_data`");
    expect(guest.validate(...put(Uint8Array.of(0x80)))).toBe(0);
    // An input range outside linear memory.
    const packed = guest.evaluate(guest.memory.buffer.byteLength - 2, 100);
    const ptr = Number(packed & 0xffff_ffffn);
    const len = Number(packed >> 32n);
    const outside = decodeEvaluationOutput(new Uint8Array(guest.memory.buffer, ptr, len).slice());
    expect(outside).toMatchObject({
      valid: false,
      message: "invalid EvaluationInput: input range is outside linear memory",
    });
  });

  it("refuses a negative allocation", () => {
    expect(guest.alloc(-1)).toBe(0);
  });
});
