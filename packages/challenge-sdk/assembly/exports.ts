// The evaluation contract's exports. An entry file re-exports them in one line:
//   export { alloc, evaluate, validate, get_name, get_version } from "@platform-wasm/challenge-sdk/assembly/exports";
import "./abort";
import { registeredChallenge } from "./challenge";
import { EvaluationInput, EvaluationOutput } from "./evaluation";
import { Reader } from "./msgpack/reader";
import { Writer } from "./msgpack/writer";

/** Allocates `size` bytes for the host (it writes the `EvaluationInput` there); 0 for a negative size. */
export function alloc(size: i32): usize {
  if (size < 0) return 0;
  return heap.alloc(<usize>size);
}

// Copies the host-written input out of linear memory and decodes it; `problem` says why it failed.
let problem: string = "";

function readInput(ptr: usize, len: i32): EvaluationInput | null {
  const end = <u64>ptr + <u64>(<u32>len);
  if (len < 0 || end > (<u64>memory.size() << 16)) {
    problem = "input range is outside linear memory";
    return null;
  }
  const bytes = new Uint8Array(len);
  memory.copy(bytes.dataStart, ptr, <usize>len);
  const r = new Reader(bytes);
  const input = EvaluationInput.decode(r);
  r.expectEnd();
  if (input === null || !r.ok) {
    problem = r.error;
    return null;
  }
  return input;
}

function pack(output: EvaluationOutput): i64 {
  const w = new Writer();
  output.encode(w);
  const bytes = w.finish();
  return (<i64>bytes.byteLength << 32) | <i64>(<u32>bytes.dataStart);
}

/** `evaluate(ptr, len) -> (len << 32) | ptr` of a MessagePack `EvaluationOutput`. */
export function evaluate(ptr: usize, len: i32): i64 {
  const challenge = registeredChallenge();
  if (challenge === null) {
    return pack(EvaluationOutput.failure("no challenge registered: call register() or challenge() in the entry file"));
  }
  const input = readInput(ptr, len);
  if (input === null) return pack(EvaluationOutput.failure("invalid EvaluationInput: " + problem));
  return pack(challenge.evaluate(input));
}

/** `validate(ptr, len) -> i32`: non-zero when the registered challenge accepts the input. */
export function validate(ptr: usize, len: i32): i32 {
  const challenge = registeredChallenge();
  if (challenge === null) return 0;
  const input = readInput(ptr, len);
  if (input === null) return 0;
  return challenge.validate(input) ? 1 : 0;
}

// `get_name`/`get_version` answer a pointer to a u32-LE length followed by UTF-8; built once.
let nameBlock: usize = 0;
let versionBlock: usize = 0;

function lengthPrefixed(text: string): usize {
  const utf8 = String.UTF8.encode(text);
  const len = utf8.byteLength;
  const block = heap.alloc(<usize>(4 + len));
  store<u32>(block, <u32>len);
  memory.copy(block + 4, changetype<usize>(utf8), <usize>len);
  return block;
}

/** Pointer to the challenge's name (u32-LE length + UTF-8). */
export function get_name(): usize {
  if (nameBlock == 0) {
    const challenge = registeredChallenge();
    nameBlock = lengthPrefixed(challenge !== null ? challenge.name : "");
  }
  return nameBlock;
}

/** Pointer to the challenge's version (u32-LE length + UTF-8). */
export function get_version(): usize {
  if (versionBlock == 0) {
    const challenge = registeredChallenge();
    versionBlock = lengthPrefixed(challenge !== null ? challenge.version : "");
  }
  return versionBlock;
}
