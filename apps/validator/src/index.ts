export { type Command, parseCommandLine, USAGE } from "./cli/args.js";
export { type CliIo, runCli, validatorIdFrom } from "./cli/main.js";
export { type ErrorBody, exitStatusFor, httpStatusFor, toErrorBody } from "./errorBody.js";
export { isUsageError, isValidatorError, UsageError, ValidatorError, ValidatorErrorCode } from "./errors.js";
export {
  DEFAULT_MAX_MODULE_BYTES,
  type LoadedModule,
  WasmChallengeExecutor,
  type WasmChallengeExecutorOptions,
} from "./executor/executor.js";
export { checkModuleName, resolveConfinedModule } from "./executor/modulePath.js";
export {
  companionPolicyCandidates,
  findCompanionPolicy,
  type ResolvedPolicy,
  resolvePolicy,
} from "./executor/policyFile.js";
export type {
  ExecutionMetrics,
  ExecutionOutput,
  ExecutionOverrides,
  ExecutionRequest,
  ExecutionResult,
} from "./executor/types.js";
export { type AbiReport, checkAbi } from "./inspect/abiCheck.js";
export { type FailureBody, failureBody, type SuccessBody, successBody } from "./result.js";
export { DEFAULT_MAX_BODY_BYTES, ValidatorServer, type ValidatorServerOptions } from "./server/server.js";
export { startTelemetry } from "./telemetry/disabled.js";
export { type ExporterKind, type ExporterSelection, selectExporters } from "./telemetry/exporterSelection.js";
export { INSTRUMENTATION_SCOPE, MetricName } from "./telemetry/instruments.js";
export {
  ATTR_VALIDATOR_ID,
  DEFAULT_SERVICE_NAME,
  setupTelemetry,
  type Telemetry,
  type TelemetryOptions,
} from "./telemetry/setup.js";
