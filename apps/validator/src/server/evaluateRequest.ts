import { ValidatorError, ValidatorErrorCode } from "../errors.js";

/** A decoded `POST /v1/evaluate` body. */
export interface EvaluateRequestBody {
  /** Module file name inside the module directory. */
  readonly module: string;
  /** Decoded input bytes (`EvaluationInput.agent_data`). */
  readonly input: Uint8Array;
  readonly challengeId?: string;
}

/** Longest accepted `challenge_id`. */
export const MAX_CHALLENGE_ID_LENGTH = 256;

// One character class and a length check, not a grouped repetition: V8 backtracks grouped repetitions
// recursively and overflows its stack on multi-megabyte inputs.
const BASE64_CHARACTERS = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * @param text - a candidate base64 string.
 * @returns whether it is canonical padded base64 (standard alphabet, length a multiple of 4).
 */
export function isPaddedBase64(text: string): boolean {
  return text.length % 4 === 0 && BASE64_CHARACTERS.test(text);
}

function bad(message: string): ValidatorError {
  return new ValidatorError(ValidatorErrorCode.BAD_REQUEST, message);
}

/**
 * Parses and checks a `POST /v1/evaluate` body:
 * `{"module": string, "input": base64 string, "challenge_id"?: string}`. Unknown keys are ignored
 * (forward compatibility); the base64 must be canonical (standard alphabet, padded).
 *
 * @param body - the raw request body.
 * @returns the decoded request.
 * @throws ValidatorError `BAD_REQUEST` naming the bad field.
 */
export function parseEvaluateRequest(body: Buffer): EvaluateRequestBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw bad(`request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw bad("request body must be a JSON object");
  }
  const record = parsed as Record<string, unknown>;
  const { module, input, challenge_id: challengeId } = record;
  if (typeof module !== "string") throw bad('"module" must be a string');
  if (typeof input !== "string") throw bad('"input" must be a base64 string');
  if (!isPaddedBase64(input)) throw bad('"input" is not valid base64 (standard alphabet, padded)');
  const result: { -readonly [K in keyof EvaluateRequestBody]: EvaluateRequestBody[K] } = {
    module,
    input: new Uint8Array(Buffer.from(input, "base64")),
  };
  if (challengeId !== undefined && challengeId !== null) {
    if (
      typeof challengeId !== "string" ||
      challengeId === "" ||
      challengeId.length > MAX_CHALLENGE_ID_LENGTH
    ) {
      throw bad(`"challenge_id" must be a non-empty string of at most ${MAX_CHALLENGE_ID_LENGTH} characters`);
    }
    result.challengeId = challengeId;
  }
  return result;
}
