import { readFixture } from './fixtures.js';

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Successive versions of one API v2 study (a modified copy of a fixture): version `i` was submitted
 * `i` days after 2016-01-01 and changes enrollment to `10 + i`; every 25th also changes the status.
 */
export const studyVersion = (i: number, nctId = 'NCT00973089'): string => {
  const study = JSON.parse(readFixture('ctgov-api-v2', 'NCT00973089.json'));
  const status = study.protocolSection.statusModule;
  study.protocolSection.identificationModule.nctId = nctId;
  status.lastUpdateSubmitDate = addDays('2016-01-01', i);
  status.lastUpdatePostDateStruct = { date: addDays('2016-01-02', i), type: 'ACTUAL' };
  status.overallStatus = Math.floor(i / 25) % 2 === 0 ? 'RECRUITING' : 'ACTIVE_NOT_RECRUITING';
  delete status.whyStopped;
  study.protocolSection.designModule.enrollmentInfo = { count: 10 + i, type: 'ESTIMATED' };
  return JSON.stringify(study);
};

/** The studyVersion number whose last update was posted `daysAgo` days before today (so inside a recent date window). */
export const versionPosted = (daysAgo: number): number =>
  Math.floor((Date.now() - Date.parse('2016-01-02T00:00:00Z')) / 86_400_000) - daysAgo;
