import { countTicks, PLOT_LEFT_PERCENT, PLOT_RIGHT_PERCENT, timeDomainOf, timeTicks, xPercent } from './scale.js';

const at = (iso: string) => Date.parse(iso);

describe('chart scales', () => {
  it('places times across the plot in percent, clamped to it', () => {
    const domain = { start: at('2016-01-01'), end: at('2026-01-01') };
    expect(xPercent(domain, domain.start)).toBe(PLOT_LEFT_PERCENT);
    expect(xPercent(domain, domain.end)).toBe(PLOT_RIGHT_PERCENT);
    expect(xPercent(domain, at('2021-01-01'))).toBeCloseTo(50, 0);
    expect(xPercent(domain, at('2010-01-01'))).toBe(PLOT_LEFT_PERCENT);
    expect(xPercent(domain, at('2030-01-01'))).toBe(PLOT_RIGHT_PERCENT);
  });

  it('spans from the first time to now, and widens a single instant', () => {
    expect(timeDomainOf([at('2016-06-14'), at('2017-06-16')], at('2026-01-15'))).toEqual({
      start: at('2016-06-14'),
      end: at('2026-01-15'),
    });
    const instant = timeDomainOf([], at('2026-01-15'));
    expect(instant.end - instant.start).toBe(60 * 86_400_000);
  });

  it('ticks whole years over long spans (at most six) and months over short ones (at most four)', () => {
    expect(timeTicks(at('2016-06-14'), at('2026-01-15')).map((tick) => tick.label)).toEqual([
      '2018',
      '2020',
      '2022',
      '2024',
      '2026',
    ]);
    expect(timeTicks(at('2015-01-10'), at('2026-01-15')).map((tick) => tick.label)).toEqual([
      '2016',
      '2018',
      '2020',
      '2022',
      '2024',
      '2026',
    ]);
    expect(timeTicks(at('2017-09-15'), at('2018-09-15')).map((tick) => tick.label)).toEqual([
      'Oct 2017',
      'Jan 2018',
      'Apr 2018',
      'Jul 2018',
    ]);
    expect(timeTicks(at('2018-01-01'), at('2018-03-01')).map((tick) => tick.label)).toEqual([
      'Jan 2018',
      'Feb 2018',
      'Mar 2018',
    ]);
  });

  it('ticks counts from zero in round steps', () => {
    expect(countTicks(1000).map((tick) => tick.label)).toEqual(['0', '500', '1,000']);
    expect(countTicks(194).map((tick) => tick.value)).toEqual([0, 50, 100, 150, 200]);
    expect(countTicks(0).map((tick) => tick.value)).toEqual([0, 1]);
    expect(countTicks(12_345).map((tick) => tick.value)).toEqual([0, 5000, 10_000, 15_000]);
  });
});
