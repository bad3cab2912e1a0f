/** A benchmark suite: prints its own table of figures and ratios against a baseline measured in the same run. */
export interface BenchSuite {
  readonly name: string;
  run(): Promise<void>;
}

/** Every suite, in the order `pnpm bench` runs them. Each suite's file adds itself here. */
export const suites: BenchSuite[] = [];
