// `pnpm bench` entry: registers tsx's TypeScript loader in THIS thread only (not via `--import`, which every
// worker thread would inherit), then runs run.ts. Workers of the hosts under test start as plain Node.
import { register } from "tsx/esm/api";

register();
await import("./run.ts");
