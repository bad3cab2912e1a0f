import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";

/** A request a test server received. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
}

/** A loopback HTTP(S) server for tests. */
export interface TestHttpServer {
  readonly host: string;
  readonly port: number;
  /** `http://<host>:<port>` (or https). IPv6 hosts are bracketed. */
  readonly origin: string;
  /** Requests received, in order (body fully read before the handler runs). */
  readonly requests: SeenRequest[];
  /** TCP connections accepted — proof that something did, or did not, reach this server. */
  connections: number;
  /** Connections currently open. */
  readonly openSockets: number;
  close(): Promise<void>;
}

export type TestHandler = (request: SeenRequest, response: ServerResponse) => void;

/** Self-signed certificate for `api.test` (test fixture only; never trusted outside these tests). */
export const TEST_TLS = {
  cert: readFileSync(new URL("../fixtures/apiTest.cert.pem", import.meta.url)),
  key: readFileSync(new URL("../fixtures/apiTest.key.pem", import.meta.url)),
};

async function listen(server: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Starts an HTTP server on a loopback address (`127.0.0.1` by default; any of 127.0.0.0/8 or `::1`).
 * `port` 0 picks a free one; pass a port to share it across loopback addresses.
 */
export async function startHttpServer(
  handler: TestHandler,
  options: { host?: string; port?: number; tls?: boolean } = {},
): Promise<TestHttpServer> {
  const host = options.host ?? "127.0.0.1";
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(seen);
      handler(seen, res);
    });
  };
  const server: Server = options.tls ? createTlsServer(TEST_TLS, onRequest) : createServer(onRequest);
  const state = { connections: 0 };
  // Raw TCP accepts (TLS servers too): a refused handshake still counts as having reached the server.
  server.on("connection", (socket: Socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listen(server, host, options.port ?? 0);
  const bracketed = host.includes(":") ? `[${host}]` : host;
  return {
    host,
    port,
    origin: `${options.tls ? "https" : "http"}://${bracketed}:${port}`,
    requests,
    get connections() {
      return state.connections;
    },
    set connections(value: number) {
      state.connections = value;
    },
    get openSockets() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A handler answering 200 with `body` (default `"ok"`). */
export function reply(body = "ok", headers: Record<string, string | string[]> = {}): TestHandler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain", ...headers });
    res.end(body);
  };
}
