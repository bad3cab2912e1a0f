import type { HttpTarget, ValidatedNetworkPolicy } from "@platform-wasm/policy";
import type { HttpRequest } from "@platform-wasm/wire";
import { denied, NetworkFailure } from "./failure.js";

/**
 * Request headers a guest may not set: they frame the message or steer the connection, which the host
 * owns (request smuggling, connection reuse, proxy tricks). Refused rather than silently dropped, so a
 * guest learns why its request did not go out. `proxy-*` is matched by prefix.
 */
export const FORBIDDEN_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "connection",
  "transfer-encoding",
  "content-length",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
]);

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible Latin-1 plus space and tab; no CR, LF or NUL (header injection). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Size of a header map as the reference counts it: the sum of name and value lengths (UTF-8 bytes).
 * @param headers - the header map.
 * @returns total bytes.
 */
export function headerBytes(headers: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(headers)) {
    total += Buffer.byteLength(name, "utf8") + Buffer.byteLength(value, "utf8");
  }
  return total;
}

/**
 * Checks a guest's headers: total size within `maxHeaderBytes` (the policy's rule), names and values well
 * formed, no host-owned header. Returns the failure, or `undefined` when the headers may be sent.
 */
export function checkRequestHeaders(
  policy: ValidatedNetworkPolicy,
  headers: Readonly<Record<string, string>>,
): NetworkFailure | undefined {
  const size = policy.checkHeaders({ ...headers });
  if (!size.allowed) return denied(size.error, size.reason);
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      return new NetworkFailure({ InvalidRequest: `invalid header name ${JSON.stringify(name)}` });
    }
    if (!HEADER_VALUE.test(value)) {
      return new NetworkFailure({ InvalidRequest: `invalid value for header ${JSON.stringify(name)}` });
    }
    const lower = name.toLowerCase();
    if (FORBIDDEN_REQUEST_HEADERS.has(lower) || lower.startsWith("proxy-")) {
      return denied({ PolicyViolation: `header ${JSON.stringify(lower)} is set by the host, not the guest` });
    }
  }
  return undefined;
}

/**
 * Everything the host checks before it resolves or connects (the reference's `validate_http_request`):
 * body size, headers, then the URL against the whole HTTP policy.
 * @returns the vetted first-hop target.
 * @throws NetworkFailure - with the `NetworkError` for the guest.
 */
export function checkHttpRequest(policy: ValidatedNetworkPolicy, request: HttpRequest): HttpTarget {
  const body = policy.checkRequestBody(request.body.byteLength);
  if (!body.allowed) throw denied(body.error, body.reason);
  const headerFailure = checkRequestHeaders(policy, request.headers);
  if (headerFailure) throw headerFailure;
  const decision = policy.isHttpRequestAllowed(request.url);
  if (!decision.allowed) throw denied(decision.error, `${request.url} refused: ${decision.reason}`);
  return decision.value;
}
