import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { isIPv4, isIPv6 } from "node:net";

/** DNS record types this test server answers, with their wire codes. */
export const DnsType = { A: 1, CNAME: 5, TXT: 16, AAAA: 28 } as const;
export type DnsTypeName = keyof typeof DnsType;

/** One question the server received. */
export interface DnsQuestion {
  readonly name: string;
  readonly type: DnsTypeName | number;
}

/** One answer record. `data` is an address for A/AAAA, a name for CNAME, strings for TXT. */
export type DnsAnswer =
  | { readonly type: "A" | "AAAA"; readonly data: string; readonly ttl?: number }
  | { readonly type: "CNAME"; readonly data: string; readonly ttl?: number }
  | { readonly type: "TXT"; readonly data: readonly string[]; readonly ttl?: number };

/** What the handler decides for a question: answers, an error code, or silence (the client times out). */
export type DnsReply = readonly DnsAnswer[] | { readonly rcode: number } | "drop";

/** A tiny authoritative DNS server over UDP on loopback, for tests. */
export interface TestDnsServer {
  /** `127.0.0.1:<port>`, for `Resolver.setServers`. */
  readonly address: string;
  /** Every question received, in order. */
  readonly queries: DnsQuestion[];
  close(): Promise<void>;
}

const NXDOMAIN = 3;

function typeName(code: number): DnsTypeName | number {
  for (const [name, value] of Object.entries(DnsType)) if (value === code) return name as DnsTypeName;
  return code;
}

function readName(msg: Buffer, start: number): { name: string; end: number } {
  const labels: string[] = [];
  let offset = start;
  for (;;) {
    const len = msg[offset];
    if (len === undefined) throw new Error("truncated name");
    if (len === 0) return { name: labels.join("."), end: offset + 1 };
    labels.push(msg.subarray(offset + 1, offset + 1 + len).toString("latin1"));
    offset += 1 + len;
  }
}

function encodeName(name: string): Buffer {
  const parts = name
    .replace(/\.$/, "")
    .split(".")
    .filter((l) => l.length > 0)
    .map((l) => {
      const b = Buffer.from(l, "latin1");
      return Buffer.concat([Buffer.from([b.length]), b]);
    });
  return Buffer.concat([...parts, Buffer.from([0])]);
}

function encodeIpv6(address: string): Buffer {
  const [head = "", tail = ""] = address.includes("::") ? address.split("::") : [address, ""];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  const out = Buffer.alloc(16);
  for (const [i, g] of groups.entries()) out.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  return out;
}

function encodeRdata(answer: DnsAnswer): Buffer {
  switch (answer.type) {
    case "A":
      if (!isIPv4(answer.data)) throw new Error(`bad A ${answer.data}`);
      return Buffer.from(answer.data.split(".").map(Number));
    case "AAAA":
      if (!isIPv6(answer.data)) throw new Error(`bad AAAA ${answer.data}`);
      return encodeIpv6(answer.data);
    case "CNAME":
      return encodeName(answer.data);
    case "TXT":
      return Buffer.concat(
        answer.data.map((s) => {
          const b = Buffer.from(s, "utf8");
          return Buffer.concat([Buffer.from([b.length]), b]);
        }),
      );
  }
}

function buildResponse(query: Buffer, questionEnd: number, reply: DnsReply): Buffer {
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  const rd = (query[2] ?? 0) & 0x01;
  const rcode = Array.isArray(reply) ? 0 : (reply as { rcode: number }).rcode;
  header[2] = 0x80 | 0x04 | rd; // QR, AA, RD copied
  header[3] = 0x80 | (rcode & 0x0f); // RA, rcode
  header.writeUInt16BE(1, 4);
  const answers = Array.isArray(reply) ? (reply as readonly DnsAnswer[]) : [];
  header.writeUInt16BE(answers.length, 6);
  const question = query.subarray(12, questionEnd);
  const records = answers.map((answer) => {
    const rdata = encodeRdata(answer);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question name
    rr.writeUInt16BE(DnsType[answer.type], 2);
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(answer.ttl ?? 60, 6);
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, question, ...records]);
}

/**
 * Starts a DNS server on 127.0.0.1 (UDP, random port). `handler` answers each question; names are
 * given lowercase without the trailing dot. Unknown names answer NXDOMAIN when the handler returns
 * `undefined`.
 */
export async function startDnsServer(
  handler: (question: DnsQuestion) => DnsReply | undefined,
): Promise<TestDnsServer> {
  const socket: Socket = createSocket("udp4");
  const queries: DnsQuestion[] = [];
  socket.on("message", (msg: Buffer, rinfo: RemoteInfo) => {
    try {
      const { name, end } = readName(msg, 12);
      const type = typeName(msg.readUInt16BE(end));
      const question = { name: name.toLowerCase(), type };
      queries.push(question);
      const reply = handler(question) ?? { rcode: NXDOMAIN };
      if (reply === "drop") return;
      socket.send(buildResponse(msg, end + 4, reply), rinfo.port, rinfo.address);
    } catch {
      // A malformed query gets no answer, like a real server dropping garbage.
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => resolve());
  });
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
