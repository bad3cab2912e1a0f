// The evaluation contract's messages: what `evaluate`/`validate` receive and what `evaluate` returns.
import { FieldSet, readKey } from "./fields";
import { Reader } from "./msgpack/reader";
import { Writer } from "./msgpack/writer";

function utf8Text(bytes: Uint8Array): string {
  return String.UTF8.decodeUnsafe(bytes.dataStart, <usize>bytes.byteLength);
}

/** What the validator hands a challenge (`EvaluationInput`). */
export class EvaluationInput {
  /** The participant's submission, as bytes (the CLI's `--input` file). */
  agentData: Uint8Array = new Uint8Array(0);
  /** Id of the challenge being evaluated. */
  challengeId: string = "";
  /** Challenge parameters chosen by the validator (opaque bytes, often JSON). */
  params: Uint8Array = new Uint8Array(0);
  /** Task definition, or `null`. */
  taskDefinition: Uint8Array | null = null;
  /** Environment configuration, or `null`. */
  environmentConfig: Uint8Array | null = null;

  /** `agentData` decoded as UTF-8 (invalid sequences replaced). */
  agentDataText(): string {
    return utf8Text(this.agentData);
  }

  /** `params` decoded as UTF-8 (invalid sequences replaced). */
  paramsText(): string {
    return utf8Text(this.params);
  }

  /** @internal */
  encode(w: Writer): void {
    w.writeMapHeader(5);
    w.writeString("agent_data");
    w.writeBin(this.agentData);
    w.writeString("challenge_id");
    w.writeString(this.challengeId);
    w.writeString("params");
    w.writeBin(this.params);
    w.writeString("task_definition");
    w.writeOptionalBin(this.taskDefinition);
    w.writeString("environment_config");
    w.writeOptionalBin(this.environmentConfig);
  }

  /** @internal */
  static decode(r: Reader): EvaluationInput | null {
    const out = new EvaluationInput();
    const fields = new FieldSet();
    const count = r.readMapHeader();
    for (let i = 0; i < count && r.ok; i++) {
      const key = readKey(r);
      if (!r.ok) return null;
      if (key == "agent_data") {
        if (fields.mark(r, 0, key)) out.agentData = r.readBin();
      } else if (key == "challenge_id") {
        if (fields.mark(r, 1, key)) out.challengeId = r.readString();
      } else if (key == "params") {
        if (fields.mark(r, 2, key)) out.params = r.readBin();
      } else if (key == "task_definition") {
        if (fields.mark(r, 3, key)) out.taskDefinition = r.readOptionalBin();
      } else if (key == "environment_config") {
        if (fields.mark(r, 4, key)) out.environmentConfig = r.readOptionalBin();
      } else r.skip();
      if (!r.ok) r.within(key);
    }
    fields.require(r, 0, "agent_data");
    fields.require(r, 1, "challenge_id");
    fields.require(r, 2, "params");
    return r.ok ? out : null;
  }
}

/** A challenge's verdict (`EvaluationOutput`). */
export class EvaluationOutput {
  constructor(
    /** The score (the challenge defines its scale). */
    public score: i64,
    /** Whether the submission was valid/accepted. */
    public valid: bool,
    /** Human-readable explanation. */
    public message: string,
    /** Optional opaque metrics bytes (e.g. JSON), or `null`. */
    public metrics: Uint8Array | null = null,
  ) {}

  /** A valid submission with `score`. */
  static success(score: i64, message: string = ""): EvaluationOutput {
    return new EvaluationOutput(score, true, message);
  }

  /** An invalid submission: score 0. */
  static failure(message: string): EvaluationOutput {
    return new EvaluationOutput(0, false, message);
  }

  /** Attaches metrics given as text (UTF-8, e.g. JSON); returns the output for chaining. */
  withMetricsText(text: string): EvaluationOutput {
    this.metrics = Uint8Array.wrap(String.UTF8.encode(text));
    return this;
  }

  /** @internal */
  encode(w: Writer): void {
    w.writeMapHeader(4);
    w.writeString("score");
    w.writeI64(this.score);
    w.writeString("valid");
    w.writeBool(this.valid);
    w.writeString("message");
    w.writeString(this.message);
    w.writeString("metrics");
    w.writeOptionalBin(this.metrics);
  }

  /** @internal */
  static decode(r: Reader): EvaluationOutput | null {
    const out = EvaluationOutput.failure("");
    const fields = new FieldSet();
    const count = r.readMapHeader();
    for (let i = 0; i < count && r.ok; i++) {
      const key = readKey(r);
      if (!r.ok) return null;
      if (key == "score") {
        if (fields.mark(r, 0, key)) out.score = r.readI64();
      } else if (key == "valid") {
        if (fields.mark(r, 1, key)) out.valid = r.readBool();
      } else if (key == "message") {
        if (fields.mark(r, 2, key)) out.message = r.readString();
      } else if (key == "metrics") {
        if (fields.mark(r, 3, key)) out.metrics = r.readOptionalBin();
      } else r.skip();
      if (!r.ok) r.within(key);
    }
    fields.require(r, 0, "score");
    fields.require(r, 1, "valid");
    fields.require(r, 2, "message");
    return r.ok ? out : null;
  }
}
