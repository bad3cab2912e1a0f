export {
  checkMemoryCap,
  DEFAULT_RUNTIME_CONFIG,
  type FuelConfig,
  type InstanceConfig,
  MAX_WASM32_MEMORY_BYTES,
  type RuntimeConfig,
  resolveInstanceConfig,
  resolveRuntimeConfig,
} from "./config.js";
export {
  GuestTrapError,
  type ImportRef,
  isGuestTrapError,
  isLinkError,
  isRuntimeError,
  LinkError,
  RuntimeError,
  RuntimeErrorCode,
} from "./errors.js";
export { ChallengeInstance, type InstanceStats, TRACER_NAME, type WasmValue } from "./instance.js";
export { FUEL_GLOBAL } from "./internal/fuelSeam.js";
export type { CompileOptions, ExternKind, ModuleExportInfo, ModuleImportInfo, WasmModule } from "./module.js";
export type {
  HostCall,
  HostFunctionRegistrar,
  HostImport,
  InstanceIdentity,
  RequestImport,
  WasmValueType,
  WorkerImport,
  WorkerImportContext,
  WorkerImportFactory,
} from "./registrar.js";
export { WasmRuntime } from "./runtime.js";
