import { z } from "zod";

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const positive = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const strings = z.array(z.string());

/**
 * Policy-file schemas: snake_case field names exactly as the reference's serde structs (plus our
 * additions), every field optional (missing = secure default), unknown fields refused (`strictObject`)
 * so a typo can never silently weaken a policy. Semantic checks (host patterns, CIDRs, paths) happen in
 * `validate*Policy` afterwards, and their errors are mapped back to these names.
 */
export const sandboxSection = z.strictObject({
  enabled: z.boolean().optional(),
  allowed_commands: strings.optional(),
  blocked_commands: strings.optional(),
  max_execution_time_ms: positive.optional(),
  max_output_bytes: count.optional(),
  max_stdin_bytes: count.optional(),
  max_executions: count.optional(),
  max_args: count.optional(),
  max_arg_bytes: count.optional(),
  allow_network: z.boolean().optional(),
  working_directory: z.string().optional(),
  environment_whitelist: strings.optional(),
  require_isolation: z.boolean().optional(),
  search_path: strings.optional(),
});

export const networkSection = z.strictObject({
  allow_internet: z.boolean().optional(),
  http: z
    .strictObject({
      allowed_hosts: strings.optional(),
      allowed_schemes: z.array(z.enum(["http", "https"])).optional(),
      allowed_ports: z.array(z.number().int().min(1).max(65_535)).optional(),
    })
    .optional(),
  allowed_ip_ranges: strings.optional(),
  dns_policy: z
    .strictObject({
      enabled: z.boolean().optional(),
      allowed_hosts: strings.optional(),
      allowed_record_types: z.array(z.enum(["a", "aaaa", "cname", "txt"])).optional(),
      max_lookups: count.optional(),
      cache_ttl_secs: count.optional(),
      block_private_ranges: z.boolean().optional(),
    })
    .optional(),
  limits: z
    .strictObject({
      max_request_bytes: count.optional(),
      max_response_bytes: count.optional(),
      max_header_bytes: count.optional(),
      timeout_ms: positive.optional(),
      max_requests: count.optional(),
      max_redirects: count.optional(),
    })
    .optional(),
  audit: z
    .strictObject({
      enabled: z.boolean().optional(),
      log_headers: z.boolean().optional(),
      log_bodies: z.boolean().optional(),
      tags: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});

export const timestampSection = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("real_time") }),
  z.strictObject({
    mode: z.literal("deterministic"),
    timestamp_ms: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  }),
]);

export const limitsSection = z.strictObject({
  max_memory_bytes: positive.nullable().optional(),
  timeout_ms: positive.nullable().optional(),
  fuel: positive.nullable().optional(),
});

export const policyFileSchema = z.strictObject({
  sandbox: sandboxSection.optional(),
  network: networkSection.optional(),
  timestamp: timestampSection.optional(),
  limits: limitsSection.optional(),
});

/** The parsed (but not yet defaulted or validated) content of a policy file. */
export type PolicyFile = z.infer<typeof policyFileSchema>;
