/**
 * Keeps the whitelisted variables of a guest-supplied environment. Total: ignores anything that is not an
 * own string-to-string entry, names with `=` or NUL, values with NUL (execve cannot carry them), and `PATH`
 * always — the host, not the guest, decides where programs are found.
 */
export function filterEnvironmentEntries(
  env: unknown,
  whitelist: ReadonlySet<string>,
): Record<string, string> {
  if (env === null || typeof env !== "object" || whitelist.size === 0) return {};
  const kept: [string, string][] = [];
  for (const key of Object.keys(env)) {
    if (key === "PATH" || !whitelist.has(key)) continue;
    if (key.length === 0 || key.includes("=") || key.includes("\0")) continue;
    const value: unknown = (env as Record<string, unknown>)[key];
    if (typeof value !== "string" || value.includes("\0")) continue;
    kept.push([key, value]);
  }
  // fromEntries defines own properties, so a whitelisted "__proto__" stays data, never a prototype.
  return Object.fromEntries(kept);
}
