import type { DnsRequest, DnsResponse } from "@platform-wasm/wire";
import type { CallScope, EngineContext } from "./context.js";
import { startDeadline, untilAborted } from "./deadline.js";
import { denied, errorText, NetworkFailure } from "./failure.js";

function errorCode(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

function lookupFailure(error: unknown, host: string): NetworkFailure {
  switch (errorCode(error)) {
    case "ENOTFOUND":
      return new NetworkFailure({ DnsFailure: `${host}: name not found` }, { cause: error });
    case "ETIMEOUT":
      return new NetworkFailure("Timeout", { cause: error });
    case "ESERVFAIL":
      return new NetworkFailure({ DnsFailure: `${host}: server failure` }, { cause: error });
    case "ECONNREFUSED":
      return new NetworkFailure(
        { DnsFailure: `${host}: dns server refused the connection` },
        { cause: error },
      );
  }
  return new NetworkFailure({ DnsFailure: errorText(error) || `${host}: lookup failed` }, { cause: error });
}

/**
 * Address answers are checked like connection targets: blocked addresses are removed from the answer
 * (audited), and when nothing is left the lookup is refused — a guest must not learn internal addresses
 * through DNS any more than it may connect to them.
 */
function filterAddresses(
  ctx: EngineContext,
  scope: CallScope,
  host: string,
  records: readonly string[],
): string[] {
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const record of records) {
    const decision = ctx.policy.isAddressAllowed(record);
    if (decision.allowed) kept.push(decision.value);
    else dropped.push(record);
  }
  if (dropped.length > 0 && kept.length === 0) {
    throw denied(
      { PolicyViolation: `every address of ${host} is blocked by policy` },
      `dns answer for ${host} blocked: ${dropped.join(", ")}`,
    );
  }
  if (dropped.length > 0) {
    scope.auditor.denied(`dns answer for ${host}: removed blocked addresses ${dropped.join(", ")}`);
  }
  return kept;
}

/**
 * Runs one guest DNS lookup: switch, budget, policy (a refused name sends no query at all), cache,
 * query, address filtering. `timeoutMs` bounds the query.
 * @throws NetworkFailure - always, on any refusal or failure.
 */
export async function runDnsResolve(
  ctx: EngineContext,
  scope: CallScope,
  request: DnsRequest,
): Promise<DnsResponse> {
  const { allowInternet, dnsPolicy, limits } = ctx.policy.policy;
  if (!allowInternet) throw denied("NetworkDisabled", "dns_lookup denied: network disabled");
  const budget = ctx.policy.checkLookupBudget(scope.ledger.dnsLookups);
  if (!budget.allowed) throw denied(budget.error, budget.reason);
  const decision = ctx.policy.isDnsLookupAllowed(request.hostname, request.record_type);
  if (!decision.allowed) {
    throw denied(
      decision.error,
      `dns_lookup of ${request.hostname} (${request.record_type}) refused: ${decision.reason}`,
    );
  }
  const host = decision.value;
  // The budget counts admitted guest calls, cache hits included (the reference's accounting).
  scope.ledger.dnsLookups += 1;
  const key = `${request.record_type} ${host}`;
  const cached = scope.ledger.dnsCache.get(key);
  if (cached !== undefined) {
    if (cached.expiresAt > ctx.now()) return { records: [...cached.records] };
    scope.ledger.dnsCache.delete(key);
  }
  scope.auditor.lookup(host, request.record_type);
  scope.span.setAttribute("dns.question.name", host);
  const deadline = startDeadline(limits.timeoutMs, scope.signal);
  let answers: string[];
  try {
    answers = await untilAborted(
      ctx.resolver.resolve(host, request.record_type, deadline.signal),
      deadline.signal,
    );
  } catch (error) {
    if (deadline.expired()) throw new NetworkFailure("Timeout", { cause: error });
    if (scope.signal.aborted)
      throw new NetworkFailure({ DnsFailure: "lookup cancelled by the host" }, { cause: error });
    throw lookupFailure(error, host);
  } finally {
    deadline.dispose();
  }
  if (!Array.isArray(answers) || answers.some((r) => typeof r !== "string")) {
    throw new NetworkFailure({ DnsFailure: "resolver returned a malformed answer" });
  }
  const records =
    request.record_type === "a" || request.record_type === "aaaa"
      ? filterAddresses(ctx, scope, host, answers)
      : answers;
  if (records.length === 0) throw new NetworkFailure({ DnsFailure: "no records returned" });
  if (dnsPolicy.cacheTtlSecs > 0) {
    scope.ledger.dnsCache.set(key, {
      records: [...records],
      expiresAt: ctx.now() + dnsPolicy.cacheTtlSecs * 1000,
    });
  }
  return { records };
}
