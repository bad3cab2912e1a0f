import { PolicyError } from "../errors.js";

/** Largest timer delay Node accepts (`setTimeout` clamps above this). */
export const MAX_TIMER_MS = 2_147_483_647;

/** Throws unless `value` is a boolean. */
export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new PolicyError(field, "must be true or false");
  return value;
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger(
  field: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new PolicyError(field, `must be an integer between ${min} and ${max}, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is an array; returns a copy. */
export function checkArray(field: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new PolicyError(field, "must be a list");
  return [...value];
}

/** Throws unless `value` is an array of strings; returns a copy. */
export function checkStringArray(field: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw new PolicyError(field, "must be a list of strings");
  return value.map((item, index) => {
    if (typeof item !== "string") throw new PolicyError(`${field}[${index}]`, "must be a string");
    return item;
  });
}

/** Throws unless `value` is a plain object; returns it typed as a record. */
export function checkObject(field: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new PolicyError(field, "must be an object");
  }
  return value as Record<string, unknown>;
}

/** Short, safe rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value);
  }
  return Array.isArray(value) ? "a list" : typeof value;
}
