import { context, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { HttpTarget } from "@platform-wasm/policy";
import type { HttpMethod, HttpRequest, HttpResponse } from "@platform-wasm/wire";
import type { Dispatcher } from "undici";
import { resolveVettedAddresses } from "./addresses.js";
import type { CallScope, EngineContext } from "./context.js";
import { type CallDeadline, startDeadline } from "./deadline.js";
import { denied, errorText, NetworkFailure } from "./failure.js";
import { type HopResponse, sendHop } from "./httpExchange.js";
import { checkHttpRequest } from "./requestChecks.js";
import { TRACER_NAME } from "./telemetry.js";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that must not follow a redirect to another origin (the fetch standard's list). */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];
/** Headers describing a body, dropped when a redirect turns the request into a body-less GET. */
const BODY_HEADERS = ["content-type", "content-encoding", "content-language", "content-location"];

/** Admission checks that cost nothing: master switch, budget, then the request itself. */
function admit(ctx: EngineContext, scope: CallScope, request: HttpRequest): HttpTarget {
  if (!ctx.policy.policy.allowInternet)
    throw denied("NetworkDisabled", "http_request denied: network disabled");
  const budget = ctx.policy.checkRequestBudget(scope.ledger.requestsMade);
  if (!budget.allowed) throw denied(budget.error, budget.reason);
  return checkHttpRequest(ctx.policy, request);
}

function errorCode(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

/** Maps anything thrown during an exchange to the ABI error the guest gets. */
function classify(error: unknown, deadline: CallDeadline, callSignal: AbortSignal): NetworkFailure {
  if (error instanceof NetworkFailure) return error;
  if (deadline.expired()) return new NetworkFailure("Timeout", { cause: error });
  if (callSignal.aborted)
    return new NetworkFailure({ HttpFailure: "request cancelled by the host" }, { cause: error });
  switch (errorCode(error)) {
    case "UND_ERR_CONNECT_TIMEOUT":
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return new NetworkFailure("Timeout", { cause: error });
    case "UND_ERR_HEADERS_OVERFLOW":
      return denied({ LimitExceeded: "response headers too large" });
    case "EPOLICY":
      return denied({ PolicyViolation: errorText(error) });
  }
  return new NetworkFailure({ HttpFailure: errorText(error) || "request failed" }, { cause: error });
}

/** The next hop of a redirect, or `undefined` when `response` is final. */
function nextHop(
  ctx: EngineContext,
  current: HttpTarget,
  response: HopResponse,
  redirects: number,
): HttpTarget | undefined {
  const { maxRedirects } = ctx.policy.policy.limits;
  // maxRedirects 0 means "do not follow": the guest receives the 3xx itself, as in the reference.
  if (maxRedirects === 0 || !REDIRECT_STATUSES.has(response.status)) return undefined;
  const location = response.headers.location;
  if (location === undefined) return undefined;
  if (redirects >= maxRedirects) {
    throw denied({ LimitExceeded: `too many redirects: more than ${maxRedirects}` });
  }
  let next: string;
  try {
    next = new URL(location, current.url).href;
  } catch {
    throw new NetworkFailure({ HttpFailure: `invalid redirect location ${JSON.stringify(location)}` });
  }
  const decision = ctx.policy.isHttpRequestAllowed(next);
  if (!decision.allowed) throw denied(decision.error, `redirect to ${next} refused: ${decision.reason}`);
  return decision.value;
}

interface HopState {
  method: HttpMethod;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

/** Rewrites method, body and headers for the next hop (RFC 9110 §15.4, fetch "HTTP-redirect fetch"). */
function rewriteForRedirect(state: HopState, status: number, from: HttpTarget, to: HttpTarget): HopState {
  let { method, body } = state;
  const headers = { ...state.headers };
  const toGet =
    (status === 303 && method !== "head") || ((status === 301 || status === 302) && method === "post");
  if (toGet) {
    method = "get";
    body = undefined;
    for (const name of Object.keys(headers)) {
      if (BODY_HEADERS.includes(name.toLowerCase())) delete headers[name];
    }
  }
  if (from.url.origin !== to.url.origin) {
    for (const name of Object.keys(headers)) {
      if (CREDENTIAL_HEADERS.includes(name.toLowerCase())) delete headers[name];
    }
  }
  return { method, headers, body };
}

/** A body is sent for methods that carry one, and for any method when the guest supplied bytes. */
function initialBody(request: HttpRequest): Uint8Array | undefined {
  if (request.body.byteLength > 0) return request.body;
  return request.method === "post" || request.method === "put" || request.method === "patch"
    ? request.body
    : undefined;
}

async function exchange(
  ctx: EngineContext,
  scope: CallScope,
  first: HttpTarget,
  request: HttpRequest,
  signal: AbortSignal,
): Promise<HttpResponse> {
  const { limits } = ctx.policy.policy;
  const tracer = trace.getTracer(TRACER_NAME);
  const parent = trace.setSpan(context.active(), scope.span);
  let target = first;
  let hop: HopState = { method: request.method, headers: { ...request.headers }, body: initialBody(request) };
  for (let redirects = 0; ; redirects++) {
    const span: Span = tracer.startSpan(
      `HTTP ${hop.method.toUpperCase()}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          "http.request.method": hop.method.toUpperCase(),
          "url.scheme": target.scheme,
          "server.address": target.host,
          "server.port": target.port,
          "http.request.resend_count": redirects,
        },
      },
      parent,
    );
    try {
      const addresses =
        target.ip !== undefined
          ? [target.ip]
          : await resolveVettedAddresses(ctx.policy, ctx.resolver, target.host, signal);
      scope.auditor.request(target.url.href, hop.method, hop.headers, hop.body ?? new Uint8Array(0));
      const response = await sendHop({
        target,
        addresses,
        isAllowed: (ip) => ctx.policy.isAddressAllowed(ip).allowed,
        method: hop.method.toUpperCase() as Dispatcher.HttpMethod,
        headers: hop.headers,
        body: hop.body,
        maxResponseBytes: limits.maxResponseBytes,
        maxHeaderBytes: limits.maxHeaderBytes,
        timeoutMs: limits.timeoutMs,
        signal,
        ca: ctx.ca,
        pool: scope.ledger.connections,
      });
      if (response.peer !== undefined) span.setAttribute("network.peer.address", response.peer);
      span.setAttribute("http.response.status_code", response.status);
      scope.auditor.response(target.url.href, response.status, response.headers, response.body);
      const next = nextHop(ctx, target, response, redirects);
      if (next === undefined) {
        scope.span.setAttribute("platform_network.redirects", redirects);
        return { status: response.status, headers: response.headers, body: response.body };
      }
      hop = rewriteForRedirect(hop, response.status, target, next);
      target = next;
    } catch (error) {
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof NetworkFailure ? error.reason : "failed",
      });
      throw error;
    } finally {
      span.end();
    }
  }
}

/**
 * Runs one guest HTTP request: admission (switch, budget, size, headers, URL), then hop by hop —
 * resolve once, check every address, connect only to a checked address, re-check each redirect.
 * `timeoutMs` bounds the whole exchange, redirects and name resolution included.
 * @throws NetworkFailure - always, on any refusal or failure.
 */
export async function runHttpRequest(
  ctx: EngineContext,
  scope: CallScope,
  request: HttpRequest,
): Promise<HttpResponse> {
  const first = admit(ctx, scope, request);
  scope.ledger.requestsMade += 1;
  // The instance's signal ends with the instance: its kept-alive connections must not outlive it.
  scope.ledger.connections.bindTo(scope.signal);
  const deadline = startDeadline(ctx.policy.policy.limits.timeoutMs, scope.signal);
  try {
    return await exchange(ctx, scope, first, request, deadline.signal);
  } catch (error) {
    throw classify(error, deadline, scope.signal);
  } finally {
    deadline.dispose();
  }
}
