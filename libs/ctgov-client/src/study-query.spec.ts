import { InvalidNctIdError } from '@app/domain';
import { CtgovInvalidQueryError } from './errors.js';
import { studySearchParameters } from './study-query.js';

const nctIds = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => `NCT${String(90_000_001 + index).padStart(8, '0')}`);

describe('studySearchParameters', () => {
  it('splits IDs into requests of at most 100, canonical and without duplicates', () => {
    const requests = studySearchParameters({ nctIds: [...nctIds(250), ' nct90000001 '] });
    expect(requests.map((parameters) => parameters['filter.ids']!.split(',').length)).toEqual([100, 100, 50]);
    expect(requests.flatMap((parameters) => parameters['filter.ids']!.split(','))).toEqual(nctIds(250));
    expect(requests[0]).toMatchObject({ format: 'json', pageSize: '1000' });
  });

  it('makes no request at all for an empty list of IDs', () => {
    expect(studySearchParameters({ nctIds: [] })).toEqual([]);
  });

  it('asks for only the fields named, and refuses fields set through the search', () => {
    expect(studySearchParameters({ nctIds: nctIds(1), fields: ['NCTId'] })[0]).toMatchObject({ fields: 'NCTId' });
    expect(() => studySearchParameters({ nctIds: nctIds(1), fields: ['NCTId;drop'] })).toThrow(CtgovInvalidQueryError);
    expect(() => studySearchParameters({ search: { fields: 'NCTId' } })).toThrow(CtgovInvalidQueryError);
  });

  it('passes a search through as given, with the page size asked for', () => {
    expect(
      studySearchParameters({ search: { 'query.cond': 'asthma', 'filter.overallStatus': 'RECRUITING' }, pageSize: 50 }),
    ).toEqual([{ format: 'json', 'query.cond': 'asthma', 'filter.overallStatus': 'RECRUITING', pageSize: '50' }]);
  });

  it('turns lastUpdatePostedOnOrAfter into a date range, and-ed with an existing advanced filter', () => {
    expect(studySearchParameters({ nctIds: nctIds(1), lastUpdatePostedOnOrAfter: '2024-01-31' })[0]).toMatchObject({
      'filter.advanced': 'AREA[LastUpdatePostDate]RANGE[2024-01-31,MAX]',
    });
    const [combined] = studySearchParameters({
      search: { 'filter.advanced': 'AREA[Phase]PHASE2 OR AREA[Phase]PHASE3' },
      lastUpdatePostedOnOrAfter: '2024-01-31',
    });
    expect(combined!['filter.advanced']).toBe(
      '(AREA[Phase]PHASE2 OR AREA[Phase]PHASE3) AND AREA[LastUpdatePostDate]RANGE[2024-01-31,MAX]',
    );
    expect(studySearchParameters({ lastUpdatePostedOnOrAfter: '2024-01-31' })).toHaveLength(1);
  });

  it.each([
    [{ lastUpdatePostedOnOrAfter: '2024-02-30' }, /YYYY-MM-DD/],
    [{ lastUpdatePostedOnOrAfter: '31/01/2024' }, /YYYY-MM-DD/],
    [{ search: { 'query.cond': 'asthma' }, pageSize: 0 }, /pageSize must be/],
    [{ search: { 'query.cond': 'asthma' }, pageSize: 1_001 }, /pageSize must be/],
    [{ search: { pageToken: 'abc' } }, /pageToken is not allowed/],
    [{ search: { 'filter.ids': 'NCT00000001' } }, /use the nctIds option/],
    [{}, /whole registry/],
    [{ search: {} }, /whole registry/],
  ])('refuses %j', (query, message) => {
    expect(() => studySearchParameters(query)).toThrow(CtgovInvalidQueryError);
    expect(() => studySearchParameters(query)).toThrow(message);
  });

  it('refuses something that is not an NCT ID', () => {
    expect(() => studySearchParameters({ nctIds: ['NCT123'] })).toThrow(InvalidNctIdError);
  });
});
