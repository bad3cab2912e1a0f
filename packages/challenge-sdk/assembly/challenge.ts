// The author API: a challenge is a name, a version and a scoring function. `register` hands it to the
// exports in `exports.ts`, which the entry file re-exports in one line.
import { EvaluationInput, EvaluationOutput } from "./evaluation";

/** A challenge: subclass it, implement `evaluate`, and `register` an instance from the entry file. */
export abstract class Challenge {
  constructor(
    /** Returned by the `get_name` export. */
    public readonly name: string,
    /** Returned by the `get_version` export. */
    public readonly version: string,
  ) {}

  /** Scores one submission. */
  abstract evaluate(input: EvaluationInput): EvaluationOutput;

  /** Cheap admission check for the `validate` export; accepts everything unless overridden. */
  validate(input: EvaluationInput): bool {
    return true;
  }
}

/** A scoring function. */
export type ScoreFunction = (input: EvaluationInput) => EvaluationOutput;
/** An admission check. */
export type ValidateFunction = (input: EvaluationInput) => bool;

class FunctionChallenge extends Challenge {
  constructor(
    name: string,
    version: string,
    private readonly scoreFn: ScoreFunction,
    private readonly validateFn: ValidateFunction | null,
  ) {
    super(name, version);
  }

  evaluate(input: EvaluationInput): EvaluationOutput {
    const score = this.scoreFn;
    return score(input);
  }

  validate(input: EvaluationInput): bool {
    const check = this.validateFn;
    if (check === null) return true;
    return check(input);
  }
}

let current: Challenge | null = null;

/** Makes `challenge` the module's challenge (call once, at the top level of the entry file). */
export function register(challenge: Challenge): void {
  current = challenge;
}

/** Registers a challenge made of plain functions: `challenge("name", "1.0.0", score)`. */
export function challenge(
  name: string,
  version: string,
  score: ScoreFunction,
  validate: ValidateFunction | null = null,
): void {
  register(new FunctionChallenge(name, version, score, validate));
}

/** @internal The registered challenge, or `null`. */
export function registeredChallenge(): Challenge | null {
  return current;
}
