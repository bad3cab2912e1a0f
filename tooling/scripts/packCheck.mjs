#!/usr/bin/env node
// Pack check: what a consumer gets from `npm install @platform-wasm/<pkg>` must work.
//
// For every publishable workspace package (packages/* without `private`) this
//   1. runs `pnpm pack` (which rewrites `workspace:` / `catalog:` ranges) into a temp dir,
//   2. inspects each tarball: every target in `exports` / `main` / `types` exists (the
//      `@platform-wasm/source` condition is ignored: it points at src/, which is not shipped),
//      no `src/`, no test files, no build caches, a README, no unrewritten ranges,
//   3. installs all tarballs together with npm in a scratch project (outside the workspace, so
//      nothing resolves through the workspace's node_modules),
//   4. in that project imports every JS export subpath, checks the names each README example
//      imports exist, checks `./package.json` is reachable and `./internal/*` is blocked with
//      ERR_PACKAGE_PATH_NOT_EXPORTED. A package without a JS entry (challenge-sdk ships
//      AssemblyScript sources) gets file checks and README-name checks against its sources.
// Prints a table; exits 1 with the list of failures. Needs a build first (`pnpm build`).

import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SOURCE_CONDITION = "@platform-wasm/source";
const INSTALL_TIMEOUT_MS = 180_000;
const STEP_TIMEOUT_MS = 60_000;
/** The one internal path the house style names explicitly; must stay blocked. */
const REQUIRED_BLOCKED = ["@platform-wasm/runtime/internal/worker.js"];

const failures = [];
const fail = (pkg, message) => failures.push(`${pkg}: ${message}`);

/** Runs a command, returning stdout; on failure throws an Error carrying stderr. */
async function sh(file, args, options) {
  try {
    const { stdout } = await run(file, args, {
      maxBuffer: 64 * 1024 * 1024,
      timeout: STEP_TIMEOUT_MS,
      ...options,
      // A parent's --conditions must not leak into the consumer's view of the packages.
      env: { ...process.env, NODE_OPTIONS: "", npm_config_loglevel: "error", ...options?.env },
    });
    return stdout;
  } catch (error) {
    const detail = [error.stderr, error.stdout].filter(Boolean).join("\n").trim();
    const reason = error.killed
      ? `timed out after ${options?.timeout ?? STEP_TIMEOUT_MS} ms`
      : `exit ${error.code}`;
    throw new Error(`${file} ${args.join(" ")} failed (${reason})${detail ? `\n${detail}` : ""}`, {
      cause: error,
    });
  }
}

async function publishablePackages() {
  const dir = path.join(repoRoot, "packages");
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  const result = [];
  for (const name of names.sort()) {
    const manifestPath = path.join(dir, name, "package.json");
    let manifest;
    try {
      manifest = JSON.parse(await readFile(manifestPath, "utf8"));
    } catch {
      continue;
    }
    if (manifest.private === true) continue;
    result.push({ dir: path.join(dir, name), manifest });
  }
  return result;
}

/**
 * Flattens an `exports` map into `{ subpath, targets, nodeTarget }`: every file target except the
 * source condition (for existence checks) and the one Node picks with the default conditions.
 */
function exportEntries(exportsField) {
  const map =
    typeof exportsField === "string" ||
    Array.isArray(exportsField) ||
    !Object.keys(exportsField ?? {})[0]?.startsWith(".")
      ? { ".": exportsField }
      : exportsField;
  const entries = [];
  for (const [subpath, value] of Object.entries(map ?? {})) {
    const targets = [];
    collectTargets(value, targets);
    entries.push({ subpath, blocked: value === null, targets, nodeTarget: nodeTarget(value) });
  }
  return entries;
}

function collectTargets(value, out, condition) {
  if (value === null || value === undefined) return;
  if (typeof value === "string") out.push({ condition: condition ?? "default", target: value });
  else if (Array.isArray(value)) for (const v of value) collectTargets(v, out, condition);
  else
    for (const [cond, v] of Object.entries(value)) {
      if (cond === SOURCE_CONDITION) continue;
      collectTargets(v, out, cond);
    }
}

/** The target Node resolves for `import` with no custom conditions (null when none). */
function nodeTarget(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(nodeTarget).find((t) => t !== null) ?? null;
  for (const [cond, v] of Object.entries(value)) {
    if (cond === "import" || cond === "node" || cond === "default" || cond === "module-sync") {
      const t = nodeTarget(v);
      if (t !== null) return t;
    }
  }
  return null;
}

const isJs = (target) => /\.[cm]?js$/.test(target);

/** Does a (possibly `*`-patterned) `./target` name a shipped file? */
function targetExists(files, target) {
  const rel = target.replace(/^\.\//, "");
  if (!rel.includes("*")) return files.has(rel);
  const [prefix, suffix] = rel.split("*");
  for (const f of files)
    if (f.startsWith(prefix) && f.endsWith(suffix) && f.length > prefix.length + suffix.length) return true;
  return false;
}

/** Static named/default imports from a README's fenced code blocks, per module specifier. */
function readmeImports(markdown) {
  const code = [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]).join("\n");
  const found = [];
  const re = /\b(import|export)\s+(type\s+)?([\w$]+\s*,?\s*)?(\{[^}]*\})?\s*from\s*["']([^"']+)["']/g;
  for (const m of code.matchAll(re)) {
    if (m[2]) continue; // `import type` has no runtime presence
    const names = [];
    const defaultName = m[1] === "import" ? m[3]?.replace(",", "").trim() : undefined;
    if (defaultName) names.push("default");
    for (const part of (m[4] ?? "").slice(1, -1).split(",")) {
      const p = part.trim();
      if (!p || p.startsWith("type ")) continue;
      names.push(p.split(/\s+as\s+/)[0].trim());
    }
    found.push({ specifier: m[5], names });
  }
  return found;
}

/** Names exported by a TypeScript/AssemblyScript source file (light syntactic scan). */
function sourceExports(text) {
  const names = new Set();
  for (const m of text.matchAll(/export\s*\{([^}]*)\}/g))
    for (const part of m[1].split(",")) {
      const p = part.trim().replace(/^type\s+/, "");
      if (p)
        names.add(
          p
            .split(/\s+as\s+/)
            .pop()
            .trim(),
        );
    }
  const decl =
    /export\s+(?:declare\s+)?(?:abstract\s+)?(?:class|function|const|let|var|enum|interface|type|namespace)\s+([\w$]+)/g;
  for (const m of text.matchAll(decl)) names.add(m[1]);
  return names;
}

/** The program run inside the scratch project: resolution and imports as a consumer sees them. */
const PROBE = `
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
const require = createRequire(import.meta.url);
const plan = JSON.parse(process.argv[2]);
const out = [];
for (const step of plan) {
  const r = { ...step, ok: false };
  try {
    if (step.kind === "import") {
      const url = import.meta.resolve(step.specifier);
      r.resolved = fileURLToPath(url);
      if (!existsSync(r.resolved)) throw new Error("resolved to a missing file " + r.resolved);
      const ns = await import(step.specifier);
      r.names = Object.keys(ns);
      r.missing = (step.expect ?? []).filter((n) => !(n in ns) || ns[n] === undefined);
      r.ok = true;
    } else if (step.kind === "manifest") {
      r.ok = require(step.specifier).name === step.name;
    } else if (step.kind === "blocked") {
      try {
        await import(step.specifier);
        r.error = "import succeeded";
      } catch (error) {
        r.code = error.code;
        r.ok = error.code === "ERR_PACKAGE_PATH_NOT_EXPORTED";
        if (!r.ok) r.error = String(error.message);
      }
    }
  } catch (error) {
    r.error = error.code ? error.code + ": " + error.message : String(error.stack ?? error);
  }
  out.push(r);
}
process.stdout.write(JSON.stringify(out));
`;

function checkTarball(pkg, files, packed) {
  const { name } = packed;
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"])
    for (const [dep, range] of Object.entries(packed[field] ?? {}))
      if (/^(workspace|catalog):/.test(range)) fail(name, `packed ${field}.${dep} still says "${range}"`);
  if (!files.has("README.md")) fail(name, "README.md is not in the tarball");
  for (const f of files) {
    if (/(^|\/)src\//.test(f)) fail(name, `ships source file ${f} (src/ is not published)`);
    if (/\.(test|spec)\.[^/]*$/.test(f)) fail(name, `ships test file ${f}`);
    if (/(^|\/)(test|tests|__tests__)\//.test(f)) fail(name, `ships test directory file ${f}`);
    if (/\.tsbuildinfo$/.test(f)) fail(name, `ships build cache ${f}`);
  }
  for (const entry of pkg.entries)
    for (const { condition, target } of entry.targets)
      if (!targetExists(files, target))
        fail(name, `exports["${entry.subpath}"].${condition} -> ${target} is not in the tarball`);
  for (const field of ["main", "types", "typings", "module", "ascMain"])
    if (typeof packed[field] === "string" && !targetExists(files, `./${packed[field].replace(/^\.\//, "")}`))
      fail(name, `"${field}": ${packed[field]} is not in the tarball`);
}

async function main() {
  const started = performance.now();
  const packages = await publishablePackages();
  if (packages.length === 0) throw new Error("no publishable packages found under packages/");
  const work = await mkdtemp(path.join(tmpdir(), "platform-wasm-pack-check-"));
  const cleanup = () => rm(work, { recursive: true, force: true });
  for (const signal of ["SIGINT", "SIGTERM"])
    process.once(signal, () => {
      cleanup().finally(() => process.exit(130));
    });
  try {
    const tarballDir = path.join(work, "tarballs");
    const scratch = path.join(work, "scratch");
    const installedRoot = (name) => path.join(scratch, "node_modules", ...name.split("/"));
    for (const pkg of packages) {
      pkg.name = pkg.manifest.name;
      pkg.warnings = [];
      pkg.entries = exportEntries(pkg.manifest.exports);
      pkg.jsEntries = pkg.entries.filter((e) => !e.blocked && e.nodeTarget && isJs(e.nodeTarget));
      // A package whose JS entries are missing from the workspace was simply not built.
      for (const e of pkg.jsEntries)
        if (!e.nodeTarget.includes("*"))
          await readFile(path.join(pkg.dir, e.nodeTarget)).catch(() => {
            throw new Error(`${pkg.name}: ${e.nodeTarget} does not exist - run \`pnpm build\` first`);
          });
    }

    // 1. Pack (pnpm rewrites workspace:/catalog: ranges). In parallel: each is mostly pnpm start-up.
    await sh("mkdir", ["-p", tarballDir, scratch]);
    await Promise.all(
      packages.map(async (pkg) => {
        const json = await sh("pnpm", ["pack", "--json", "--pack-destination", tarballDir], { cwd: pkg.dir });
        pkg.tarball = JSON.parse(json.slice(json.indexOf("{"))).filename;
        const listing = await sh("tar", ["-tzf", pkg.tarball]);
        pkg.files = new Set(
          listing
            .split("\n")
            .filter((l) => l && !l.endsWith("/"))
            .map((l) => l.replace(/^package\//, "")),
        );
        pkg.packed = JSON.parse(await sh("tar", ["-xzOf", pkg.tarball, "package/package.json"]));
      }),
    );

    // 2. Tarball contents.
    for (const pkg of packages) checkTarball(pkg, pkg.files, pkg.packed);

    // 3. One scratch consumer with every tarball.
    const dependencies = Object.fromEntries(packages.map((p) => [p.name, `file:${p.tarball}`]));
    await writeFile(
      path.join(scratch, "package.json"),
      `${JSON.stringify({ name: "pack-check-scratch", private: true, type: "module", dependencies }, null, 2)}\n`,
    );
    await writeFile(path.join(scratch, "probe.mjs"), PROBE);
    const installStarted = performance.now();
    await sh(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        "--no-package-lock",
        "--prefer-offline",
        "--no-save",
      ],
      { cwd: scratch, timeout: INSTALL_TIMEOUT_MS },
    );
    const installMs = performance.now() - installStarted;

    // Sibling packages must be satisfied by the tarballs, never by a registry copy nested below.
    for (const pkg of packages)
      for (const other of packages) {
        const nested = path.join(installedRoot(pkg.name), "node_modules", ...other.name.split("/"));
        if (
          await readFile(path.join(nested, "package.json")).then(
            () => true,
            () => false,
          )
        )
          fail(pkg.name, `npm installed its own copy of ${other.name} instead of the packed one`);
      }

    // 4. Consumer-side probes.
    const plan = [];
    // Every README's examples count, including imports of a sibling package (host-functions'
    // README imports from policy and runtime).
    const allReadmeImports = [];
    for (const pkg of packages)
      if (pkg.files.has("README.md"))
        allReadmeImports.push(...readmeImports(await readFile(path.join(pkg.dir, "README.md"), "utf8")));
    for (const pkg of packages) {
      pkg.readmeImports = allReadmeImports.filter(
        (i) => i.specifier === pkg.name || i.specifier.startsWith(`${pkg.name}/`),
      );
      for (const entry of pkg.entries) {
        const specifier = entry.subpath === "." ? pkg.name : `${pkg.name}/${entry.subpath.slice(2)}`;
        if (entry.subpath === "./package.json")
          plan.push({ pkg: pkg.name, kind: "manifest", specifier, name: pkg.name });
        else if (entry.blocked) {
          const probeTarget = entry.subpath.includes("*")
            ? [...pkg.files].find((f) => isJs(f) && f.includes(entry.subpath.slice(2).split("*")[0]))
            : undefined;
          const probe = entry.subpath.includes("*")
            ? `${pkg.name}/${entry.subpath.slice(2).replace("*", probeTarget?.split(entry.subpath.slice(2).split("*")[0]).pop() ?? "x.js")}`
            : specifier;
          plan.push({ pkg: pkg.name, kind: "blocked", specifier: probe });
        } else if (pkg.jsEntries.includes(entry) && !entry.subpath.includes("*")) {
          const expect = pkg.readmeImports.filter((i) => i.specifier === specifier).flatMap((i) => i.names);
          plan.push({ pkg: pkg.name, kind: "import", subpath: entry.subpath, specifier, expect });
        }
      }
      // README imports of a subpath that is not a plain JS export (it must still import).
      for (const i of pkg.readmeImports)
        if (pkg.jsEntries.length > 0 && !plan.some((s) => s.kind === "import" && s.specifier === i.specifier))
          plan.push({
            pkg: pkg.name,
            kind: "import",
            subpath: i.specifier,
            specifier: i.specifier,
            expect: i.names,
          });
    }
    for (const specifier of REQUIRED_BLOCKED)
      if (!plan.some((s) => s.kind === "blocked" && s.specifier === specifier))
        plan.push({ pkg: specifier.split("/").slice(0, 2).join("/"), kind: "blocked", specifier });

    const results = JSON.parse(
      await sh(process.execPath, ["probe.mjs", JSON.stringify(plan)], { cwd: scratch }),
    );
    for (const r of results) {
      if (!r.ok) {
        fail(r.pkg, `${r.kind} ${r.specifier}: ${r.error ?? `unexpected ${r.code ?? "result"}`}`);
        continue;
      }
      if (r.kind !== "import") continue;
      if (!r.resolved.startsWith(installedRoot(r.pkg) + path.sep) || !isJs(r.resolved))
        fail(r.pkg, `${r.specifier} resolved to ${r.resolved}, not the packed JS`);
      if (r.names.length === 0) fail(r.pkg, `${r.specifier} exports no names`);
      for (const n of r.missing) fail(r.pkg, `${r.specifier} lacks "${n}" which README.md imports`);
    }

    // Packages without a JS entry (AssemblyScript sources): README imports must name shipped files
    // that export those names, resolved the way asc resolves a package path.
    for (const pkg of packages.filter((p) => p.jsEntries.length === 0)) {
      pkg.sourceChecks = 0;
      for (const i of pkg.readmeImports) {
        const rel = i.specifier.slice(pkg.name.length).replace(/^\//, "");
        const candidates = rel === "" ? [pkg.packed.ascMain ?? "index.ts"] : [`${rel}.ts`, `${rel}/index.ts`];
        const file = candidates.find((c) => pkg.files.has(c));
        if (!file) {
          fail(
            pkg.name,
            `README imports ${i.specifier} but none of ${candidates.join(", ")} is in the tarball`,
          );
          continue;
        }
        const text = await readFile(path.join(installedRoot(pkg.name), file), "utf8");
        const exported = sourceExports(text);
        for (const n of i.names)
          if (!exported.has(n)) fail(pkg.name, `${file} does not export "${n}" which README.md imports`);
        pkg.sourceChecks++;
      }
    }

    // Source maps whose sources are neither shipped nor inlined (sourcesContent) dangle for a
    // consumer's debugger / go-to-definition. Reported as a warning: fixing it is a build-config
    // decision (inlineSources, ship src/, or drop the maps), not a packaging one.
    for (const pkg of packages) {
      let dangling = 0;
      let maps = 0;
      for (const f of pkg.files) {
        if (!f.endsWith(".map")) continue;
        maps++;
        const map = JSON.parse(await readFile(path.join(installedRoot(pkg.name), f), "utf8"));
        const dir = path.posix.dirname(f);
        const missing = (map.sources ?? []).some(
          (src, i) =>
            !map.sourcesContent?.[i] &&
            !pkg.files.has(path.posix.normalize(path.posix.join(dir, map.sourceRoot ?? "", src))),
        );
        if (missing) dangling++;
      }
      if (dangling > 0)
        pkg.warnings.push(`${dangling}/${maps} source maps name sources that are not in the tarball`);
    }

    // Every module a shipped .js/.d.ts imports must resolve for a consumer: relative imports to a
    // shipped file, bare ones to a declared (peer)dependency - worker entry points and lazily
    // imported modules are not reached by the import probe above.
    const builtins = new Set((await import("node:module")).builtinModules);
    for (const pkg of packages) {
      const declared = new Set([
        pkg.name,
        ...Object.keys(pkg.packed.dependencies ?? {}),
        ...Object.keys(pkg.packed.peerDependencies ?? {}),
        ...Object.keys(pkg.packed.optionalDependencies ?? {}),
      ]);
      const undeclared = new Map();
      const used = new Set();
      for (const f of pkg.files) {
        if (!/\.([cm]?ts|[cm]?js)$/.test(f)) continue;
        const isDts = /\.d\.[cm]?ts$/.test(f);
        const isSourceTs = !isDts && /\.[cm]?ts$/.test(f); // AssemblyScript: extensionless imports
        const text = await readFile(path.join(installedRoot(pkg.name), f), "utf8");
        const specifiers = new Set();
        for (const m of text.matchAll(/(?:^|[\s;}])(?:import|export)\s[^"'`;]*?from\s*["']([^"']+)["']/gm))
          specifiers.add(m[1]);
        for (const m of text.matchAll(/(?:^|[\s;])import\s*["']([^"']+)["']/gm)) specifiers.add(m[1]);
        for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) specifiers.add(m[1]);
        for (const spec of specifiers) {
          if (spec.startsWith("node:") || builtins.has(spec)) continue;
          if (spec.startsWith(".")) {
            const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), spec));
            const candidates = isSourceTs
              ? [target, `${target}.ts`, `${target}/index.ts`]
              : [isDts ? target.replace(/\.([cm]?)js$/, ".d.$1ts") : target, target];
            if (!candidates.some((c) => pkg.files.has(c)))
              fail(pkg.name, `${f} imports ${spec}, which is not in the tarball`);
            continue;
          }
          const dep = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
          used.add(dep);
          if (!declared.has(dep)) undeclared.set(dep, [...(undeclared.get(dep) ?? []), f]);
        }
      }
      // A dependency no shipped file imports is a download every consumer pays for.
      for (const dep of Object.keys(pkg.packed.dependencies ?? {}))
        if (!used.has(dep)) pkg.warnings.push(`dependency ${dep} is not imported by any shipped file`);
      for (const [dep, from] of undeclared) {
        const more = from.length > 1 ? ` and ${from.length - 1} more` : "";
        fail(pkg.name, `${dep} is imported (by ${from[0]}${more}) but is not a (peer)dependency`);
      }
    }

    // Build output with no source beside it (a renamed or deleted module; `tsc -b` never cleans
    // dist/) would be published from a local tree. A fresh clone cannot have it, so: a warning.
    for (const pkg of packages) {
      const stale = [];
      for (const f of pkg.files) {
        const m = /^dist\/(.+)\.js$/.exec(f);
        if (!m) continue;
        const sources = [".ts", ".mts", ".tsx", ".js"].map((ext) =>
          path.join(pkg.dir, "src", `${m[1]}${ext}`),
        );
        if (!(await Promise.any(sources.map((s) => readFile(s).then(() => true))).catch(() => false)))
          stale.push(f);
      }
      if (stale.length > 0)
        pkg.warnings.push(
          `stale build output with no src/ module (clean dist/ and rebuild): ${stale.join(", ")}`,
        );
    }

    // 5. Table.
    const rows = packages.map((pkg) => {
      const mine = results.filter((r) => r.pkg === pkg.name);
      const imports = mine.filter((r) => r.kind === "import");
      const bad = failures.filter((f) => f.startsWith(`${pkg.name}:`)).length;
      return [
        pkg.name,
        String(pkg.files.size),
        pkg.jsEntries.length === 0
          ? `(no JS) ${pkg.entries.filter((e) => !e.blocked).length} targets`
          : `${imports.filter((r) => r.ok).length}/${imports.length}`,
        pkg.jsEntries.length === 0
          ? `${pkg.sourceChecks} src files`
          : String(imports.reduce((n, r) => n + (r.names?.length ?? 0), 0)),
        String(pkg.readmeImports.reduce((n, i) => n + i.names.length, 0)),
        mine.some((r) => r.kind === "blocked")
          ? mine.filter((r) => r.kind === "blocked").every((r) => r.ok)
            ? "yes"
            : "NO"
          : "-",
        bad === 0 ? "ok" : `${bad} FAIL`,
      ];
    });
    const header = ["package", "files", "imports", "names", "readme names", "internal blocked", "result"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const r of rows) console.log(line(r));
    const totalS = ((performance.now() - started) / 1000).toFixed(1);
    for (const pkg of packages) for (const w of pkg.warnings) console.log(`warning ${pkg.name}: ${w}`);
    console.log(
      `\npack:check ${packages.length} packages in ${totalS} s (npm install ${(installMs / 1000).toFixed(1)} s)`,
    );
  } finally {
    await cleanup();
  }

  if (failures.length > 0) {
    console.error(`\npack:check FAILED (${failures.length}):`);
    for (const f of failures) console.error(`  - ${f}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(`pack:check error: ${error.message}`);
  process.exitCode = 1;
});
