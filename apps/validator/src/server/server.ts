import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { type Logger, SeverityNumber } from "@opentelemetry/api-logs";
import { httpStatusFor } from "../errorBody.js";
import { ValidatorError, ValidatorErrorCode } from "../errors.js";
import type { WasmChallengeExecutor } from "../executor/executor.js";
import { checkModuleName } from "../executor/modulePath.js";
import { failureBody, successBody } from "../result.js";
import { INSTRUMENTATION_SCOPE } from "../telemetry/instruments.js";
import { parseEvaluateRequest } from "./evaluateRequest.js";
import { BodyBudget, readBody } from "./requestBody.js";

/** Default request body limit: 16 MiB of input is about 21.4 MiB of base64, plus the envelope. */
export const DEFAULT_MAX_BODY_BYTES = 22 * 1024 * 1024;

/** Default bytes of request bodies held at once across all requests. */
export const DEFAULT_MAX_PENDING_BODY_BYTES = 256 * 1024 * 1024;

/** Options of {@link ValidatorServer}. */
export interface ValidatorServerOptions {
  /** The executor; it must have a `moduleDir` (client module names are confined to it). */
  readonly executor: WasmChallengeExecutor;
  /** Bind address. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Largest request body, bytes. Default {@link DEFAULT_MAX_BODY_BYTES}. */
  readonly maxBodyBytes?: number;
  /** Bytes of request bodies held at once across requests; beyond it 503 `SERVER_BUSY`. */
  readonly maxPendingBodyBytes?: number;
  /** Time allowed to receive a request's headers and body, ms. Default 30 000. */
  readonly requestTimeoutMs?: number;
  /** App logger (OpenTelemetry). */
  readonly logger?: Logger;
}

/**
 * The HTTP service of DESIGN.md: `POST /v1/evaluate` and `GET /healthz`, on `node:http`.
 *
 * Concurrency is bounded by the executor's runtime (`maxInstances` + `maxQueued`; beyond that the
 * runtime refuses with `OVER_CAPACITY`, answered 503). Guests run in worker threads with deadlines, so
 * a hostile module never blocks this thread. {@link close} drains: it stops accepting connections,
 * answers new requests on open connections with 503 `SHUTTING_DOWN`, and resolves once every in-flight
 * evaluation has answered.
 */
export class ValidatorServer {
  readonly #options: ValidatorServerOptions;
  readonly #server: Server;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #tracer = trace.getTracer(INSTRUMENTATION_SCOPE);
  readonly #bodyBudget: BodyBudget;
  #draining = false;
  #closed: Promise<void> | undefined;

  /** @param options - see {@link ValidatorServerOptions}. */
  constructor(options: ValidatorServerOptions) {
    if (options.executor.moduleDir === undefined) {
      // Without a module directory the executor treats names as operator paths: never expose that.
      throw new ValidatorError(
        ValidatorErrorCode.USAGE,
        "ValidatorServer needs an executor created with a moduleDir (client module names are confined to it)",
      );
    }
    this.#options = options;
    this.#bodyBudget = new BodyBudget(options.maxPendingBodyBytes ?? DEFAULT_MAX_PENDING_BODY_BYTES);
    this.#server = createServer({
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      headersTimeout: Math.min(options.requestTimeoutMs ?? 30_000, 10_000),
      maxHeaderSize: 16 * 1024,
    });
    this.#server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      const work = this.#handle(request, response).catch((error: unknown) => {
        // #handle answers every error itself; reaching here means writing the answer failed.
        this.#log(SeverityNumber.ERROR, "failed to answer a request", { "error.message": String(error) });
      });
      this.#inFlight.add(work);
      void work.finally(() => this.#inFlight.delete(work));
    });
    // A malformed request line or headers: answer 400 and drop the socket instead of crashing.
    this.#server.on("clientError", (_error, socket) => {
      if (socket.writable)
        socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      else socket.destroy();
    });
  }

  /** Number of requests being handled. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Starts listening.
   * @returns the bound address (with the real port when 0 was asked for).
   */
  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(this.#options.port ?? 8080, this.#options.host ?? "127.0.0.1", () => {
        this.#server.off("error", reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  /**
   * Drains and stops: no new connections, 503 for new requests, waits for in-flight requests, then
   * closes every connection. Idempotent. Does not close the executor (its owner does).
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#draining = true;
      const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
      this.#server.closeIdleConnections();
      while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
      this.#server.closeAllConnections();
      await stopped;
    })();
    return this.#closed;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://validator.invalid");
    if (this.#draining) {
      request.resume();
      return send(
        response,
        503,
        failureBody(new ValidatorError(ValidatorErrorCode.SHUTTING_DOWN, "the service is shutting down")),
        true,
      );
    }
    if (url.pathname === "/healthz") {
      if (request.method !== "GET" && request.method !== "HEAD")
        return this.#methodNotAllowed(request, response, "GET");
      request.resume();
      return send(response, 200, { ok: true, status: "serving", in_flight: this.#inFlight.size });
    }
    if (url.pathname === "/v1/evaluate") {
      if (request.method !== "POST") return this.#methodNotAllowed(request, response, "POST");
      return this.#traced(request, response, () => this.#evaluate(request, response));
    }
    request.resume();
    const error = new ValidatorError(
      ValidatorErrorCode.NOT_FOUND,
      `no route ${request.method ?? ""} ${url.pathname}`,
    );
    return send(response, 404, failureBody(error));
  }

  /**
   * Runs a request handler inside a SERVER span that continues the caller's trace (W3C `traceparent`),
   * so the evaluation span and the runtime's host-call spans join the client's trace.
   */
  #traced(request: IncomingMessage, response: ServerResponse, handle: () => Promise<void>): Promise<void> {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const route = new URL(request.url ?? "/", "http://validator.invalid").pathname;
    return this.#tracer.startActiveSpan(
      `${request.method ?? "GET"} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { "http.request.method": request.method ?? "", "http.route": route, "url.path": route },
      },
      parent,
      async (span) => {
        try {
          await handle();
        } finally {
          span.setAttribute("http.response.status_code", response.statusCode);
          if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
      },
    );
  }

  #methodNotAllowed(request: IncomingMessage, response: ServerResponse, allowed: string): void {
    request.resume();
    response.setHeader("Allow", allowed);
    const error = new ValidatorError(ValidatorErrorCode.METHOD_NOT_ALLOWED, `use ${allowed}`);
    send(response, 405, failureBody(error));
  }

  async #evaluate(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(request, this.#options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, this.#bodyBudget);
    } catch (error) {
      const failure = failureBody(error);
      // Closing the connection stops an oversized upload instead of reading it to the end.
      return send(response, httpStatusFor(failure.error.code), failure, true);
    }
    try {
      await this.#evaluateBody(body, response);
    } finally {
      this.#bodyBudget.release(body.byteLength);
    }
  }

  async #evaluateBody(body: Buffer, response: ServerResponse): Promise<void> {
    try {
      const parsed = parseEvaluateRequest(body);
      // Checked here too (the executor confines as well): a client name is never an operator path.
      checkModuleName(parsed.module);
      const result = await this.#options.executor.executeEvaluation(parsed.module, {
        input: parsed.input,
        ...(parsed.challengeId === undefined ? {} : { challengeId: parsed.challengeId }),
      });
      send(response, 200, successBody(result), this.#draining);
    } catch (error) {
      const failure = failureBody(error);
      const status = httpStatusFor(failure.error.code);
      if (status >= 500) {
        this.#log(SeverityNumber.WARN, "evaluation request failed", {
          "error.code": failure.error.code,
          "error.message": failure.error.message,
        });
      }
      send(response, status, failure, this.#draining);
    }
  }

  #log(severityNumber: SeverityNumber, body: string, attributes: Record<string, string>): void {
    this.#options.logger?.emit({
      severityNumber,
      severityText: SeverityNumber[severityNumber],
      body,
      attributes,
    });
  }
}

function send(response: ServerResponse, status: number, body: unknown, closeConnection = false): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...(closeConnection ? { Connection: "close" } : {}),
  });
  response.end(text);
}
