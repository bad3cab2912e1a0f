import { exitStatusFor } from "../../errorBody.js";
import { WasmChallengeExecutor } from "../../executor/executor.js";
import { checkAbi } from "../../inspect/abiCheck.js";
import { failureBody } from "../../result.js";
import type { InspectCommand } from "../args.js";
import type { CliContext } from "../context.js";
import { formatBytes, formatFailure } from "../humanFormat.js";
import { printable, stylistFor } from "../style.js";

/**
 * `validator inspect <module.wasm>`: compiles the module (validating it) and prints its imports,
 * exports and the ABI v1 check.
 *
 * @param command - the parsed command.
 * @param context - streams and identity.
 * @returns 0 when the module is ABI-compatible, 1 otherwise (or on error).
 */
export async function runInspect(command: InspectCommand, context: CliContext): Promise<number> {
  const executor = new WasmChallengeExecutor({ validatorId: context.validatorId });
  try {
    const loaded = await executor.loadModule(command.module);
    const imports = loaded.module.imports.map((i) => ({
      module: i.module,
      name: i.name,
      kind: i.kind,
      signature:
        i.signature === undefined
          ? undefined
          : { params: [...i.signature.params], results: [...i.signature.results] },
    }));
    const exports = loaded.module.exports.map((e) => ({ name: e.name, kind: e.kind }));
    const abi = checkAbi(imports, exports);
    if (command.json) {
      const body = {
        ok: true,
        module: { path: loaded.path, sha256: loaded.sha256, size_bytes: loaded.sizeBytes },
        imports,
        exports,
        abi: {
          compatible: abi.compatible,
          problems: abi.problems,
          features: {
            validate: abi.features.validate,
            get_name: abi.features.getName,
            get_version: abi.features.getVersion,
            allocator: abi.features.allocator,
          },
        },
      };
      context.stdout.write(`${JSON.stringify(body)}\n`);
    } else {
      const style = stylistFor(context.stdout);
      const lines = [
        `${style("bold", printable(loaded.path))}  ${formatBytes(loaded.sizeBytes)}  sha256 ${loaded.sha256.slice(0, 16)}…`,
        style("bold", `imports (${imports.length})`),
        ...imports.map(
          (i) =>
            `  ${printable(i.module)}.${printable(i.name)}  ${style("dim", i.signature === undefined ? i.kind : `${i.kind} (${i.signature.params.join(", ")}) -> (${i.signature.results.join(", ")})`)}`,
        ),
        style("bold", `exports (${exports.length})`),
        ...exports.map((e) => `  ${printable(e.name)}  ${style("dim", e.kind)}`),
        abi.compatible ? style("green", "ABI v1: compatible") : style("red", "ABI v1: not compatible"),
        ...abi.problems.map((p) => `  ${style("red", "✖")} ${printable(p)}`),
        `  allocator ${abi.features.allocator} · validate ${yesNo(abi.features.validate)} · get_name ${yesNo(abi.features.getName)} · get_version ${yesNo(abi.features.getVersion)}`,
      ];
      context.stdout.write(`${lines.join("\n")}\n`);
    }
    return abi.compatible ? 0 : 1;
  } catch (error) {
    const body = failureBody(error);
    if (command.json) context.stdout.write(`${JSON.stringify(body)}\n`);
    else context.stderr.write(formatFailure(body.error, stylistFor(context.stderr)));
    return exitStatusFor(body.error.code);
  } finally {
    await executor.close();
  }
}

function yesNo(value: boolean): string {
  return value ? "yes" : "no";
}
