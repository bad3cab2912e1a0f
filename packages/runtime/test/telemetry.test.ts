// Host calls get a span that is a child of the instance's span, on the runtime's tracer.
import {
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { loadFixture } from "@platform-wasm/guest-fixtures";
import { afterAll, expect, it } from "vitest";
import { TRACER_NAME, WasmRuntime } from "../src/index.js";
import { testRegistrar } from "./helpers.js";

interface Recorded {
  readonly tracer: string;
  readonly name: string;
  readonly spanId: string;
  readonly parentId: string | undefined;
  ended: boolean;
}

const recorded: Recorded[] = [];
let nextId = 1;

const provider: TracerProvider = {
  getTracer(tracerName: string): Tracer {
    const startSpan = (name: string, _options?: SpanOptions, ctx?: Context): Span => {
      const spanId = (nextId++).toString(16).padStart(16, "0");
      const entry: Recorded = {
        tracer: tracerName,
        name,
        spanId,
        parentId: ctx === undefined ? undefined : trace.getSpan(ctx)?.spanContext().spanId,
        ended: false,
      };
      recorded.push(entry);
      const span = trace.wrapSpanContext({ traceId: "0".repeat(31) + "1", spanId, traceFlags: 1 });
      return Object.assign(Object.create(span) as Span, {
        end: () => {
          entry.ended = true;
        },
      });
    };
    return { startSpan, startActiveSpan: (() => undefined) as unknown as Tracer["startActiveSpan"] };
  },
};

trace.setGlobalTracerProvider(provider);

afterAll(() => {
  trace.disable();
});

it("records an instance span and a child span per host call", async () => {
  const runtime = new WasmRuntime({ workerPoolSize: 1 });
  try {
    const module = await runtime.compileModule(loadFixture("rt-host"));
    const instance = await runtime.instantiate(module, { challengeId: "otel" }, [testRegistrar()]);
    expect(await instance.callExport("loop", 3)).toBe(3);
    expect(instance.stats().hostCalls["test_ns.ping"]).toBe(3);
    await instance.dispose();
  } finally {
    await runtime.close();
  }
  const ours = recorded.filter((r) => r.tracer === TRACER_NAME);
  const root = ours.find((r) => r.name === "wasm.instance");
  expect(root?.ended).toBe(true);
  const calls = ours.filter((r) => r.name === "test_ns.ping");
  expect(calls).toHaveLength(3);
  for (const c of calls) {
    expect(c.parentId).toBe(root?.spanId);
    expect(c.ended).toBe(true);
  }
});
