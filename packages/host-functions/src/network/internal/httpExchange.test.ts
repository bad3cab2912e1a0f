import { gzipSync } from "node:zlib";
import type { HttpTarget } from "@platform-wasm/policy";
import { afterEach, describe, expect, it } from "vitest";
import {
  reply,
  startHttpServer,
  TEST_TLS,
  type TestHttpServer,
} from "../../../test/network/support/httpServer.js";
import { NetworkFailure } from "./failure.js";
import { type HopRequest, sendHop, toHeaderMap } from "./httpExchange.js";

const servers: TestHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function target(url: string, ip?: string): HttpTarget {
  const parsed = new URL(url);
  return {
    url: parsed,
    scheme: parsed.protocol.slice(0, -1),
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: Number(parsed.port),
    ip,
  };
}

function hop(overrides: Partial<HopRequest> & Pick<HopRequest, "target" | "addresses">): HopRequest {
  return {
    isAllowed: () => true,
    method: "GET",
    headers: {},
    body: undefined,
    maxResponseBytes: 1024,
    maxHeaderBytes: 4096,
    timeoutMs: 2000,
    signal: new AbortController().signal,
    ca: undefined,
    ...overrides,
  };
}

describe("sendHop (pinned connection)", () => {
  it("dials the vetted address whatever name the URL carries, with the URL's Host header", async () => {
    const server = await startHttpServer(reply("pinned"));
    servers.push(server);
    const res = await sendHop(
      hop({ target: target(`http://never-resolved.test:${server.port}/p?q=1`), addresses: ["127.0.0.1"] }),
    );
    expect(res.status).toBe(200);
    expect(Buffer.from(res.body).toString()).toBe("pinned");
    expect(res.peer).toBe("127.0.0.1");
    expect(server.requests[0]?.headers.host).toBe(`never-resolved.test:${server.port}`);
    expect(server.requests[0]?.url).toBe("/p?q=1");
  });

  it("re-checks each address at connect time and never dials a refused one", async () => {
    const server = await startHttpServer(reply());
    servers.push(server);
    await expect(
      sendHop(
        hop({
          target: target(`http://x.test:${server.port}/`),
          addresses: ["127.0.0.1"],
          isAllowed: () => false,
        }),
      ),
    ).rejects.toMatchObject({ code: "EPOLICY" });
    expect(server.connections).toBe(0);
  });

  it("falls through to the next vetted address when one refuses the connection", async () => {
    const server = await startHttpServer(reply("second"), { host: "127.0.0.1" });
    servers.push(server);
    const idle = await startHttpServer(reply(), { host: "127.0.0.4" });
    await idle.close(); // a free port on 127.0.0.4: connection refused there
    const res = await sendHop(
      hop({ target: target(`http://x.test:${server.port}/`), addresses: ["127.0.0.4", "127.0.0.1"] }),
    );
    expect(Buffer.from(res.body).toString()).toBe("second");
  });

  it("joins repeated response headers and lowercases names", () => {
    expect(toHeaderMap({ "X-A": ["1", "2"], b: "3", c: undefined })).toEqual({ "x-a": "1, 2", b: "3" });
  });

  it("returns compressed bytes untouched (no transparent decompression)", async () => {
    const gz = gzipSync(Buffer.alloc(50_000, 0x61));
    const server = await startHttpServer((_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip" });
      res.end(gz);
    });
    servers.push(server);
    const res = await sendHop(
      hop({
        target: target(`${server.origin}/`, "127.0.0.1"),
        addresses: ["127.0.0.1"],
        maxResponseBytes: 1024,
      }),
    );
    expect(Buffer.from(res.body).equals(gz)).toBe(true);
  });

  it("cuts a response that streams forever at the cap", async () => {
    const server = await startHttpServer((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, 0x62);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    });
    servers.push(server);
    const error = await sendHop(
      hop({
        target: target(`${server.origin}/`, "127.0.0.1"),
        addresses: ["127.0.0.1"],
        maxResponseBytes: 100_000,
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkFailure);
    expect((error as NetworkFailure).error).toEqual({
      LimitExceeded: "response body too large: exceeded 100000 bytes",
    });
  });

  it("verifies TLS against the URL's host name while dialling the pinned address", async () => {
    const server = await startHttpServer(reply("secure"), { tls: true });
    servers.push(server);
    const ok = await sendHop(
      hop({
        target: target(`https://api.test:${server.port}/`),
        addresses: ["127.0.0.1"],
        ca: TEST_TLS.cert,
      }),
    );
    expect(Buffer.from(ok.body).toString()).toBe("secure");
    await expect(
      sendHop(
        hop({
          target: target(`https://wrong.test:${server.port}/`),
          addresses: ["127.0.0.1"],
          ca: TEST_TLS.cert,
        }),
      ),
    ).rejects.toMatchObject({ code: "ERR_TLS_CERT_ALTNAME_INVALID" });
    await expect(
      sendHop(hop({ target: target(`https://api.test:${server.port}/`), addresses: ["127.0.0.1"] })),
    ).rejects.toMatchObject({ code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
  });
});
