import { mergeResults, parseBenchArguments } from './arguments.js';

describe('the benchmark runner’s arguments', () => {
  it('reads the options, three runs of every measure by default', () => {
    expect(parseBenchArguments([])).toEqual({
      help: false,
      quick: false,
      render: false,
      runs: 3,
      only: null,
      out: null,
    });
    expect(
      parseBenchArguments(['--quick', '--only', 'first-load,projections', '--runs', '5', '--out', 'x/RESULTS.md']),
    ).toEqual({
      help: false,
      quick: true,
      render: false,
      runs: 5,
      only: ['first-load', 'projections'],
      out: 'x/RESULTS.md',
    });
    expect(parseBenchArguments(['--help'])).toMatchObject({ help: true });
  });

  it('refuses what it does not know rather than starting to measure', () => {
    expect(parseBenchArguments(['-h'])).toEqual({ problem: 'unknown argument "-h"' });
    expect(parseBenchArguments(['--quik'])).toEqual({ problem: 'unknown argument "--quik"' });
    expect(parseBenchArguments(['--only'])).toEqual({ problem: '--only needs a value' });
    expect(parseBenchArguments(['--only', '--quick'])).toEqual({ problem: '--only needs a value' });
    expect(parseBenchArguments(['--runs', 'many'])).toEqual({
      problem: '--runs must be a positive integer, got "many"',
    });
    expect(parseBenchArguments(['--runs', '0'])).toEqual({ problem: '--runs must be a positive integer, got "0"' });
  });
});

describe('the results a run writes', () => {
  const entry = (measure: string, size: number, measuredAt: string) => ({
    plan: { measure, label: `${measure}, ${size}` },
    measuredAt,
  });

  it('keeps each measure’s previous figures until the run has measured it again', () => {
    const previous = [
      entry('first-load', 10_000, 'old'),
      entry('first-load', 100_000, 'old'),
      entry('projections', 10_000, 'old'),
      entry('webhook-latency', 10, 'old'),
    ];
    expect(mergeResults(previous, [])).toEqual(previous);
    expect(mergeResults(previous, [entry('first-load', 10_000, 'new'), entry('first-load', 100_000, 'new')])).toEqual([
      entry('projections', 10_000, 'old'),
      entry('webhook-latency', 10, 'old'),
      entry('first-load', 10_000, 'new'),
      entry('first-load', 100_000, 'new'),
    ]);
  });

  it('keeps the old figures of a size not measured yet when a run stops between two sizes', () => {
    const previous = [entry('first-load', 10_000, 'old'), entry('first-load', 100_000, 'old')];
    expect(mergeResults(previous, [entry('first-load', 10_000, 'new')], new Set(['first-load']))).toEqual([
      entry('first-load', 100_000, 'old'),
      entry('first-load', 10_000, 'new'),
    ]);
  });

  it('drops the full-size figures once a quick run has measured every size of the measure', () => {
    const previous = [entry('first-load', 10_000, 'old'), entry('first-load', 100_000, 'old')];
    const quick = [entry('first-load', 1_000, 'new')];
    expect(mergeResults(previous, quick, new Set(['first-load']))).toEqual([...previous, ...quick]);
    expect(mergeResults(previous, [...quick, entry('first-load', 10_000, 'new')])).toEqual([
      ...quick,
      entry('first-load', 10_000, 'new'),
    ]);
  });
});
