// Serves the reference document for the reference-fetch example on http://127.0.0.1:8787/reference.json
// (the URL built into the challenge and allowed by reference-fetch.policy.json). Loopback only.
// Usage: node examples/reference-fetch/scripts/serveReference.mjs [value]
import { createServer } from "node:http";

const value = Number(process.argv[2] ?? "250");
// Padding makes the document larger than the SDK's 4 KiB initial response buffer, so every fetch also
// exercises the `take_result` path.
const body = JSON.stringify({ value, source: "reference-fetch demo", notes: "-".repeat(8192) });

const server = createServer((request, response) => {
  if (request.url !== "/reference.json") {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "content-type": "application/json" }).end(body);
});
server.listen(8787, "127.0.0.1", () => {
  console.log(`reference value ${value} on http://127.0.0.1:8787/reference.json (Ctrl-C to stop)`);
});
