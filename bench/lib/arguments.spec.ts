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
  const entry = (measure: string, measuredAt: string) => ({ plan: { measure }, measuredAt });

  it('keeps each measure’s previous figures until the run has measured it again', () => {
    const previous = [
      entry('first-load', 'old'),
      entry('first-load', 'old'),
      entry('projections', 'old'),
      entry('webhook-latency', 'old'),
    ];
    expect(mergeResults(previous, [])).toEqual(previous);
    expect(mergeResults(previous, [entry('first-load', 'new')])).toEqual([
      entry('projections', 'old'),
      entry('webhook-latency', 'old'),
      entry('first-load', 'new'),
    ]);
  });
});
