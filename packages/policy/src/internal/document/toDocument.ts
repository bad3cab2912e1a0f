import type { NetworkPolicy } from "../../networkPolicy.js";
import { defaultNetworkPolicy } from "../../networkPolicy.js";
import type { PolicyDocument } from "../../policyDocument.js";
import type { SandboxPolicy } from "../../sandboxPolicy.js";
import { defaultSandboxPolicy } from "../../sandboxPolicy.js";
import type { PolicyFile } from "./schema.js";

/** `value` when present, else `fallback` (files spell "absent" as a missing key). */
function or<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

function toSandbox(file: PolicyFile["sandbox"]): SandboxPolicy {
  const d = defaultSandboxPolicy();
  const s = file ?? {};
  return {
    enabled: or(s.enabled, d.enabled),
    allowedCommands: or(s.allowed_commands, d.allowedCommands),
    blockedCommands: or(s.blocked_commands, d.blockedCommands),
    maxExecutionTimeMs: or(s.max_execution_time_ms, d.maxExecutionTimeMs),
    maxOutputBytes: or(s.max_output_bytes, d.maxOutputBytes),
    maxStdinBytes: or(s.max_stdin_bytes, d.maxStdinBytes),
    maxExecutions: or(s.max_executions, d.maxExecutions),
    maxArgs: or(s.max_args, d.maxArgs),
    maxArgBytes: or(s.max_arg_bytes, d.maxArgBytes),
    allowNetwork: or(s.allow_network, d.allowNetwork),
    workingDirectory: or(s.working_directory, d.workingDirectory),
    environmentWhitelist: or(s.environment_whitelist, d.environmentWhitelist),
    requireIsolation: or(s.require_isolation, d.requireIsolation),
    searchPath: or(s.search_path, d.searchPath),
  };
}

function toNetwork(file: PolicyFile["network"]): NetworkPolicy {
  const d = defaultNetworkPolicy();
  const n = file ?? {};
  const http = n.http ?? {};
  const dns = n.dns_policy ?? {};
  const limits = n.limits ?? {};
  const audit = n.audit ?? {};
  return {
    allowInternet: or(n.allow_internet, d.allowInternet),
    http: {
      allowedHosts: or(http.allowed_hosts, d.http.allowedHosts),
      allowedSchemes: or(http.allowed_schemes, d.http.allowedSchemes),
      allowedPorts: or(http.allowed_ports, d.http.allowedPorts),
    },
    allowedIpRanges: or(n.allowed_ip_ranges, d.allowedIpRanges),
    dnsPolicy: {
      enabled: or(dns.enabled, d.dnsPolicy.enabled),
      allowedHosts: or(dns.allowed_hosts, d.dnsPolicy.allowedHosts),
      allowedRecordTypes: or(dns.allowed_record_types, d.dnsPolicy.allowedRecordTypes),
      maxLookups: or(dns.max_lookups, d.dnsPolicy.maxLookups),
      cacheTtlSecs: or(dns.cache_ttl_secs, d.dnsPolicy.cacheTtlSecs),
      blockPrivateRanges: or(dns.block_private_ranges, d.dnsPolicy.blockPrivateRanges),
    },
    limits: {
      maxRequestBytes: or(limits.max_request_bytes, d.limits.maxRequestBytes),
      maxResponseBytes: or(limits.max_response_bytes, d.limits.maxResponseBytes),
      maxHeaderBytes: or(limits.max_header_bytes, d.limits.maxHeaderBytes),
      timeoutMs: or(limits.timeout_ms, d.limits.timeoutMs),
      maxRequests: or(limits.max_requests, d.limits.maxRequests),
      maxRedirects: or(limits.max_redirects, d.limits.maxRedirects),
    },
    audit: {
      enabled: or(audit.enabled, d.audit.enabled),
      logHeaders: or(audit.log_headers, d.audit.logHeaders),
      logBodies: or(audit.log_bodies, d.audit.logBodies),
      // Rebuilt with fromEntries so a "__proto__" tag stays a plain key.
      tags: Object.fromEntries(Object.entries(audit.tags ?? d.audit.tags)),
    },
  };
}

/** Fills every absent field with its secure default and converts to the camelCase API shape. */
export function toPolicyDocument(file: PolicyFile): PolicyDocument {
  const limits = file.limits ?? {};
  return {
    sandbox: toSandbox(file.sandbox),
    network: toNetwork(file.network),
    timestamp:
      file.timestamp?.mode === "deterministic"
        ? { kind: "deterministic", timestampMs: file.timestamp.timestamp_ms }
        : { kind: "real_time" },
    limits: {
      maxMemoryBytes: limits.max_memory_bytes ?? undefined,
      timeoutMs: limits.timeout_ms ?? undefined,
      fuel: limits.fuel ?? undefined,
    },
  };
}

/** Maps a camelCase field path of the TS API (`http.allowedHosts[2]`) to the file's snake_case. */
export function toFilePath(section: "sandbox" | "network", field: string): string {
  const snake = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return snake === "" ? section : `${section}.${snake}`;
}
