import { describe, expect, it } from "vitest";
import { isPolicyFileError, PolicyErrorCode, type PolicyFileError } from "./errors.js";
import { defaultNetworkPolicy } from "./networkPolicy.js";
import { parsePolicyDocument } from "./parsePolicyDocument.js";
import { defaultPolicyDocument } from "./policyDocument.js";
import { defaultSandboxPolicy } from "./sandboxPolicy.js";

const json = (text: string) => parsePolicyDocument(text, { format: "json", source: "policy.json" });
const yaml = (text: string) => parsePolicyDocument(text, { format: "yaml", source: "policy.yaml" });

function failure(parse: () => unknown): PolicyFileError {
  try {
    parse();
  } catch (error) {
    if (isPolicyFileError(error)) return error;
    throw error;
  }
  throw new Error("expected a PolicyFileError");
}

describe("secure defaults", () => {
  it("an empty object (JSON) or empty document (YAML) is the default document", () => {
    expect(json("{}")).toEqual(defaultPolicyDocument());
    expect(yaml("")).toEqual(defaultPolicyDocument());
    expect(yaml("# only a comment\n")).toEqual(defaultPolicyDocument());
  });

  it("a section with some fields keeps the defaults for the rest", () => {
    const doc = json('{"sandbox": {"allowed_commands": ["cat"]}, "network": {"allow_internet": true}}');
    expect(doc.sandbox).toEqual({ ...defaultSandboxPolicy(), allowedCommands: ["cat"] });
    expect(doc.network).toEqual({ ...defaultNetworkPolicy(), allowInternet: true });
    expect(doc.network.http.allowedHosts).toEqual([]);
  });
});

describe("the design's example file", () => {
  const example = {
    sandbox: { enabled: true, allowed_commands: ["cat"], max_execution_time_ms: 5000 },
    network: { allow_internet: false, http: { allowed_hosts: [] } },
    timestamp: { mode: "deterministic", timestamp_ms: 1700000000000 },
    limits: { max_memory_bytes: 67108864, timeout_ms: 10000, fuel: null },
  };
  it("parses from JSON and YAML to the same document", () => {
    const fromJson = json(JSON.stringify(example));
    const fromYaml = yaml(`
sandbox:
  enabled: true
  allowed_commands: [cat]
  max_execution_time_ms: 5000
network:
  allow_internet: false
  http:
    allowed_hosts: []
timestamp:
  mode: deterministic
  timestamp_ms: 1700000000000
limits:
  max_memory_bytes: 67108864
  timeout_ms: 10000
  fuel: null
`);
    expect(fromYaml).toEqual(fromJson);
    expect(fromJson.timestamp).toEqual({ kind: "deterministic", timestampMs: 1_700_000_000_000 });
    expect(fromJson.limits).toEqual({ maxMemoryBytes: 67_108_864, timeoutMs: 10_000, fuel: undefined });
    expect(fromJson.sandbox.maxExecutionTimeMs).toBe(5000);
  });
});

describe("every reference field name is accepted (snake_case)", () => {
  it("sandbox", () => {
    const doc = json(
      JSON.stringify({
        sandbox: {
          enabled: false,
          allowed_commands: ["ls"],
          blocked_commands: ["rm"],
          max_execution_time_ms: 1,
          max_output_bytes: 2,
          max_stdin_bytes: 3,
          max_executions: 4,
          max_args: 5,
          max_arg_bytes: 6,
          allow_network: true,
          working_directory: "/srv/jail",
          environment_whitelist: ["LANG"],
          require_isolation: false,
          search_path: ["/opt/bin"],
        },
      }),
    );
    expect(doc.sandbox).toEqual({
      enabled: false,
      allowedCommands: ["ls"],
      blockedCommands: ["rm"],
      maxExecutionTimeMs: 1,
      maxOutputBytes: 2,
      maxStdinBytes: 3,
      maxExecutions: 4,
      maxArgs: 5,
      maxArgBytes: 6,
      allowNetwork: true,
      workingDirectory: "/srv/jail",
      environmentWhitelist: ["LANG"],
      requireIsolation: false,
      searchPath: ["/opt/bin"],
    });
  });

  it("network", () => {
    const doc = yaml(`
network:
  allow_internet: true
  http: { allowed_hosts: ["*.example.com"], allowed_schemes: [https, http], allowed_ports: [443, 8443] }
  allowed_ip_ranges: [10.0.0.0/8]
  dns_policy: { enabled: true, allowed_hosts: [example.com], allowed_record_types: [a, txt], max_lookups: 1, cache_ttl_secs: 2, block_private_ranges: false }
  limits: { max_request_bytes: 1, max_response_bytes: 2, max_header_bytes: 3, timeout_ms: 4, max_requests: 5, max_redirects: 6 }
  audit: { enabled: false, log_headers: true, log_bodies: true, tags: { team: scoring } }
`);
    expect(doc.network).toEqual({
      allowInternet: true,
      http: { allowedHosts: ["*.example.com"], allowedSchemes: ["https", "http"], allowedPorts: [443, 8443] },
      allowedIpRanges: ["10.0.0.0/8"],
      dnsPolicy: {
        enabled: true,
        allowedHosts: ["example.com"],
        allowedRecordTypes: ["a", "txt"],
        maxLookups: 1,
        cacheTtlSecs: 2,
        blockPrivateRanges: false,
      },
      limits: {
        maxRequestBytes: 1,
        maxResponseBytes: 2,
        maxHeaderBytes: 3,
        timeoutMs: 4,
        maxRequests: 5,
        maxRedirects: 6,
      },
      audit: { enabled: false, logHeaders: true, logBodies: true, tags: { team: "scoring" } },
    });
  });

  it("timestamp real_time", () => {
    expect(json('{"timestamp": {"mode": "real_time"}}').timestamp).toEqual({ kind: "real_time" });
  });
});

describe("error paths (JSON)", () => {
  const table: [string, string, string][] = [
    ["wrong type in a list", '{"sandbox": {"allowed_commands": ["cat", 3]}}', "sandbox.allowed_commands[1]"],
    ["unknown sandbox field (typo)", '{"sandbox": {"alowed_commands": []}}', "sandbox.alowed_commands"],
    ["unknown top-level section", '{"sandbox": {}, "netwrok": {}}', "netwrok"],
    ["unknown nested field", '{"network": {"http": {"allowed_host": []}}}', "network.http.allowed_host"],
    [
      "camelCase is not the file format",
      '{"sandbox": {"allowedCommands": ["cat"]}}',
      "sandbox.allowedCommands",
    ],
    ["negative number", '{"sandbox": {"max_output_bytes": -1}}', "sandbox.max_output_bytes"],
    ["fraction", '{"network": {"limits": {"timeout_ms": 1.5}}}', "network.limits.timeout_ms"],
    ["string for a number", '{"sandbox": {"max_args": "10"}}', "sandbox.max_args"],
    ["string for a boolean", '{"sandbox": {"enabled": "true"}}', "sandbox.enabled"],
    [
      "bad scheme",
      '{"network": {"http": {"allowed_schemes": ["https", "ftp"]}}}',
      "network.http.allowed_schemes[1]",
    ],
    ["port 0", '{"network": {"http": {"allowed_ports": [0]}}}', "network.http.allowed_ports[0]"],
    [
      "upper-case record type",
      '{"network": {"dns_policy": {"allowed_record_types": ["A"]}}}',
      "network.dns_policy.allowed_record_types[0]",
    ],
    [
      "bad host pattern",
      '{"network": {"http": {"allowed_hosts": ["ok.com", "bad host"]}}}',
      "network.http.allowed_hosts[1]",
    ],
    [
      "bad dns host pattern",
      '{"network": {"dns_policy": {"allowed_hosts": ["a/b"]}}}',
      "network.dns_policy.allowed_hosts[0]",
    ],
    [
      "bad CIDR",
      '{"network": {"allowed_ip_ranges": ["10.0.0.0/8", "nope"]}}',
      "network.allowed_ip_ranges[1]",
    ],
    ["relative jail", '{"sandbox": {"working_directory": "jail"}}', "sandbox.working_directory"],
    ["relative command path", '{"sandbox": {"blocked_commands": ["bin/rm"]}}', "sandbox.blocked_commands[0]"],
    ["bad search path", '{"sandbox": {"search_path": ["/bin", "bin"]}}', "sandbox.search_path[1]"],
    ["unknown timestamp mode", '{"timestamp": {"mode": "fast"}}', "timestamp.mode"],
    [
      "real_time with a value",
      '{"timestamp": {"mode": "real_time", "timestamp_ms": 1}}',
      "timestamp.timestamp_ms",
    ],
    ["deterministic without a value", '{"timestamp": {"mode": "deterministic"}}', "timestamp.timestamp_ms"],
    ["zero fuel", '{"limits": {"fuel": 0}}', "limits.fuel"],
    ["unknown limit", '{"limits": {"max_memory": 1}}', "limits.max_memory"],
    ["section of the wrong type", '{"sandbox": []}', "sandbox"],
    ["root is not an object", "[]", ""],
    ["root is null", "null", ""],
    ["__proto__ key", '{"__proto__": {"x": 1}}', "__proto__"],
  ];
  it.each(table)("%s → %s", (_name, text, path) => {
    const error = failure(() => json(text));
    expect(error.code).toBe(PolicyErrorCode.POLICY_FILE_INVALID);
    expect(error.path).toBe(path);
    expect(error.source).toBe("policy.json");
    expect(error.message.startsWith(`policy.json: ${path ? `${path}: ` : ""}`)).toBe(true);
  });

  it("syntax errors name the source", () => {
    const error = failure(() => json('{"sandbox": '));
    expect(error.path).toBe("");
    expect(error.message).toMatch(/^policy\.json: invalid JSON/);
    expect(failure(() => json("")).message).toMatch(/invalid JSON/);
  });

  it("duplicate keys are errors", () => {
    const error = failure(() =>
      json('{"sandbox": {"allowed_commands": ["cat"], "allowed_commands": ["sh"]}}'),
    );
    expect(error.message).toMatch(/invalid JSON: Map keys must be unique/);
  });

  it("several problems are all mentioned", () => {
    const error = failure(() => json('{"sandbox": {"max_args": -1, "max_arg_bytes": -1}}'));
    expect(error.path).toBe("sandbox.max_args");
    expect(error.message).toContain("sandbox.max_arg_bytes");
  });

  it("an unknown format is refused", () => {
    const error = failure(() => parsePolicyDocument("{}", { format: "toml" as "json", source: "p.toml" }));
    expect(error.message).toMatch(/unknown policy format/);
  });

  it("oversized text is refused before parsing", () => {
    const error = failure(() => json(`{"x": "${"a".repeat(1024 * 1024)}"}`));
    expect(error.message).toMatch(/larger than/);
  });
});

describe("error paths (YAML)", () => {
  const table: [string, string, string][] = [
    ["typo", "sandbox:\n  alowed_commands: [cat]\n", "sandbox.alowed_commands"],
    [
      "wrong item type",
      "sandbox:\n  allowed_commands:\n    - cat\n    - [ls]\n",
      "sandbox.allowed_commands[1]",
    ],
    ["YAML 1.1 boolean words stay strings", "sandbox:\n  enabled: yes\n", "sandbox.enabled"],
    ["bad host", "network:\n  http:\n    allowed_hosts: ['bad host']\n", "network.http.allowed_hosts[0]"],
    ["deterministic without a value", "timestamp:\n  mode: deterministic\n", "timestamp.timestamp_ms"],
    ["scalar root", "just text\n", ""],
  ];
  it.each(table)("%s → %s", (_name, text, path) => {
    const error = failure(() => yaml(text));
    expect(error.path).toBe(path);
    expect(error.source).toBe("policy.yaml");
  });

  it("duplicate keys are errors (a second value must not silently win)", () => {
    const error = failure(() => yaml("sandbox:\n  enabled: true\n  enabled: false\n"));
    expect(error.message).toMatch(/invalid YAML/);
  });

  it("custom tags are errors, not warnings", () => {
    expect(failure(() => yaml("sandbox: !custom {}\n")).message).toMatch(/invalid YAML/);
  });

  it("syntax errors name the source", () => {
    expect(failure(() => yaml("sandbox: [unclosed\n")).message).toMatch(/^policy\.yaml: invalid YAML/);
  });

  it("alias bombs are refused", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(
        `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
      );
    }
    expect(() => yaml(lines.join("\n"))).toThrow();
  });
});
