import type { ConnectionOptions } from "node:tls";
import {
  type NetworkPolicy,
  type ValidatedNetworkPolicy,
  validateNetworkPolicy,
} from "@platform-wasm/policy";
import type {
  HostCall,
  HostFunctionRegistrar,
  InstanceIdentity,
  RequestImport,
} from "@platform-wasm/runtime";
import {
  decodeDnsRequest,
  decodeHttpGetRequest,
  decodeHttpPostRequest,
  decodeHttpRequest,
  isWireDecodeError,
  Namespace,
  type NetworkError,
  NetworkImport,
  type WireResult,
} from "@platform-wasm/wire";
import { HostFunctionsError, HostFunctionsErrorCode } from "../errors.js";
import type { NetworkAuditLogger } from "./audit.js";
import { Auditor } from "./internal/auditor.js";
import type { CallScope, EngineContext } from "./internal/context.js";
import { runDnsResolve } from "./internal/dnsEngine.js";
import { errorText, NetworkFailure } from "./internal/failure.js";
import { runHttpRequest } from "./internal/httpEngine.js";
import { ledgerOf } from "./internal/ledger.js";
import { dnsRequestShape, httpGetShape, httpPostShape, httpRequestShape } from "./internal/requestShape.js";
import { createDnsResolver, type NetworkResolver } from "./resolver.js";
import { NetworkState } from "./state.js";

/** Request imports `platform_network` can provide (`take_result` is added by the runtime). */
export const NETWORK_IMPORT_NAMES = [
  NetworkImport.HttpRequest,
  NetworkImport.HttpGet,
  NetworkImport.HttpPost,
  NetworkImport.DnsResolve,
] as const;

/** One of {@link NETWORK_IMPORT_NAMES}. */
export type NetworkImportName = (typeof NETWORK_IMPORT_NAMES)[number];

/** Options of {@link NetworkHostFunctions}. */
export interface NetworkHostFunctionsOptions {
  /** Imports to provide (the reference's `new(enabled)`); default: all of them. */
  readonly enabled?: readonly NetworkImportName[];
  /** Receives audit entries while the policy's `audit.enabled` is on. */
  readonly auditLogger?: NetworkAuditLogger;
  /** Name resolution for `dns_resolve` and for HTTP hosts; default {@link createDnsResolver}`()`. */
  readonly resolver?: NetworkResolver;
  /** Extra TLS trust roots (PEM). Certificate and host name verification stay on regardless. */
  readonly tlsCa?: ConnectionOptions["ca"];
  /** Clock for audit timestamps and the DNS cache (Unix ms); default `Date.now`. */
  readonly now?: () => number;
}

type Runner<Request, Response> = (scope: CallScope, request: Request) => Promise<Response>;

/**
 * The `platform_network` registrar: `http_request`, `http_get`, `http_post` and `dns_resolve` under a
 * {@link NetworkPolicy}, validated once at construction. Every guest request is decoded, admitted
 * (switch, budget, sizes, headers, policy), performed with the host's own pinned resolution, and answered
 * with an `Ok`/`Err` envelope — a guest can never make a handler throw.
 * @example
 * ```ts
 * const network = NetworkHostFunctions.all(strictNetworkPolicy(["api.example.com"]), {
 *   auditLogger: { record: (entry) => audit.push(entry) },
 * });
 * const instance = await runtime.instantiate(module, { challengeId: "c1" }, [network]);
 * instance.stateOf(network).requestsMade;
 * ```
 */
export class NetworkHostFunctions implements HostFunctionRegistrar<NetworkState> {
  readonly namespace: string = Namespace.Network;
  readonly imports: readonly RequestImport<NetworkState>[];
  /** The policy as validated at construction. */
  readonly policy: ValidatedNetworkPolicy;
  readonly #context: EngineContext;
  readonly #auditLogger: NetworkAuditLogger | undefined;

  /**
   * @param policy - the network policy; validated here (throws `PolicyError` when invalid).
   * @param options - enabled imports, audit logger, resolver, TLS roots, clock.
   * @throws HostFunctionsError - `INVALID_OPTIONS` for an unknown or repeated import name.
   */
  constructor(policy: NetworkPolicy, options: NetworkHostFunctionsOptions = {}) {
    const enabled = options.enabled ?? NETWORK_IMPORT_NAMES;
    const seen = new Set<string>();
    for (const name of enabled) {
      if (!(NETWORK_IMPORT_NAMES as readonly string[]).includes(name)) {
        throw new HostFunctionsError(
          HostFunctionsErrorCode.INVALID_OPTIONS,
          `unknown platform_network import ${JSON.stringify(name)}; expected one of ${NETWORK_IMPORT_NAMES.join(", ")}`,
        );
      }
      if (seen.has(name)) {
        throw new HostFunctionsError(
          HostFunctionsErrorCode.INVALID_OPTIONS,
          `platform_network import ${name} listed twice`,
        );
      }
      seen.add(name);
    }
    this.policy = validateNetworkPolicy(policy);
    this.#auditLogger = options.auditLogger;
    this.#context = {
      policy: this.policy,
      resolver: options.resolver ?? createDnsResolver(),
      ca: options.tlsCa,
      now: options.now ?? Date.now,
    };
    const all: Record<NetworkImportName, RequestImport<NetworkState>> = {
      http_request: this.#requestImport(
        NetworkImport.HttpRequest,
        decodeHttpRequest,
        httpRequestShape,
        (scope, r) => runHttpRequest(this.#context, scope, r),
      ),
      http_get: this.#requestImport(NetworkImport.HttpGet, decodeHttpGetRequest, httpGetShape, (scope, r) =>
        runHttpRequest(this.#context, scope, r),
      ),
      http_post: this.#requestImport(
        NetworkImport.HttpPost,
        decodeHttpPostRequest,
        httpPostShape,
        (scope, r) => runHttpRequest(this.#context, scope, r),
      ),
      dns_resolve: this.#requestImport(
        NetworkImport.DnsResolve,
        decodeDnsRequest,
        dnsRequestShape,
        (scope, r) => runDnsResolve(this.#context, scope, r),
      ),
    };
    this.imports = NETWORK_IMPORT_NAMES.filter((name) => seen.has(name)).map((name) => all[name]);
  }

  /**
   * Every import enabled (the reference's `all()`).
   * @param policy - the network policy.
   * @param options - as for the constructor, without `enabled`.
   */
  static all(
    policy: NetworkPolicy,
    options: Omit<NetworkHostFunctionsOptions, "enabled"> = {},
  ): NetworkHostFunctions {
    return new NetworkHostFunctions(policy, { ...options, enabled: NETWORK_IMPORT_NAMES });
  }

  /** Fresh per-instance counters and DNS cache. */
  createState(instance: InstanceIdentity): NetworkState {
    return new NetworkState(instance);
  }

  #requestImport<Request, Response>(
    name: NetworkImportName,
    decode: (bytes: Uint8Array) => unknown,
    shape: (value: unknown) => Request,
    run: Runner<Request, Response>,
  ): RequestImport<NetworkState> {
    const fallback: NetworkError =
      name === NetworkImport.DnsResolve
        ? { DnsFailure: "internal host error" }
        : { HttpFailure: "internal host error" };
    return {
      kind: "request",
      name,
      handle: (bytes, call) => this.#handle(name, bytes, call, decode, shape, run, fallback),
    };
  }

  async #handle<Request, Response>(
    name: NetworkImportName,
    bytes: Uint8Array,
    call: HostCall<NetworkState>,
    decode: (bytes: Uint8Array) => unknown,
    shape: (value: unknown) => Request,
    run: Runner<Request, Response>,
    fallback: NetworkError,
  ): Promise<WireResult<Response, NetworkError>> {
    const span = call.span;
    span.setAttribute("platform_network.import", name);
    let auditor: Auditor | undefined;
    try {
      let decoded: unknown;
      try {
        decoded = decode(bytes);
      } catch (error) {
        const detail = isWireDecodeError(error) ? error.message : "malformed request";
        throw new NetworkFailure({ InvalidRequest: detail }, { cause: error });
      }
      const request = shape(decoded);
      const ledger = ledgerOf(call.state);
      if (ledger === undefined) throw new Error("platform_network call without a NetworkState");
      auditor = new Auditor(this.policy.policy.audit, this.#auditLogger, call.instance, this.#context.now);
      const result = await run({ ledger, auditor, signal: call.signal, span }, request);
      span.setAttribute("platform_network.outcome", "ok");
      return { Ok: result };
    } catch (error) {
      if (error instanceof NetworkFailure) {
        if (error.denial) {
          auditor?.denied(error.reason);
          span.addEvent("policy_denied", { reason: error.reason });
        }
        span.setAttribute("platform_network.outcome", outcomeOf(error.error));
        return { Err: error.error };
      }
      // Not reachable by guest input; kept so a host bug still answers the guest instead of throwing.
      span.recordException(error instanceof Error ? error : errorText(error));
      span.setAttribute("platform_network.outcome", "internal_error");
      return { Err: fallback };
    }
  }
}

function outcomeOf(error: NetworkError): string {
  return typeof error === "string" ? error : (Object.keys(error)[0] ?? "error");
}
