/** Instrumentation scope name for spans this package starts. */
export const TRACER_NAME = "@platform-wasm/host-functions";
