export type { AddressClass, AddressInfo } from "./addressClass.js";
export { analyzeAddress, classifyAddress, isPrivateAddress } from "./addressClass.js";
export type { NetworkDecision, SandboxDecision } from "./decision.js";
export {
  isPolicyError,
  isPolicyFileError,
  PolicyError,
  PolicyErrorCode,
  PolicyFileError,
} from "./errors.js";
export { loadPolicyFile } from "./loadPolicyFile.js";
export type {
  AuditPolicy,
  DnsPolicy,
  HttpPolicy,
  NetworkPolicy,
  RequestLimits,
} from "./networkPolicy.js";
export { defaultNetworkPolicy, developmentNetworkPolicy, strictNetworkPolicy } from "./networkPolicy.js";
export type { ParsePolicyOptions } from "./parsePolicyDocument.js";
export { parsePolicyDocument } from "./parsePolicyDocument.js";
export type { InstanceLimits, PolicyDocument } from "./policyDocument.js";
export { defaultPolicyDocument } from "./policyDocument.js";
export type { SandboxPolicy } from "./sandboxPolicy.js";
export {
  DEFAULT_SEARCH_PATH,
  defaultSandboxPolicy,
  developmentSandboxPolicy,
  permissiveSandboxPolicy,
} from "./sandboxPolicy.js";
export type { TimestampMode } from "./timestampMode.js";
export { defaultTimestampMode, timestampFor } from "./timestampMode.js";
export type { HttpTarget, ValidatedNetworkPolicy } from "./validatedNetworkPolicy.js";
export type { ApprovedExec, ValidatedSandboxPolicy } from "./validatedSandboxPolicy.js";
export { validateNetworkPolicy } from "./validateNetworkPolicy.js";
export { validateSandboxPolicy } from "./validateSandboxPolicy.js";
