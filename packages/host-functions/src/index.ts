export { HostFunctionsError, HostFunctionsErrorCode, isHostFunctionsError } from "./errors.js";
export type { IsolationLimits, IsolationOptions } from "./process/isolationOptions.js";
export { DEFAULT_ISOLATION_LIMITS } from "./process/isolationOptions.js";
export type { LogLimits } from "./sandbox/logLimits.js";
export { DEFAULT_LOG_LIMITS } from "./sandbox/logLimits.js";
export type { SandboxHostFunctionsOptions } from "./sandbox/sandboxHostFunctions.js";
export { SandboxHostFunctions } from "./sandbox/sandboxHostFunctions.js";
export { SandboxState } from "./sandbox/sandboxState.js";
