import {
  classifyAddress,
  parsePolicyDocument,
  validateNetworkPolicy,
  validateSandboxPolicy,
} from "@platform-wasm/policy";

// A challenge's companion policy file (JSON or YAML, snake_case, every section optional).
const doc = parsePolicyDocument(
  `
sandbox:
  allowed_commands: [cat, wc]
  blocked_commands: [rm]
  working_directory: /tmp
network:
  allow_internet: true
  http:
    allowed_hosts: ["*.example.com"]
timestamp: { mode: deterministic, timestamp_ms: 1700000000000 }
`,
  { format: "yaml", source: "challenge.policy.yaml" },
);

const sandbox = validateSandboxPolicy(doc.sandbox);
console.log(sandbox.resolveCommand("wc")); // { allowed: true, value: "/usr/bin/wc" } (where wc lives)
console.log(sandbox.resolveCommand("sh")); // { allowed: false, error: { CommandNotAllowed: "sh" }, reason: … }
console.log(sandbox.resolveWorkingDirectory("../etc")); // { allowed: false, error: { PolicyViolation: … } }

const network = validateNetworkPolicy(doc.network);
console.log(network.isHttpRequestAllowed("https://api.example.com/v1").allowed); // true
console.log(network.isHttpRequestAllowed("https://example.com.evil.net/").allowed); // false
console.log(network.isHttpRequestAllowed("https://0x7f.1/").allowed); // false: 127.0.0.1, loopback
console.log(network.isAddressAllowed("::ffff:169.254.169.254")); // refused: cloud metadata endpoint
console.log(classifyAddress("64:ff9b::10.0.0.1")); // "private" (NAT64 of 10.0.0.1)
