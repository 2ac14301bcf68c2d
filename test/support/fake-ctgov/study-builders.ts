import { readFixture } from '../fixtures.js';
import { field, setField, type StudyDocument } from './study-document.js';

export interface FixtureChanges {
  nctId?: string;
  overallStatus?: string;
  lastUpdatePostDate?: string;
  lastUpdateSubmitDate?: string;
  enrollmentCount?: number;
  conditions?: string[];
  leadSponsor?: string;
}

const SYNTHETIC_FIXTURE = 'NCT00973089';
const STOPPED_STATUSES = new Set(['WITHDRAWN', 'TERMINATED', 'SUSPENDED']);
const fixtures = new Map<string, StudyDocument>();

/** A copy of a fixture in test/fixtures/ctgov-api-v2 with the given changes applied. */
export const studyFromFixture = (nctIdOfFixture: string, changes: FixtureChanges = {}): StudyDocument => {
  let fixture = fixtures.get(nctIdOfFixture);
  if (!fixture) {
    fixture = JSON.parse(readFixture('ctgov-api-v2', `${nctIdOfFixture}.json`)) as StudyDocument;
    fixtures.set(nctIdOfFixture, fixture);
  }
  const study = structuredClone(fixture);
  const status = ['protocolSection', 'statusModule'];
  if (changes.nctId !== undefined) {
    setField(study, ['protocolSection', 'identificationModule', 'nctId'], changes.nctId);
  }
  if (changes.overallStatus !== undefined) {
    setField(study, [...status, 'overallStatus'], changes.overallStatus);
    if (!STOPPED_STATUSES.has(changes.overallStatus)) {
      delete (field(study, ...status) as StudyDocument).whyStopped;
    }
  }
  if (changes.lastUpdatePostDate !== undefined) {
    setField(study, [...status, 'lastUpdatePostDateStruct'], { date: changes.lastUpdatePostDate, type: 'ACTUAL' });
  }
  if (changes.lastUpdateSubmitDate !== undefined) {
    setField(study, [...status, 'lastUpdateSubmitDate'], changes.lastUpdateSubmitDate);
  }
  if (changes.enrollmentCount !== undefined) {
    setField(study, ['protocolSection', 'designModule', 'enrollmentInfo', 'count'], changes.enrollmentCount);
  }
  if (changes.conditions !== undefined) {
    setField(study, ['protocolSection', 'conditionsModule', 'conditions'], [...changes.conditions]);
  }
  if (changes.leadSponsor !== undefined) {
    setField(study, ['protocolSection', 'sponsorCollaboratorsModule', 'leadSponsor', 'name'], changes.leadSponsor);
  }
  return study;
};

/** Copies of one fixture numbered NCT90000001, NCT90000002, ... (or from `firstNumber`). */
export const syntheticStudies = (
  count: number,
  options: { firstNumber?: number; condition?: string } = {},
): StudyDocument[] => {
  const firstNumber = options.firstNumber ?? 90_000_001;
  return Array.from({ length: count }, (_, index) =>
    studyFromFixture(SYNTHETIC_FIXTURE, {
      nctId: `NCT${String(firstNumber + index).padStart(8, '0')}`,
      ...(options.condition === undefined ? {} : { conditions: [options.condition] }),
    }),
  );
};
