import type { ConnectionOptions } from "node:tls";
import type { HttpTarget } from "@platform-wasm/policy";
import type { Client, Dispatcher } from "undici";
import { ConnectionPool, type PooledClient } from "./connectionPool.js";
import { denied } from "./failure.js";
import { pinnedConnector } from "./pinnedConnector.js";
import { headerBytes } from "./requestChecks.js";
import { loadUndici } from "./undici.js";

/** One HTTP exchange to one vetted target. */
export interface HopRequest {
  readonly target: HttpTarget;
  /** Addresses checked against the policy; the only ones that may be dialled. */
  readonly addresses: readonly string[];
  readonly isAllowed: (ip: string) => boolean;
  /** Uppercase method. */
  readonly method: Dispatcher.HttpMethod;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | undefined;
  readonly maxResponseBytes: number;
  readonly maxHeaderBytes: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly ca: ConnectionOptions["ca"] | undefined;
  /** The instance's kept-alive connections; absent → the connection is used for this hop only. */
  readonly pool?: ConnectionPool;
}

/** What one hop returned. */
export interface HopResponse {
  readonly status: number;
  /** Lowercase names; repeated headers joined with `", "`. */
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
  /** Address the connection went to. */
  readonly peer: string | undefined;
}

/** Lowercase, single-valued header map (duplicates joined with `", "`, RFC 9110 §5.3). */
export function toHeaderMap(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return { ...out };
}

async function readCapped(
  body: AsyncIterable<Uint8Array>,
  cap: number,
  destroy: () => void,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > cap) {
      // Stop the stream now: a server that streams forever must not keep the socket or memory busy.
      destroy();
      throw denied({ LimitExceeded: `response body too large: exceeded ${cap} bytes` });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Sends one request over a pinned connection and reads the response within the caps. With `pool`, the
 * connection is kept alive for the instance's next request to the same origin and addresses; without
 * it, the connection is used once. No transparent decompression either way.
 * @throws NetworkFailure - for limit violations; other errors propagate for the caller to classify.
 */
export async function sendHop(hop: HopRequest): Promise<HopResponse> {
  const key = ConnectionPool.keyOf(hop.target.url.origin, hop.addresses);
  let entry = hop.pool?.take(key);
  let kept = entry !== undefined;
  if (entry === undefined) {
    entry = await openClient(hop, hop.pool !== undefined);
    kept = hop.pool?.keep(key, entry) ?? false;
  }
  const { client } = entry;
  try {
    const response = await client.request({
      path: `${hop.target.url.pathname}${hop.target.url.search}`,
      method: hop.method,
      headers: { ...hop.headers },
      ...(hop.body === undefined ? {} : { body: hop.body }),
      signal: hop.signal,
      headersTimeout: hop.timeoutMs,
      bodyTimeout: hop.timeoutMs,
    });
    // undici turns every early destroy into an "aborted" error event: swallow it, the caller already
    // knows why the body is being dropped.
    const destroy = () => {
      response.body.on("error", () => undefined);
      response.body.destroy();
    };
    try {
      const headers = toHeaderMap(response.headers);
      const size = headerBytes(headers);
      if (size > hop.maxHeaderBytes) {
        throw denied({ LimitExceeded: `response headers too large: ${size} > ${hop.maxHeaderBytes}` });
      }
      const declared = Number(headers["content-length"]);
      if (Number.isFinite(declared) && declared > hop.maxResponseBytes) {
        throw denied({
          LimitExceeded: `response body too large: ${declared} > ${hop.maxResponseBytes} bytes`,
        });
      }
      // HEAD answers carry no body (the parser knows); reading the empty stream completes the request.
      const body = await readCapped(response.body, hop.maxResponseBytes, destroy);
      // Complete exchange: a pooled connection stays open; a one-shot one closes gracefully.
      if (!kept) client.close().catch(() => undefined);
      return { status: response.statusCode, headers, body, peer: entry.peer };
    } catch (error) {
      destroy();
      throw error;
    }
  } catch (error) {
    // Anything else tears the socket down at once (a half-read response leaves nothing reusable).
    if (kept) hop.pool!.discard(key, entry);
    else client.destroy().catch(() => undefined);
    throw error;
  }
}

/** A client whose every connection goes through the pinned connector. */
async function openClient(hop: HopRequest, keepAlive: boolean): Promise<PooledClient> {
  const { Client, buildConnector } = await loadUndici();
  const connector = pinnedConnector(
    {
      addresses: hop.addresses,
      servername: hop.target.ip === undefined ? hop.target.host : undefined,
      isAllowed: hop.isAllowed,
      connectTimeoutMs: hop.timeoutMs,
      ca: hop.ca,
    },
    buildConnector,
  );
  const entry: { client?: Client; peer: string | undefined } = { peer: undefined };
  const client = new Client(hop.target.url.origin, {
    connect: (options, callback) =>
      connector(options, (error, socket) => {
        if (socket) entry.peer = socket.remoteAddress;
        if (error) callback(error, null);
        else callback(null, socket!);
      }),
    // The parser's own cap bounds memory; the exact ABI limit is checked on the parsed map.
    maxHeaderSize: Math.max(1024, hop.maxHeaderBytes * 2 + 1024),
    pipelining: 1,
    // Idle pooled sockets close on their own well before a typical server's 5 s keep-alive ends.
    keepAliveTimeout: keepAlive ? KEEP_ALIVE_MS : 1,
    keepAliveMaxTimeout: keepAlive ? KEEP_ALIVE_MS : 1,
  });
  entry.client = client;
  return entry as PooledClient;
}

/** How long an idle pooled connection stays open. */
const KEEP_ALIVE_MS = 4000;
