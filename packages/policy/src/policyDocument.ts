import type { NetworkPolicy } from "./networkPolicy.js";
import { defaultNetworkPolicy } from "./networkPolicy.js";
import type { SandboxPolicy } from "./sandboxPolicy.js";
import { defaultSandboxPolicy } from "./sandboxPolicy.js";
import type { TimestampMode } from "./timestampMode.js";
import { defaultTimestampMode } from "./timestampMode.js";

/** Instance limits a policy file may set; `undefined` = the runtime's default (or, for `fuel`, no metering). */
export interface InstanceLimits {
  maxMemoryBytes: number | undefined;
  timeoutMs: number | undefined;
  fuel: number | undefined;
}

/** Everything a policy file configures, in TypeScript (camelCase) form, with defaults filled in. */
export interface PolicyDocument {
  sandbox: SandboxPolicy;
  network: NetworkPolicy;
  timestamp: TimestampMode;
  limits: InstanceLimits;
}

/** What an empty policy file means: the secure defaults of every section. */
export function defaultPolicyDocument(): PolicyDocument {
  return {
    sandbox: defaultSandboxPolicy(),
    network: defaultNetworkPolicy(),
    timestamp: defaultTimestampMode(),
    limits: { maxMemoryBytes: undefined, timeoutMs: undefined, fuel: undefined },
  };
}
