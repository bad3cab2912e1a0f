import type { Context, Counter } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";

/** Network outcomes that mean the policy refused the call (as set on host-call spans). */
const NETWORK_DENIALS: ReadonlySet<string> = new Set(["PolicyViolation", "NetworkDisabled"]);

/**
 * Counts policy denials from the host-call spans the host functions end: `platform_sandbox` marks a
 * refused command with `sandbox.decision = "denied"`, `platform_network` a refused request with
 * `platform_network.outcome = "PolicyViolation" | "NetworkDisabled"`. Reading the spans keeps the count
 * in one place for both namespaces without the app re-deciding anything the policy package owns.
 */
export class DenialSpanProcessor implements SpanProcessor {
  readonly #denials: Counter;

  /** @param denials - the `validator.policy.denials` counter. */
  constructor(denials: Counter) {
    this.#denials = denials;
  }

  /** Nothing to do when a span starts. */
  onStart(_span: Span, _parentContext: Context): void {}

  /** Counts the span when it records a denial. */
  onEnd(span: ReadableSpan): void {
    const attributes = span.attributes;
    if (attributes["sandbox.decision"] === "denied") {
      this.#denials.add(1, { namespace: "platform_sandbox" });
      return;
    }
    const outcome = attributes["platform_network.outcome"];
    if (typeof outcome === "string" && NETWORK_DENIALS.has(outcome)) {
      this.#denials.add(1, { namespace: "platform_network" });
    }
  }

  /** Nothing buffered. */
  async forceFlush(): Promise<void> {}

  /** Nothing to release. */
  async shutdown(): Promise<void> {}
}
