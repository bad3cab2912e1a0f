// Loads build/codecHarness.wasm (the SDK codec compiled by `pnpm build`) and drives it from the host.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Message kinds understood by the harness's `roundtrip` export (same order as assembly/test/codecHarness.ts). */
export const Kind = {
  SandboxExecRequest: 0,
  SandboxExecResponse: 1,
  SandboxError: 2,
  HttpRequest: 3,
  HttpGetRequest: 4,
  HttpPostRequest: 5,
  HttpResponse: 6,
  DnsRequest: 7,
  DnsResponse: 8,
  NetworkError: 9,
  EvaluationInput: 10,
  EvaluationOutput: 11,
  SandboxEnvelope: 12,
  HttpEnvelope: 13,
  DnsEnvelope: 14,
} as const;

/** A message kind. */
export type KindName = keyof typeof Kind;

/** What the SDK made of some bytes: its re-encoding, or its decode error. */
export type Roundtrip = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

interface HarnessExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  roundtrip(kind: number, ptr: number, len: number): bigint;
  json_string(jsonPtr: number, jsonLen: number, keyPtr: number, keyLen: number): bigint;
  json_number(jsonPtr: number, jsonLen: number, keyPtr: number, keyLen: number): number;
}

/** Path of a compiled SDK test guest. */
export function guestPath(name: string): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "build", `${name}.wasm`);
}

/** The codec harness, instantiated once (the stub runtime never frees, so each test run gets a fresh one). */
export class CodecHarness {
  private constructor(
    private readonly exports: HarnessExports,
    readonly logs: string[],
  ) {}

  static async load(): Promise<CodecHarness> {
    const logs: string[] = [];
    let memory: WebAssembly.Memory | undefined;
    const imports = {
      platform_sandbox: {
        log_message(_level: number, ptr: number, len: number): void {
          if (memory) logs.push(new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, len)));
        },
      },
    };
    const module = new WebAssembly.Module(readFileSync(guestPath("codecHarness")));
    const instance = await WebAssembly.instantiate(module, imports);
    const exports = instance.exports as unknown as HarnessExports;
    memory = exports.memory;
    return new CodecHarness(exports, logs);
  }

  private put(bytes: Uint8Array): number {
    const ptr = this.exports.alloc(bytes.length);
    new Uint8Array(this.exports.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  private take(packed: bigint): { status: number; body: Uint8Array } {
    const ptr = Number(packed & 0xffff_ffffn);
    const len = Number(packed >> 32n);
    const view = new Uint8Array(this.exports.memory.buffer, ptr, len).slice();
    return { status: view[0] ?? 255, body: view.subarray(1) };
  }

  /** Decodes `bytes` as `kind` inside the guest and re-encodes it. */
  roundtrip(kind: KindName, bytes: Uint8Array): Roundtrip {
    const ptr = this.put(bytes);
    const { status, body } = this.take(this.exports.roundtrip(Kind[kind], ptr, bytes.length));
    if (status === 0) return { ok: true, bytes: body };
    return { ok: false, error: new TextDecoder().decode(body) };
  }

  /** The SDK's `parseJsonString(json, key)`; `null` when it answered null. */
  jsonString(json: string, key: string): string | null {
    const j = new TextEncoder().encode(json);
    const k = new TextEncoder().encode(key);
    const jp = this.put(j);
    const kp = this.put(k);
    const { status, body } = this.take(this.exports.json_string(jp, j.length, kp, k.length));
    return status === 0 ? new TextDecoder().decode(body) : null;
  }

  /** The SDK's `parseJsonNumber(json, key)`. */
  jsonNumber(json: string, key: string): number {
    const j = new TextEncoder().encode(json);
    const k = new TextEncoder().encode(key);
    return this.exports.json_number(this.put(j), j.length, this.put(k), k.length);
  }
}
