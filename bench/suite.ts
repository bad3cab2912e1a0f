/** A benchmark suite: prints its own table of figures and ratios against a baseline measured in the same run. */
export interface BenchSuite {
  /** Short name; `pnpm bench <name>` runs only this suite. */
  readonly name: string;
  run(): Promise<void>;
}
