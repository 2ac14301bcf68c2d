import { trialRegistered, type TrialRegistered } from '../events/index.js';
import type { PartialDate } from '../shared/partial-date.js';
import {
  emptyFacts,
  type DateStruct,
  type DateType,
  type Location,
  type Outcome,
  type SnapshotSource,
  type TrialFacts,
  type TrialSnapshot,
} from '../snapshot/trial-snapshot.js';

/*
 * Builders of a trial's facts, events and snapshots for the domain specs: a complete recruiting
 * trial by default, with the fields a scenario is about overridden.
 */

export const NCT_ID = 'NCT01234567';

export const on = (date: PartialDate, type: DateType | null = null): DateStruct => ({ date, type });
export const actual = (date: PartialDate): DateStruct => on(date, 'ACTUAL');
export const estimated = (date: PartialDate): DateStruct => on(date, 'ESTIMATED');

export const anOutcome = (measure: string, timeFrame: string | null = null): Outcome => ({ measure, timeFrame });

export const aLocation = (overrides: Partial<Location> = {}): Location => ({
  facility: 'Mayo Clinic',
  city: 'Rochester',
  state: 'Minnesota',
  country: 'United States',
  status: 'RECRUITING',
  ...overrides,
});

/**
 * A recruiting interventional trial as the registry shows it: every field known, except those a
 * recruiting trial has no value for (why stopped, last known status, results first submitted or posted).
 */
export const aTrial = (overrides: Partial<TrialFacts> = {}): TrialFacts => ({
  ...emptyFacts(NCT_ID),
  briefTitle: 'Semaglutide in Adults With Obesity',
  officialTitle: 'A Randomised, Double-blind, Placebo-controlled Trial of Semaglutide in Adults With Obesity',
  acronym: 'STEP-X',
  briefSummary: 'This study looks at how much weight adults with obesity lose with semaglutide.',
  overallStatus: 'RECRUITING',
  statusVerifiedDate: '2024-04',
  startDate: actual('2023-03-01'),
  primaryCompletionDate: estimated('2025-06'),
  completionDate: estimated('2025-12'),
  studyFirstSubmitDate: '2023-01-10',
  studyFirstPostDate: actual('2023-01-18'),
  lastUpdateSubmitDate: '2024-04-02',
  lastUpdatePostDate: actual('2024-04-05'),
  hasResults: false,
  enrollment: { count: 300, type: 'ESTIMATED' },
  studyType: 'INTERVENTIONAL',
  phases: ['PHASE3'],
  design: {
    allocation: 'RANDOMIZED',
    interventionModel: 'PARALLEL',
    primaryPurpose: 'TREATMENT',
    masking: 'QUADRUPLE',
    observationalModel: null,
    timePerspective: null,
  },
  conditions: ['Obesity', 'Overweight'],
  keywords: ['GLP-1', 'weight loss'],
  interventions: [
    { type: 'DRUG', name: 'Semaglutide' },
    { type: 'DRUG', name: 'Placebo' },
  ],
  armGroups: [
    { label: 'Semaglutide 2.4 mg', type: 'EXPERIMENTAL' },
    { label: 'Placebo', type: 'PLACEBO_COMPARATOR' },
  ],
  primaryOutcomes: [anOutcome('Change in body weight', 'From baseline to week 68')],
  secondaryOutcomes: [anOutcome('Change in waist circumference', 'From baseline to week 68')],
  eligibility: {
    minimumAge: '18 Years',
    maximumAge: '75 Years',
    sex: 'ALL',
    healthyVolunteers: false,
    criteria: 'Inclusion Criteria:\n\n* BMI of 30 kg/m2 or more\n\nExclusion Criteria:\n\n* Diabetes',
  },
  leadSponsor: { name: 'Novo Nordisk A/S', class: 'INDUSTRY' },
  collaborators: [{ name: 'University of Copenhagen', class: 'OTHER' }],
  locations: [
    aLocation(),
    aLocation({ facility: 'Cleveland Clinic', city: 'Cleveland', state: 'Ohio', status: 'NOT_YET_RECRUITING' }),
  ],
  secondaryIds: [
    { id: 'NN9536-4999', type: 'ORG_STUDY_ID', domain: null },
    { id: '2022-500123-12-00', type: 'CTIS', domain: null },
  ],
  references: [
    {
      pmid: '33567185',
      type: 'BACKGROUND',
      citation: 'Wilding JPH, et al. Once-Weekly Semaglutide in Adults with Overweight or Obesity. N Engl J Med. 2021.',
    },
  ],
  overallOfficials: [{ name: 'Clinical Reporting Anchor', affiliation: 'Novo Nordisk A/S', role: 'STUDY_DIRECTOR' }],
  nctIdAliases: [],
  fdaRegulated: true,
  ...overrides,
});

/** The first event of a stream, registering the trial with `facts` (by default `aTrial()`). */
export const registered = (facts: TrialFacts = aTrial()): TrialRegistered => trialRegistered({ facts });

/** A trial of which nothing is known but what `overrides` say. */
export const anUnknownTrial = (overrides: Partial<TrialFacts> = {}): TrialFacts => ({
  ...emptyFacts(NCT_ID),
  ...overrides,
});

/** The facts as one snapshot of them, observed at `observedAt` (or as `source` says). */
export const aSnapshot = (facts: TrialFacts, source: Partial<SnapshotSource> = {}): TrialSnapshot => ({
  ...facts,
  source: {
    format: 'ctgov-api-v2-json',
    observedAt: '2024-06-01T00:00:00.000Z',
    contentSha256: '0'.repeat(64),
    definitive: [],
    ...source,
  },
});
