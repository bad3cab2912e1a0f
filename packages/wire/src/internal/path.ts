// Paths name the offending field in WireDecodeError / WireEncodeError messages (`args[3]`, `env.PATH`,
// `Err.Timeout`). They are only built when an error is thrown, so the hot path never concatenates strings.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Path of `key` inside the map at `parent`; odd keys are quoted so a path is never ambiguous. */
export function keyPath(parent: string, key: string): string {
  const segment = IDENTIFIER.test(key) ? key : JSON.stringify(key);
  if (parent === "") return IDENTIFIER.test(key) ? key : `[${segment}]`;
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${segment}]`;
}

/** Path of element `index` of the array at `parent`. */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** Path of `key` inside `parent`, or `parent` itself when there is no key (payloads, the root). */
export function fieldPath(parent: string, key: string | undefined): string {
  return key === undefined ? parent : keyPath(parent, key);
}
