#!/usr/bin/env node
// The `validator` executable: wires the process's streams into runCli and sets the exit status.
import { runCli } from "./cli/main.js";

const status = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // Lazy: process.stdin is only touched when an input of "-" is read.
  stdin: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() },
  env: process.env,
});
process.exitCode = status;
// Telemetry is flushed and the runtime stopped by now, so the process normally exits on its own. If a
// stray handle (e.g. a hung exporter socket) kept it alive, end it anyway; unref() lets a clean exit
// happen without waiting for this timer.
setTimeout(() => process.exit(status), 3_000).unref();
