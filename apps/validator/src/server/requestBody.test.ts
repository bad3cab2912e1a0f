import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BodyBudget, readBody } from "./requestBody.js";

describe("BodyBudget", () => {
  it("reserves up to its limit and gives back", () => {
    const budget = new BodyBudget(10);
    expect(budget.tryTake(6)).toBe(true);
    expect(budget.tryTake(5)).toBe(false);
    budget.release(6);
    expect(budget.tryTake(10)).toBe(true);
    expect(budget.used).toBe(10);
  });
});

describe("readBody over loopback", () => {
  const budget = new BodyBudget(64);
  let port = 0;
  const server = createServer((req, res) => {
    readBody(req, 32, budget).then(
      (body) => {
        res.end(`ok ${body.byteLength} held ${budget.used}`);
        budget.release(body.byteLength);
      },
      (error: { code: string }) => {
        res.setHeader("Connection", "close");
        res.end(error.code);
      },
    );
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function post(body: string, headers: Record<string, string> = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", headers }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => (text += d));
        res.on("end", () => resolve(text));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  it("reads a body within the limit and holds it from the budget", async () => {
    expect(await post("x".repeat(20))).toBe("ok 20 held 20");
    expect(budget.used).toBe(0);
  });

  it("refuses a chunked body past the limit and a declared oversized length", async () => {
    expect(await post("x".repeat(40), { "transfer-encoding": "chunked" })).toBe("REQUEST_TOO_LARGE");
    expect(await post("x".repeat(40))).toBe("REQUEST_TOO_LARGE");
    expect(budget.used).toBe(0);
  });

  it("refuses with SERVER_BUSY when the shared budget is spent", async () => {
    expect(budget.tryTake(60)).toBe(true);
    expect(await post("x".repeat(20))).toBe("SERVER_BUSY");
    budget.release(60);
    expect(budget.used).toBe(0);
  });
});
