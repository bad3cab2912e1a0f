// Worker thread entry: runs guest instances, one at a time. Loaded by Node from dist/ (JavaScript).
// The loop blocks in Atomics.wait between commands (no message events), so a command costs one wake-up.
// Every guest-provided pointer and length is checked here before any memory is touched.
import { type MessagePort, receiveMessageOnPort, workerData } from "node:worker_threads";
import {
  type Command,
  DATA_OFFSET,
  KIND_CALL,
  KIND_REPLY,
  MAX_EVENTS_IN_FLIGHT,
  type PlanEntry,
  PROTOCOL_VERSION,
  type Reply,
  W_ANSWER_LEN,
  W_ANSWER_SEQ,
  W_CALL_ID,
  W_CALL_LEN,
  W_EVENTS_DELIVERED,
  W_KIND,
  W_TO_HOST,
  W_TO_WORKER,
  type WorkerBootData,
  type WorkerErrorCode,
  type WorkerStats,
} from "./protocol.js";

const boot = workerData as WorkerBootData;
if (boot.protocol !== PROTOCOL_VERSION) {
  throw new Error(
    `worker protocol ${PROTOCOL_VERSION} does not match the host's ${String(boot.protocol)}: rebuild @platform-wasm/runtime`,
  );
}
const header = new Int32Array(boot.sab, 0, DATA_OFFSET / 4);
const data = new Uint8Array(boot.sab, DATA_OFFSET);
const control: MessagePort = boot.control;
const events: MessagePort = boot.events;
let seen = 0;
/** Worker-side import messages posted over this worker's life (wraps like the host's Int32 count). */
let eventsPosted = 0;
let answersSeen = 0;
/** Polling iterations before sleeping for an answer (~10 ns each): see {@link spinForAnswer}. */
const ANSWER_SPIN_ITERATIONS = 4096;
/** Answers waited for without polling after a poll missed. */
const ANSWER_SPIN_SKIP = 8;
let answerSpinSkip = 0;

/** Largest name/version string a guest may return. */
const MAX_STRING_BYTES = 4096;
const PAGE = 65536;

class WorkerFailure extends Error {
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Per-instance state inside the worker. */
interface Live {
  readonly token: number;
  readonly exports: WebAssembly.Exports;
  readonly memory: WebAssembly.Memory | undefined;
  readonly initialBytes: number;
  readonly capBytes: number;
  readonly calls: number[];
  readonly fuel: WebAssembly.Global | undefined;
  /** The grow guard's flag: 1 once a `memory.grow` was refused (reset before each command). */
  readonly growRefused: WebAssembly.Global | undefined;
  readonly dropped: { count: number };
}

let live: Live | undefined;
/** Failure of a lazy instantiation, answered to every later command of that instance. */
let deferredFailure: Reply | undefined;
const modules = new Map<number, WebAssembly.Module>();
const factories = new Map<string, Promise<Record<string, unknown>>>();

// ---- signalling -------------------------------------------------------------------------------------

function signalHost(kind: number): void {
  header[W_KIND] = kind;
  Atomics.add(header, W_TO_HOST, 1);
  Atomics.notify(header, W_TO_HOST);
}

/** Sleeps until the host rings the command doorbell (spurious wake-ups are harmless: the port is drained). */
function waitCommand(): void {
  Atomics.wait(header, W_TO_WORKER, seen);
  seen = Atomics.load(header, W_TO_WORKER);
}

/**
 * Sleeps until the host's answer to the current call is ready (exactly one increment per answer). Loops
 * until the word moves: the host increments and notifies in two steps, so the late notify of the previous
 * answer can wake this wait before the current answer exists (it would hand the guest stale bytes).
 */
function waitAnswer(): void {
  if (!spinForAnswer()) {
    while (Atomics.load(header, W_ANSWER_SEQ) === answersSeen)
      Atomics.wait(header, W_ANSWER_SEQ, answersSeen);
  }
  answersSeen = Atomics.load(header, W_ANSWER_SEQ);
}

/**
 * Polls for the answer for a bounded time (~40 µs) before the futex sleep. A sleep plus wake-up costs tens of
 * µs on an idle machine (35 µs round trips measured without polling, 2–3 µs with it), far more than a quick
 * host answer. When a poll misses (slow operation, or a loaded machine where polling would steal the CPU
 * that produces the answer) the next few calls skip it, so polling costs little where it cannot help.
 * @returns true when the answer arrived while polling.
 */
function spinForAnswer(): boolean {
  if (answerSpinSkip > 0) {
    answerSpinSkip--;
    return false;
  }
  for (let i = 0; i < ANSWER_SPIN_ITERATIONS; i++) {
    if (Atomics.load(header, W_ANSWER_SEQ) !== answersSeen) return true;
  }
  answerSpinSkip = ANSWER_SPIN_SKIP;
  return false;
}

function reply(r: Reply): void {
  control.postMessage(r);
  signalHost(KIND_REPLY);
}

// ---- memory helpers ---------------------------------------------------------------------------------

/** True when [ptr, ptr+len) lies inside `size` bytes; i32 arguments are taken as signed (negative = bad). */
function inRange(ptr: number, len: number, size: number): boolean {
  return Number.isInteger(ptr) && Number.isInteger(len) && ptr >= 0 && len >= 0 && ptr + len <= size;
}

// ---- imports ----------------------------------------------------------------------------------------

interface Pending {
  /** Kept envelopes per namespace index (`take_result`). */
  readonly kept: (Uint8Array | undefined)[];
  memory: WebAssembly.Memory | undefined;
}

/** Sends a request to the host and blocks until the answer; returns the envelope (a view or a copy). */
function bridgeCall(id: number, request: Uint8Array): Uint8Array {
  if (request.length <= data.length) {
    data.set(request);
    header[W_CALL_LEN] = request.length;
  } else {
    control.postMessage(request.slice());
    header[W_CALL_LEN] = -1;
  }
  header[W_CALL_ID] = id;
  signalHost(KIND_CALL);
  waitAnswer();
  const len = header[W_ANSWER_LEN]!;
  if (len >= 0) return data.subarray(0, len);
  const posted = receiveMessageOnPort(control);
  return posted === undefined ? new Uint8Array(0) : (posted.message as Uint8Array);
}

/** Writes `envelope` at resp_ptr when it fits (returns its length), else keeps a copy and returns -(len). */
function deliver(
  p: Pending,
  ns: number,
  envelope: Uint8Array,
  memory: WebAssembly.Memory,
  respPtr: number,
  respLen: number,
): number {
  if (envelope.length <= respLen) {
    new Uint8Array(memory.buffer, respPtr, envelope.length).set(envelope);
    p.kept[ns] = undefined;
    return envelope.length;
  }
  // The data area is reused by the next call: keep a private copy.
  p.kept[ns] = envelope.buffer === boot.sab ? envelope.slice() : envelope;
  return -envelope.length;
}

function requestImport(p: Pending, id: number, ns: number, counter: number, calls: number[]) {
  return (reqPtr: number, reqLen: number, respPtr: number, respLen: number): number => {
    calls[counter]!++;
    const memory = p.memory;
    if (memory === undefined) return -1;
    const size = memory.buffer.byteLength;
    if (!inRange(reqPtr, reqLen, size) || !inRange(respPtr, respLen, size)) return -1;
    const envelope = bridgeCall(id, new Uint8Array(memory.buffer, reqPtr, reqLen));
    return deliver(p, ns, envelope, memory, respPtr, respLen);
  };
}

function takeResult(p: Pending, ns: number, counter: number, calls: number[]) {
  return (respPtr: number, respLen: number): number => {
    calls[counter]!++;
    const memory = p.memory;
    if (memory === undefined || !inRange(respPtr, respLen, memory.buffer.byteLength)) return -1;
    const kept = p.kept[ns];
    // No kept envelope: 0 bytes written (documented).
    if (kept === undefined) return 0;
    return deliver(p, ns, kept, memory, respPtr, respLen);
  };
}

/** Wraps a worker-side import so its calls are counted, keeping a fixed arity (no rest-args allocation). */
function counted(
  fn: (...args: unknown[]) => unknown,
  arity: number,
  counter: number,
  calls: number[],
): unknown {
  switch (arity) {
    case 0:
      return () => {
        calls[counter]!++;
        return fn();
      };
    case 1:
      return (a: unknown) => {
        calls[counter]!++;
        return fn(a);
      };
    case 2:
      return (a: unknown, b: unknown) => {
        calls[counter]!++;
        return fn(a, b);
      };
    case 3:
      return (a: unknown, b: unknown, c: unknown) => {
        calls[counter]!++;
        return fn(a, b, c);
      };
    default:
      return (...args: unknown[]) => {
        calls[counter]!++;
        return fn(...args);
      };
  }
}

function loadFactory(url: string): Promise<Record<string, unknown>> {
  let f = factories.get(url);
  if (f === undefined) {
    f = import(url) as Promise<Record<string, unknown>>;
    factories.set(url, f);
    f.catch(() => factories.delete(url));
  }
  return f;
}

// ---- commands ---------------------------------------------------------------------------------------

async function instantiate(cmd: Extract<Command, { op: "instantiate" }>): Promise<Reply> {
  live = undefined;
  if (cmd.evict !== undefined) modules.delete(cmd.evict);
  if (cmd.module !== undefined) modules.set(cmd.moduleId, cmd.module);
  const module = modules.get(cmd.moduleId);
  if (module === undefined) return failure("RUNTIME_FAILURE", "module not known to this worker", undefined);
  const loaded = new Map<string, Record<string, unknown>>();
  for (const e of cmd.plan) {
    if (e.kind === "worker" && !loaded.has(e.moduleUrl)) {
      try {
        loaded.set(e.moduleUrl, await loadFactory(e.moduleUrl));
      } catch (error) {
        return failure(
          "LINK_FAILED",
          `cannot load worker import module ${e.moduleUrl}: ${messageOf(error)}`,
          undefined,
        );
      }
    }
  }
  const calls: number[] = new Array<number>(cmd.plan.length).fill(0);
  const dropped = { count: 0 };
  const pending: Pending = { kept: [], memory: undefined };
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  const token = cmd.token;
  const context = {
    readMemory(ptr: number, len: number): Uint8Array | undefined {
      const memory = pending.memory;
      if (memory === undefined || !inRange(ptr, len, memory.buffer.byteLength)) return undefined;
      return new Uint8Array(memory.buffer, ptr, len).slice();
    },
  };
  try {
    cmd.plan.forEach((e: PlanEntry, index) => {
      let ns = imports[e.module];
      if (ns === undefined) {
        ns = {};
        imports[e.module] = ns;
      }
      switch (e.kind) {
        case "request":
          ns[e.name] = requestImport(pending, e.id, e.ns, index, calls);
          break;
        case "take":
          ns[e.name] = takeResult(pending, e.ns, index, calls);
          break;
        case "memory": {
          const memory = new WebAssembly.Memory({ initial: e.initial, maximum: e.maximum });
          pending.memory = memory;
          ns[e.name] = memory;
          break;
        }
        case "worker": {
          const factory = loaded.get(e.moduleUrl)?.[e.exportName];
          if (typeof factory !== "function") {
            throw new WorkerFailure("LINK_FAILED", `${e.moduleUrl} has no function export ${e.exportName}`);
          }
          const id = e.id;
          const fn = (factory as (config: unknown, ctx: unknown) => unknown)(e.config, {
            readMemory: context.readMemory,
            post(message: unknown): void {
              if (((eventsPosted - Atomics.load(header, W_EVENTS_DELIVERED)) | 0) >= MAX_EVENTS_IN_FLIGHT) {
                dropped.count++;
                return;
              }
              eventsPosted = (eventsPosted + 1) | 0;
              events.postMessage({ token, id, message });
            },
          });
          if (typeof fn !== "function") {
            throw new WorkerFailure(
              "LINK_FAILED",
              `${e.moduleUrl}#${e.exportName} did not return a function`,
            );
          }
          ns[e.name] = counted(
            fn as (...args: unknown[]) => unknown,
            e.arity,
            index,
            calls,
          ) as WebAssembly.ImportValue;
          break;
        }
      }
    });
  } catch (error) {
    return errorReply(error, undefined);
  }
  let instance: WebAssembly.Instance;
  const initialBytes = pending.memory?.buffer.byteLength ?? 0;
  try {
    instance = new WebAssembly.Instance(module, imports);
  } catch (error) {
    if (error instanceof WebAssembly.LinkError) return failure("LINK_FAILED", error.message, undefined);
    const memory = pending.memory;
    const atCap =
      memory !== undefined &&
      memory.buffer.byteLength > initialBytes &&
      memory.buffer.byteLength + PAGE > cmd.capBytes;
    return failure(atCap ? "MEMORY_LIMIT" : "GUEST_TRAP", messageOf(error), messageOf(error));
  }
  const exported = instance.exports[cmd.memoryExport];
  if (exported instanceof WebAssembly.Memory) pending.memory = exported;
  const fuelValue = cmd.fuelGlobal === undefined ? undefined : instance.exports[cmd.fuelGlobal];
  const fuel = fuelValue instanceof WebAssembly.Global ? fuelValue : undefined;
  const flagValue = cmd.growFlag === undefined ? undefined : instance.exports[cmd.growFlag];
  const current: Live = {
    token,
    exports: instance.exports,
    // Request imports read the memory through `pending`; one source of truth.
    get memory() {
      return pending.memory;
    },
    initialBytes: pending.memory?.buffer.byteLength ?? 0,
    capBytes: cmd.capBytes,
    calls,
    fuel,
    growRefused: flagValue instanceof WebAssembly.Global ? flagValue : undefined,
    dropped,
  };
  if (fuel !== undefined) fuel.value = cmd.fuelBudget ?? 0x7fff_ffff_ffff_ffffn;
  live = current;
  if (cmd.startExport !== undefined) {
    const start = instance.exports[cmd.startExport];
    if (typeof start === "function") {
      try {
        (start as () => void)();
      } catch (error) {
        const r = errorReply(error, current);
        live = undefined;
        return r;
      }
    }
  }
  return ok(undefined, current);
}

function stats(l: Live): WorkerStats {
  return {
    memoryBytes: l.memory?.buffer.byteLength ?? 0,
    calls: l.calls.slice(),
    fuel: l.fuel === undefined ? undefined : (l.fuel.value as bigint),
    droppedMessages: l.dropped.count,
  };
}

function ok(value: unknown, l: Live | undefined): Reply {
  return { ok: true, value, stats: l === undefined ? undefined : stats(l) };
}

function failure(code: WorkerErrorCode, message: string, trap: string | undefined, l?: Live): Reply {
  return { ok: false, code, message, trap, stats: l === undefined ? undefined : stats(l) };
}

/** Classifies an exception thrown while guest code ran. */
function errorReply(error: unknown, l: Live | undefined): Reply {
  if (error instanceof WorkerFailure) return failure(error.code, error.message, undefined, l);
  const message = messageOf(error);
  if (l?.fuel !== undefined && (l.fuel.value as bigint) < 0n) {
    return failure("FUEL_EXHAUSTED", `fuel exhausted (${message})`, message, l);
  }
  if (l?.growRefused !== undefined && l.growRefused.value === 1) {
    return failure(
      "MEMORY_LIMIT",
      `guest trapped after a memory.grow was refused at the memory cap of ${l.capBytes} bytes (${message})`,
      message,
      l,
    );
  }
  // Modules without the grow guard (see growGuard.ts): judge by how close memory is to the cap.
  const memory = l?.memory;
  if (l !== undefined && memory !== undefined) {
    const size = memory.buffer.byteLength;
    // Grew during this instance and cannot grow one more page: the trap is the memory cap's doing.
    if (size > l.initialBytes && size + PAGE > l.capBytes) {
      return failure(
        "MEMORY_LIMIT",
        `guest trapped at the memory cap of ${l.capBytes} bytes (${message})`,
        message,
        l,
      );
    }
  }
  return failure("GUEST_TRAP", message, message, l);
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function requireLive(): Live {
  if (live === undefined) throw new WorkerFailure("INSTANCE_DISPOSED", "no live instance in this worker");
  return live;
}

function fn(l: Live, name: string): ((...args: unknown[]) => unknown) | undefined {
  const f = l.exports[name];
  return typeof f === "function" ? (f as (...args: unknown[]) => unknown) : undefined;
}

function requireMemory(l: Live): WebAssembly.Memory {
  if (l.memory === undefined) throw new WorkerFailure("MISSING_EXPORT", "guest has no memory export");
  return l.memory;
}

/** Places `input` in guest memory through `alloc(size)` or `allocate(size, align)`. */
function placeInput(l: Live, input: Uint8Array): number {
  const alloc = fn(l, "alloc");
  const allocate = fn(l, "allocate");
  let ptr: number;
  if (alloc !== undefined) ptr = Number(alloc(input.length));
  else if (allocate !== undefined) ptr = Number(allocate(input.length, 8));
  else
    throw new WorkerFailure("MISSING_EXPORT", "guest exports neither alloc(size) nor allocate(size, align)");
  ptr >>>= 0;
  const memory = requireMemory(l);
  if (!inRange(ptr, input.length, memory.buffer.byteLength)) {
    throw new WorkerFailure(
      "INVALID_GUEST_OUTPUT",
      `allocator returned ${ptr} for ${input.length} bytes, outside guest memory of ${memory.buffer.byteLength} bytes`,
    );
  }
  new Uint8Array(memory.buffer, ptr, input.length).set(input);
  return ptr;
}

function evaluate(l: Live, input: Uint8Array): Uint8Array | undefined {
  const evaluateFn = fn(l, "evaluate");
  if (evaluateFn === undefined)
    throw new WorkerFailure("MISSING_EXPORT", "guest does not export evaluate(ptr, len)");
  const ptr = placeInput(l, input);
  const packed = evaluateFn(ptr, input.length);
  if (typeof packed !== "bigint")
    throw new WorkerFailure("INVALID_GUEST_OUTPUT", "evaluate must return an i64");
  if (packed === 0n) return undefined;
  const v = BigInt.asUintN(64, packed);
  const outPtr = Number(v & 0xffff_ffffn);
  const outLen = Number(v >> 32n);
  const memory = requireMemory(l);
  if (!inRange(outPtr, outLen, memory.buffer.byteLength)) {
    throw new WorkerFailure(
      "INVALID_GUEST_OUTPUT",
      `evaluate returned range [${outPtr}, ${outPtr + outLen}) outside guest memory of ${memory.buffer.byteLength} bytes`,
    );
  }
  return new Uint8Array(memory.buffer, outPtr, outLen).slice();
}

function validate(l: Live, input: Uint8Array): boolean {
  const validateFn = fn(l, "validate");
  if (validateFn === undefined)
    throw new WorkerFailure("MISSING_EXPORT", "guest does not export validate(ptr, len)");
  const ptr = placeInput(l, input);
  return Number(validateFn(ptr, input.length)) !== 0;
}

function readString(l: Live, name: string): string | undefined {
  const f = fn(l, name);
  if (f === undefined) return undefined;
  const ptr = Number(f()) >>> 0;
  const memory = requireMemory(l);
  const size = memory.buffer.byteLength;
  if (!inRange(ptr, 4, size)) {
    throw new WorkerFailure(
      "INVALID_GUEST_OUTPUT",
      `${name} returned pointer ${ptr} outside guest memory of ${size} bytes`,
    );
  }
  const len = new DataView(memory.buffer).getUint32(ptr, true);
  if (len > MAX_STRING_BYTES) {
    throw new WorkerFailure(
      "INVALID_GUEST_OUTPUT",
      `${name} returned a ${len}-byte string; the limit is ${MAX_STRING_BYTES}`,
    );
  }
  if (!inRange(ptr + 4, len, size)) {
    throw new WorkerFailure(
      "INVALID_GUEST_OUTPUT",
      `${name} string of ${len} bytes at ${ptr + 4} runs past guest memory`,
    );
  }
  return new TextDecoder().decode(new Uint8Array(memory.buffer, ptr + 4, len));
}

function callExport(l: Live, name: string, args: readonly (number | bigint)[]): unknown {
  const f = fn(l, name);
  if (f === undefined) throw new WorkerFailure("MISSING_EXPORT", `guest does not export a function ${name}`);
  return f(...args);
}

function readMemory(l: Live, ptr: number, len: number): Uint8Array {
  const memory = requireMemory(l);
  if (!inRange(ptr, len, memory.buffer.byteLength)) {
    throw new WorkerFailure(
      "INVALID_GUEST_OUTPUT",
      `range [${ptr}, ${ptr + len}) is outside guest memory of ${memory.buffer.byteLength} bytes`,
    );
  }
  return new Uint8Array(memory.buffer, ptr, len).slice();
}

function writeMemory(l: Live, ptr: number, bytes: Uint8Array): undefined {
  const memory = requireMemory(l);
  if (!inRange(ptr, bytes.length, memory.buffer.byteLength)) {
    throw new WorkerFailure(
      "INVALID_GUEST_OUTPUT",
      `range [${ptr}, ${ptr + bytes.length}) is outside guest memory of ${memory.buffer.byteLength} bytes`,
    );
  }
  new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
  return undefined;
}

function run(cmd: Exclude<Command, { op: "instantiate" } | { op: "dispose" }>): Reply {
  let l: Live | undefined;
  try {
    l = requireLive();
    // Only a grow refused during this command explains a trap in it.
    if (l.growRefused !== undefined) l.growRefused.value = 0;
    switch (cmd.op) {
      case "evaluate":
        return ok(evaluate(l, cmd.input), l);
      case "validate":
        return ok(validate(l, cmd.input), l);
      case "string":
        return ok(readString(l, cmd.name), l);
      case "call":
        return ok(callExport(l, cmd.name, cmd.args), l);
      case "read":
        return ok(readMemory(l, cmd.ptr, cmd.len), l);
      case "write":
        return ok(writeMemory(l, cmd.ptr, cmd.bytes), l);
    }
  } catch (error) {
    return errorReply(error, l);
  }
}

async function main(): Promise<void> {
  for (;;) {
    waitCommand();
    for (let m = receiveMessageOnPort(control); m !== undefined; m = receiveMessageOnPort(control)) {
      const cmd = m.message as Command;
      if (cmd.op === "dispose") {
        live = undefined;
        deferredFailure = undefined;
      } else if (cmd.op === "instantiate") {
        deferredFailure = undefined;
        const r = await instantiate(cmd);
        if (!cmd.lazy) reply(r);
        else if (!r.ok) deferredFailure = r;
      } else reply(deferredFailure ?? run(cmd));
    }
  }
}

void main();
