export const USAGE = 'usage: npm run bench -- [--quick] [--only measure,...] [--runs N] [--out path.md] | --render';

export interface BenchArguments {
  help: boolean;
  /** A tenth of the sizes (the registry's history a hundredth). */
  quick: boolean;
  /** Rewrite the table from the last results, measuring nothing. */
  render: boolean;
  runs: number;
  /** The measures to run; null: all of them. */
  only: string[] | null;
  /** Where the table goes (the results beside it, `.json`); null: bench/RESULTS.md. */
  out: string | null;
}

const VALUED = new Set(['--only', '--runs', '--out']);
const FLAGS = new Set(['--quick', '--render', '--help']);

/**
 * The runner's arguments, or what is wrong with them: an unknown option, a missing value, a number of
 * runs that is not a positive integer. A mistyped option must not start an hour of measuring.
 */
export const parseBenchArguments = (argv: readonly string[]): BenchArguments | { problem: string } => {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (FLAGS.has(arg)) flags.add(arg);
    else if (VALUED.has(arg)) {
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('--')) return { problem: `${arg} needs a value` };
      values.set(arg, value);
      index += 1;
    } else return { problem: `unknown argument "${arg}"` };
  }
  const runs = Number(values.get('--runs') ?? 3);
  if (!Number.isInteger(runs) || runs < 1)
    return { problem: `--runs must be a positive integer, got "${values.get('--runs')}"` };
  const only = values.get('--only');
  return {
    help: flags.has('--help'),
    quick: flags.has('--quick'),
    render: flags.has('--render'),
    runs,
    only: only === undefined ? null : only.split(',').filter(Boolean),
    out: values.get('--out') ?? null,
  };
};

/**
 * What the table holds after some of this run's measures. A previous result stays, with its own date,
 * until this run has measured the same plan again, or has measured every size of its measure it is
 * going to: a run cut short between two sizes of one measure keeps the other size's old figures.
 */
export const mergeResults = <T extends { plan: { measure: string; label: string } }>(
  previous: readonly T[],
  fresh: readonly T[],
  measuresStillToRun: ReadonlySet<string> = new Set(),
): T[] => {
  const labelsMeasured = new Set(fresh.map((entry) => entry.plan.label));
  const measuresDone = new Set(
    fresh.map((entry) => entry.plan.measure).filter((measure) => !measuresStillToRun.has(measure)),
  );
  const stale = (entry: T) => labelsMeasured.has(entry.plan.label) || measuresDone.has(entry.plan.measure);
  return [...previous.filter((entry) => !stale(entry)), ...fresh];
};
