// Policy decision cost: each check of @platform-wasm/policy against the least work that could replace it
// (parsing the URL, realpath of the binary, recognising an IP, JSON.parse of the policy), measured in
// alternating short rounds in one process; the ratio is the median of per-round ratios.
import { realpathSync } from "node:fs";
import { isIP } from "node:net";
import {
  defaultSandboxPolicy,
  parsePolicyDocument,
  strictNetworkPolicy,
  validateNetworkPolicy,
  validateSandboxPolicy,
} from "@platform-wasm/policy";
import type { BenchSuite } from "../suite.js";

const ROUNDS = 11;
const ROUND_MS = 100;

let sink: unknown;

function opsPerSecond(fn: () => unknown, ms: number): number {
  let iterations = 0;
  let batch = 1;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < batch; i++) sink = fn();
    iterations += batch;
    if (batch < 1024) batch *= 2;
    elapsed = process.hrtime.bigint() - start;
  }
  return iterations / (Number(elapsed) / 1e9);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const strict = strictNetworkPolicy(["*.example.com", "api.github.com", "registry.npmjs.org"]);
const network = validateNetworkPolicy({
  ...strict,
  allowedIpRanges: ["93.184.216.0/24", "2606:2800::/32"],
  dnsPolicy: { ...strict.dnsPolicy, enabled: true, allowedHosts: ["*.example.com"] },
});
const sandbox = validateSandboxPolicy({
  ...defaultSandboxPolicy(),
  allowedCommands: ["cat", "ls", "wc", "grep", "sort"],
  blockedCommands: ["rm", "dd", "sh", "bash"],
});
const catPath = realpathSync.native("/bin/cat");
const policyText = JSON.stringify({
  sandbox: { allowed_commands: ["cat", "wc"], blocked_commands: ["rm"], max_execution_time_ms: 5000 },
  network: {
    allow_internet: true,
    http: { allowed_hosts: ["*.example.com"] },
    allowed_ip_ranges: ["10.0.0.0/8"],
  },
  timestamp: { mode: "deterministic", timestamp_ms: 1_700_000_000_000 },
  limits: { max_memory_bytes: 67_108_864, timeout_ms: 10_000, fuel: null },
});

interface Case {
  readonly name: string;
  readonly ours: () => unknown;
  readonly baseline: () => unknown;
  readonly baselineName: string;
}

const cases: Case[] = [
  {
    name: "isHttpRequestAllowed (subdomain pattern)",
    ours: () => network.isHttpRequestAllowed("https://api.example.com/v1/items?page=2"),
    baseline: () => new URL("https://api.example.com/v1/items?page=2"),
    baselineName: "new URL()",
  },
  {
    name: "isHttpRequestAllowed (IP literal, refused)",
    ours: () => network.isHttpRequestAllowed("http://0x7f.1/"),
    baseline: () => new URL("http://0x7f.1/"),
    baselineName: "new URL()",
  },
  {
    name: "isAddressAllowed (public IPv4 in range)",
    ours: () => network.isAddressAllowed("93.184.216.34"),
    baseline: () => isIP("93.184.216.34"),
    baselineName: "net.isIP()",
  },
  {
    name: "isAddressAllowed (IPv4-mapped metadata)",
    ours: () => network.isAddressAllowed("::ffff:169.254.169.254"),
    baseline: () => isIP("::ffff:169.254.169.254"),
    baselineName: "net.isIP()",
  },
  {
    name: "isDnsLookupAllowed",
    ours: () => network.isDnsLookupAllowed("api.example.com", "a"),
    baseline: () => new URL("http://api.example.com/").hostname,
    baselineName: "new URL().hostname",
  },
  {
    name: "resolveCommand (bare name, block list of 4)",
    ours: () => sandbox.resolveCommand("cat"),
    baseline: () => realpathSync.native(catPath),
    baselineName: "fs.realpathSync.native()",
  },
  {
    name: "parsePolicyDocument (JSON, validated)",
    ours: () => parsePolicyDocument(policyText, { format: "json", source: "bench" }),
    baseline: () => JSON.parse(policyText),
    baselineName: "JSON.parse()",
  },
];

const suite: BenchSuite = {
  name: "policy",
  async run() {
    const rows: string[] = [];
    for (const c of cases) {
      const ours: number[] = [];
      const base: number[] = [];
      const ratios: number[] = [];
      opsPerSecond(c.ours, 50);
      opsPerSecond(c.baseline, 50);
      for (let round = 0; round < ROUNDS; round++) {
        const o = opsPerSecond(c.ours, ROUND_MS);
        const b = opsPerSecond(c.baseline, ROUND_MS);
        ours.push(o);
        base.push(b);
        ratios.push(o / b);
      }
      const o = median(ours);
      rows.push(
        `| ${c.name} | ${Math.round(o).toLocaleString("en")} | ${(1e6 / o).toFixed(2)} | ${c.baselineName} ${Math.round(median(base)).toLocaleString("en")} | ${median(ratios).toFixed(2)} |`,
      );
    }
    console.log("| check | ops/s | µs/op | baseline ops/s | ratio |");
    console.log("|---|---:|---:|---|---:|");
    for (const row of rows) console.log(row);
    if (sink === Symbol.for("never")) console.log(sink);
  },
};

export default suite;
