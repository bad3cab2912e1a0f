import type { ConnectionOptions } from "node:tls";
import type { HttpTarget } from "@platform-wasm/policy";
import type { Dispatcher } from "undici";
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
 * Sends one request over a fresh, pinned connection (no keep-alive, no pooling across calls, no
 * transparent decompression) and reads the response within the caps.
 * @throws NetworkFailure - for limit violations; other errors propagate for the caller to classify.
 */
export async function sendHop(hop: HopRequest): Promise<HopResponse> {
  const { Client, buildConnector } = await loadUndici();
  let peer: string | undefined;
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
  const client = new Client(hop.target.url.origin, {
    connect: (options, callback) =>
      connector(options, (error, socket) => {
        if (socket) peer = socket.remoteAddress;
        if (error) callback(error, null);
        else callback(null, socket!);
      }),
    // The parser's own cap bounds memory; the exact ABI limit is checked on the parsed map below.
    maxHeaderSize: Math.max(1024, hop.maxHeaderBytes * 2 + 1024),
    headersTimeout: hop.timeoutMs,
    bodyTimeout: hop.timeoutMs,
    pipelining: 1,
    keepAliveTimeout: 1,
  });
  try {
    const response = await client.request({
      path: `${hop.target.url.pathname}${hop.target.url.search}`,
      method: hop.method,
      headers: { ...hop.headers },
      ...(hop.body === undefined ? {} : { body: hop.body }),
      signal: hop.signal,
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
      // Complete exchange: a graceful close (no error objects, no waiting for the close event).
      client.close().catch(() => undefined);
      return { status: response.statusCode, headers, body, peer };
    } catch (error) {
      destroy();
      throw error;
    }
  } catch (error) {
    // Anything else tears the socket down at once; the promise only reports the close event.
    client.destroy().catch(() => undefined);
    throw error;
  }
}
