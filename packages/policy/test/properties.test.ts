import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DnsRecordType, SandboxExecRequest } from "@platform-wasm/wire";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  analyzeAddress,
  classifyAddress,
  defaultSandboxPolicy,
  developmentNetworkPolicy,
  isPolicyFileError,
  isPrivateAddress,
  parsePolicyDocument,
  strictNetworkPolicy,
  validateNetworkPolicy,
  validateSandboxPolicy,
} from "../src/index.js";
import { makeSandboxTree, type SandboxTree } from "./sandboxTree.js";

let tree: SandboxTree;
beforeAll(() => {
  tree = makeSandboxTree();
});
afterAll(() => tree.cleanup());

/** Strings biased toward the characters that matter to parsers: separators, dots, NUL, unicode. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(..."az09./:@%[]\\-_* \t\n\0xé"), maxLength: 40 }),
  fc.constantFrom("", ".", "..", "/", "\0", "ls", "/bin/ls", "..\\..", "x".repeat(5000)),
);

const anyValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.object(),
);

const sandbox = () =>
  validateSandboxPolicy({
    ...defaultSandboxPolicy(),
    allowedCommands: ["ls", "cat", "del"],
    blockedCommands: ["rm"],
    searchPath: [tree.bin],
    workingDirectory: tree.jail,
    environmentWhitelist: ["LANG", "PATH"],
  });

const network = [
  validateNetworkPolicy(strictNetworkPolicy(["*.example.com", "93.184.216.34"])),
  validateNetworkPolicy(developmentNetworkPolicy()),
  validateNetworkPolicy({
    ...strictNetworkPolicy(["example.com"]),
    allowedIpRanges: ["8.8.8.0/24", "2001:db8::/32"],
  }),
];

const urlLike = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  hostileString.map((s) => `https://${s}/`),
  hostileString.map((s) => `http://${s}:443/`),
  fc.ipV4().map((ip) => `https://${ip}/`),
  fc.ipV4Extended().map((ip) => `https://${ip}/`),
  fc.ipV6().map((ip) => `https://[${ip}]/`),
  hostileString,
);

const ipLike = fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.ipV6(), hostileString);
const recordType = fc.oneof(
  fc.constantFrom<DnsRecordType>("a", "aaaa", "cname", "txt"),
  hostileString as fc.Arbitrary<DnsRecordType>,
);

describe("properties: no check throws, and decisions are deterministic", () => {
  it("sandbox checks are total and deterministic", () => {
    const s = sandbox();
    fc.assert(
      fc.property(hostileString, fc.option(hostileString, { nil: undefined }), (command, cwd) => {
        const a = s.resolveCommand(command);
        expect(s.resolveCommand(command)).toEqual(a);
        const w = s.resolveWorkingDirectory(cwd);
        expect(s.resolveWorkingDirectory(cwd)).toEqual(w);
        if (w.allowed) expect(w.value.startsWith(tree.jail)).toBe(true);
        if (a.allowed) expect(a.value.startsWith("/")).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("checkExecRequest never throws on arbitrary shapes", () => {
    const s = sandbox();
    const requestLike = fc.oneof(
      anyValue,
      fc.record({
        command: anyValue,
        args: fc.oneof(fc.array(anyValue, { maxLength: 5 }), anyValue),
        env: fc.oneof(fc.dictionary(hostileString, anyValue, { maxKeys: 5 }), anyValue),
        stdin: fc.oneof(fc.uint8Array({ maxLength: 8 }), anyValue),
        working_directory: anyValue,
      }),
    );
    fc.assert(
      fc.property(requestLike, (req) => {
        const d = s.checkExecRequest(req as SandboxExecRequest);
        expect(s.checkExecRequest(req as SandboxExecRequest)).toEqual(d);
        if (d.allowed) {
          expect(d.value.env.PATH === undefined || d.value.env.PATH === tree.bin).toBe(true);
          expect(d.value.cwd.startsWith(tree.jail)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("filterEnvironment never passes PATH or a non-whitelisted key", () => {
    const s = sandbox();
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(hostileString, fc.constantFrom("PATH", "LANG", "HOME")), hostileString),
        (env) => {
          const out = s.filterEnvironment(env);
          for (const key of Object.keys(out)) expect(key).toBe("LANG");
        },
      ),
    );
  });

  it("network checks are total and deterministic", () => {
    fc.assert(
      fc.property(urlLike, ipLike, hostileString, recordType, (url, ip, host, type) => {
        for (const net of network) {
          const h = net.isHttpRequestAllowed(url);
          expect(net.isHttpRequestAllowed(url)).toEqual(h);
          const a = net.isAddressAllowed(ip);
          expect(net.isAddressAllowed(ip)).toEqual(a);
          const d = net.isDnsLookupAllowed(host, type);
          expect(net.isDnsLookupAllowed(host, type)).toEqual(d);
          net.checkHeaders({ [host]: host });
          net.checkRequestBody(host.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("an allowed IP-literal URL under blockPrivateRanges always targets a public address", () => {
    const strict = validateNetworkPolicy({ ...strictNetworkPolicy(["*"]), allowedIpRanges: [] });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.ipV4().map((ip) => `https://${ip}/`),
          fc.ipV4Extended().map((ip) => `https://${ip}/`),
          fc.ipV6().map((ip) => `https://[${ip}]/`),
        ),
        (url) => {
          const d = strict.isHttpRequestAllowed(url);
          if (d.allowed) {
            expect(d.value.ip).toBeDefined();
            expect(isPrivateAddress(d.value.ip ?? "")).toBe(false);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("IPv4-mapped, NAT64 and 6to4 forms classify like their IPv4 address", () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const expected = classifyAddress(ip);
        const [a, b, c, d] = ip.split(".").map(Number) as [number, number, number, number];
        const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
        expect(classifyAddress(`::ffff:${ip}`)).toBe(expected);
        expect(classifyAddress(`64:ff9b::${ip}`)).toBe(expected);
        expect(classifyAddress(`2002:${hex(a, b)}:${hex(c, d)}::1`)).toBe(expected);
        expect(analyzeAddress(`::ffff:${ip}`)?.embeddedIpv4).toBe(ip);
      }),
      { numRuns: 1000 },
    );
  });

  it("address parsing agrees with the WHATWG URL host parser (what undici connects to)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.ipV6()), (ip) => {
        const v6 = ip.includes(":");
        const whatwg = new URL(v6 ? `http://[${ip}]/` : `http://${ip}/`).hostname;
        expect(analyzeAddress(ip)?.canonical).toBe(v6 ? whatwg.slice(1, -1) : whatwg);
      }),
      { numRuns: 2000 },
    );
  });

  it("parsePolicyDocument throws only PolicyFileError", () => {
    const documentLike = fc.oneof(
      hostileString,
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify({ sandbox: v })),
      fc.jsonValue().map((v) => JSON.stringify({ network: { http: v } })),
    );
    fc.assert(
      fc.property(documentLike, fc.constantFrom<"json" | "yaml">("json", "yaml"), (text, format) => {
        try {
          parsePolicyDocument(text, { format, source: "prop" });
        } catch (error) {
          expect(isPolicyFileError(error)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("the package does no I/O beyond stat/realpath/readFile", () => {
  const FORBIDDEN = [
    "node:net",
    "node:dns",
    "node:http",
    "node:https",
    "node:tls",
    "node:dgram",
    "node:child_process",
    "node:worker_threads",
    "undici",
    "execa",
  ];
  const ALLOWED_NODE = new Set(["node:fs", "node:fs/promises", "node:path"]);

  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sources(path);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
    });
  }

  it("no source file imports sockets, DNS, HTTP or process APIs", () => {
    const files = sources(join(import.meta.dirname, "..", "src"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const specifiers = [...text.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1] ?? "");
      for (const specifier of specifiers) {
        expect(FORBIDDEN, `${file} imports ${specifier}`).not.toContain(specifier);
        if (specifier.startsWith("node:"))
          expect(ALLOWED_NODE.has(specifier), `${file} imports ${specifier}`).toBe(true);
      }
      expect(text).not.toMatch(/\brequire\(|import\(|process\.binding|console\./);
    }
  });
});
