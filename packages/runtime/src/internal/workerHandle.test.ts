import { describe, expect, it } from "vitest";
import { W_TO_HOST } from "./protocol.js";
import { WorkerHandle } from "./workerHandle.js";

const entry = new URL("../../test/fixtures/lateNotifyWorker.mjs", import.meta.url);
const noCalls = async (): Promise<Uint8Array> => new Uint8Array(0);

describe("WorkerHandle", () => {
  it("ignores a late notify of the previous reply while it waits for the next one", async () => {
    const handle = new WorkerHandle(entry);
    try {
      const header = (handle as unknown as { readonly header: Int32Array }).header;
      expect(await handle.request({ op: "string", name: "fast" }, noCalls)).toMatchObject({
        ok: true,
        value: "fast",
      });
      const pending = handle.request({ op: "string", name: "slow" }, noCalls);
      // The worker increments W_TO_HOST and notifies in two steps; a thread preempted between them
      // delivers the first reply's notify while the host already waits for the second reply.
      setTimeout(() => Atomics.notify(header, W_TO_HOST), 50);
      expect(await pending).toMatchObject({ ok: true, value: "slow" });
      expect(handle.death).toBeUndefined();
    } finally {
      await handle.terminate();
    }
  });
});
