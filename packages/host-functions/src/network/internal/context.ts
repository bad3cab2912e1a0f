import type { ConnectionOptions } from "node:tls";
import type { Span } from "@opentelemetry/api";
import type { ValidatedNetworkPolicy } from "@platform-wasm/policy";
import type { NetworkResolver } from "../resolver.js";
import type { Auditor } from "./auditor.js";
import type { Ledger } from "./ledger.js";

/** Registrar-wide settings shared by every call. */
export interface EngineContext {
  readonly policy: ValidatedNetworkPolicy;
  readonly resolver: NetworkResolver;
  readonly ca: ConnectionOptions["ca"] | undefined;
  readonly now: () => number;
}

/** One host call: its instance's ledger, auditor, cancellation and span. */
export interface CallScope {
  readonly ledger: Ledger;
  readonly auditor: Auditor;
  readonly signal: AbortSignal;
  readonly span: Span;
}
