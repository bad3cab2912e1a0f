import { trace } from "@opentelemetry/api";
import { defaultNetworkPolicy, type NetworkPolicy } from "@platform-wasm/policy";
import type { HostCall, InstanceIdentity } from "@platform-wasm/runtime";
import { encodeMessage, type NetworkError, type WireResult } from "@platform-wasm/wire";
import type { NetworkAuditEntry, NetworkAuditLogger } from "../../../src/network/audit.js";
import type { NetworkHostFunctions, NetworkImportName } from "../../../src/network/networkHostFunctions.js";
import type { NetworkState } from "../../../src/network/state.js";

/** Identity used by network tests. */
export const TEST_INSTANCE: InstanceIdentity = {
  instanceId: "inst-1",
  challengeId: "chal-1",
  validatorId: "val-1",
  restartId: "r-1",
  configVersion: 1,
};

/**
 * A policy for loopback tests: internet on, `http` to the given hosts and ports, private ranges allowed
 * (loopback is private), DNS on for `*.test`. Tests tighten it per case.
 */
export function loopbackPolicy(ports: number[], hosts: string[] = ["127.0.0.1", "*.test"]): NetworkPolicy {
  const policy = defaultNetworkPolicy();
  policy.allowInternet = true;
  policy.http = { allowedHosts: hosts, allowedSchemes: ["http", "https"], allowedPorts: ports };
  policy.dnsPolicy = {
    enabled: true,
    allowedHosts: ["*.test"],
    allowedRecordTypes: ["a", "aaaa", "cname", "txt"],
    maxLookups: 8,
    cacheTtlSecs: 60,
    blockPrivateRanges: false,
  };
  policy.limits = { ...policy.limits, timeoutMs: 3_000 };
  return policy;
}

/** A HostCall for `state` outside the runtime (no-op span unless an SDK is registered). */
export function hostCall(
  state: NetworkState,
  signal: AbortSignal = new AbortController().signal,
): HostCall<NetworkState> {
  return { state, instance: state.instance, signal, span: trace.getTracer("test").startSpan("host-call") };
}

/** Encodes `request`, runs the named import's handler, returns the result it would encode. */
export async function invoke(
  registrar: NetworkHostFunctions,
  name: NetworkImportName,
  request: unknown,
  call: HostCall<NetworkState>,
): Promise<WireResult<unknown, NetworkError>> {
  return invokeBytes(registrar, name, encodeMessage(request), call);
}

/** Runs the named import's handler on raw request bytes. */
export async function invokeBytes(
  registrar: NetworkHostFunctions,
  name: NetworkImportName,
  bytes: Uint8Array,
  call: HostCall<NetworkState>,
): Promise<WireResult<unknown, NetworkError>> {
  const handler = registrar.imports.find((i) => i.name === name);
  if (handler === undefined || handler.kind !== "request") throw new Error(`${name} not enabled`);
  return handler.handle(bytes, call) as Promise<WireResult<unknown, NetworkError>>;
}

/** An audit logger that keeps entries in memory. */
export function memoryAudit(): NetworkAuditLogger & { entries: NetworkAuditEntry[] } {
  const entries: NetworkAuditEntry[] = [];
  return { entries, record: (entry) => entries.push(entry) };
}

/** The error variant name of an `Err` result (`"Timeout"`, `"LimitExceeded"`, …). */
export function errKind(result: WireResult<unknown, NetworkError>): string | undefined {
  if (!("Err" in result)) return undefined;
  return typeof result.Err === "string" ? result.Err : Object.keys(result.Err)[0];
}

/** A GET request in the `http_request` shape. */
export function get(url: string, headers: Record<string, string> = {}): Record<string, unknown> {
  return { method: "get", url, headers, body: new Uint8Array(0) };
}
