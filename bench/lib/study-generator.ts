import { Random } from './random.js';

/*
 * Synthetic ClinicalTrials.gov API v2 study documents shaped like the fixtures: identification,
 * status with date structs, sponsors, conditions, design, arms and interventions, outcomes,
 * eligibility criteria, and locations with contacts. Sizes run from about 10 KB to about 100 KB,
 * most of them small, a few with hundreds of sites.
 */

type Study = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONDITIONS = [
  'Ischemic Stroke',
  'Atopic Dermatitis',
  'Type 2 Diabetes',
  'Breast Cancer',
  'Asthma',
  'Multiple Sclerosis',
  'Heart Failure',
  'Depression',
  'Rheumatoid Arthritis',
  'COVID-19',
  'Hypertension',
  'Lupus',
  'Obesity',
  'Parkinson Disease',
  'Chronic Kidney Disease',
];
const SPONSORS = [
  'Regeneron Pharmaceuticals',
  'Assistance Publique - Hôpitaux de Paris',
  'Duke University',
  'Hadassah Medical Organization',
  'Vinmec Research Institute',
  'Tehran University of Medical Sciences',
  'Novartis',
  'Pfizer',
  'National Cancer Institute (NCI)',
  'Mayo Clinic',
  'University of Oxford',
  'Karolinska Institutet',
];
const CITIES: [string, string, string][] = [
  ['Boston', 'Massachusetts', 'United States'],
  ['Paris', 'Ile-de-France', 'France'],
  ['Durham', 'North Carolina', 'United States'],
  ['Beijing', 'Beijing', 'China'],
  ['Hanoi', '', 'Vietnam'],
  ['Tehran', '', 'Iran'],
  ['Berlin', '', 'Germany'],
  ['Madrid', '', 'Spain'],
  ['Toronto', 'Ontario', 'Canada'],
  ['Sydney', 'New South Wales', 'Australia'],
  ['São Paulo', '', 'Brazil'],
  ['Osaka', '', 'Japan'],
];
const WORDS =
  'patients treatment efficacy safety randomized placebo dose outcome assessment baseline week month primary secondary endpoint adverse events quality life score change visit follow-up cohort participants clinical therapy intervention response rate progression survival biomarker analysis'.split(
    ' ',
  );
const PHASE_SETS = [['PHASE1'], ['PHASE2'], ['PHASE3'], ['PHASE1', 'PHASE2'], ['PHASE2', 'PHASE3'], ['PHASE4'], ['NA']];
export const STATUS_PATH = ['NOT_YET_RECRUITING', 'RECRUITING', 'ACTIVE_NOT_RECRUITING', 'COMPLETED'];

const sentence = (random: Random, words: number): string =>
  Array.from({ length: words }, () => random.pick(WORDS))
    .join(' ')
    .replace(/^./, (first) => first.toUpperCase()) + '.';
const paragraph = (random: Random, sentences: number): string =>
  Array.from({ length: sentences }, () => sentence(random, random.int(8, 20))).join(' ');
const isoDay = (day: number): string => new Date(Date.UTC(2018, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);

export const nctIdFor = (index: number): string => `NCT${String(10_000_000 + index).padStart(8, '0')}`;

/** Study `index`, as registered on simulated day `day`. The same index gives the same study. */
export const generateStudy = (index: number, seed = 42): Study => {
  const random = new Random(seed * 1_000_003 + index);
  const registeredDay = random.int(0, 2000);
  const phases = random.pick(PHASE_SETS);
  const siteCount = random.skewed(1, 260);
  const status = random.pick(STATUS_PATH.slice(0, 2));
  const arms = random.int(1, 4);
  return {
    protocolSection: {
      identificationModule: {
        nctId: nctIdFor(index),
        orgStudyIdInfo: { id: `ORG-${index}` },
        organization: { fullName: random.pick(SPONSORS), class: 'OTHER' },
        briefTitle: `${sentence(random, 8).slice(0, -1)} in ${random.pick(CONDITIONS)}`,
        officialTitle: sentence(random, 22),
      },
      statusModule: {
        statusVerifiedDate: isoDay(registeredDay).slice(0, 7),
        overallStatus: status,
        startDateStruct: { date: isoDay(registeredDay + 30), type: 'ESTIMATED' },
        primaryCompletionDateStruct: {
          date: isoDay(registeredDay + random.int(300, 900)).slice(0, 7),
          type: 'ESTIMATED',
        },
        completionDateStruct: { date: isoDay(registeredDay + random.int(900, 1400)).slice(0, 7), type: 'ESTIMATED' },
        studyFirstSubmitDate: isoDay(registeredDay),
        studyFirstPostDateStruct: { date: isoDay(registeredDay + 2), type: 'ACTUAL' },
        lastUpdateSubmitDate: isoDay(registeredDay),
        lastUpdatePostDateStruct: { date: isoDay(registeredDay + 2), type: 'ACTUAL' },
      },
      sponsorCollaboratorsModule: {
        leadSponsor: { name: random.pick(SPONSORS), class: random.pick(['OTHER', 'INDUSTRY', 'NIH']) },
        collaborators: random.chance(0.3) ? [{ name: random.pick(SPONSORS), class: 'INDUSTRY' }] : [],
      },
      descriptionModule: {
        briefSummary: paragraph(random, random.int(4, 10)),
        detailedDescription: paragraph(random, random.int(25, 60)),
      },
      conditionsModule: {
        conditions: [...new Set(Array.from({ length: random.int(1, 3) }, () => random.pick(CONDITIONS)))],
        keywords: [random.pick(WORDS), random.pick(WORDS)],
      },
      designModule: {
        studyType: 'INTERVENTIONAL',
        phases,
        designInfo: {
          allocation: arms > 1 ? 'RANDOMIZED' : 'NA',
          interventionModel: arms > 1 ? 'PARALLEL' : 'SINGLE_GROUP',
          primaryPurpose: 'TREATMENT',
          maskingInfo: { masking: random.pick(['NONE', 'DOUBLE', 'QUADRUPLE']) },
        },
        enrollmentInfo: { count: random.int(10, 2000), type: 'ESTIMATED' },
      },
      armsInterventionsModule: {
        armGroups: Array.from({ length: arms }, (_, arm) => ({
          label: `Arm ${arm + 1}`,
          type: arm === 0 ? 'EXPERIMENTAL' : 'PLACEBO_COMPARATOR',
          description: sentence(random, 15),
        })),
        interventions: Array.from({ length: arms }, (_, arm) => ({
          type: 'DRUG',
          name: arm === 0 ? `Compound ${index % 997}` : 'Placebo',
          description: sentence(random, 12),
        })),
      },
      outcomesModule: {
        primaryOutcomes: Array.from({ length: random.int(1, 3) }, () => ({
          measure: sentence(random, 10),
          description: sentence(random, 25),
          timeFrame: `Week ${random.int(4, 104)}`,
        })),
        secondaryOutcomes: Array.from({ length: random.int(0, 12) }, () => ({
          measure: sentence(random, 10),
          description: sentence(random, 25),
          timeFrame: `Week ${random.int(4, 104)}`,
        })),
      },
      eligibilityModule: {
        eligibilityCriteria: `Inclusion Criteria:\n\n${Array.from({ length: random.int(4, 15) }, () => `* ${sentence(random, random.int(8, 25))}`).join('\n')}\n\nExclusion Criteria:\n\n${Array.from({ length: random.int(4, 20) }, () => `* ${sentence(random, random.int(8, 25))}`).join('\n')}`,
        healthyVolunteers: false,
        sex: 'ALL',
        minimumAge: '18 Years',
        maximumAge: random.chance(0.5) ? `${random.int(50, 85)} Years` : undefined,
      },
      contactsLocationsModule: {
        locations: Array.from({ length: siteCount }, (_, site) => {
          const [city, state, country] = random.pick(CITIES);
          return {
            facility: `${random.pick(['University Hospital', 'Medical Center', 'Research Site', 'Clinic'])} ${site + 1} of ${city}`,
            status: status === 'RECRUITING' ? 'RECRUITING' : undefined,
            city,
            state: state || undefined,
            zip: String(random.int(10000, 99999)),
            country,
            contacts: [
              {
                name: `Investigator ${site}`,
                role: 'CONTACT',
                phone: `+1 555 ${random.int(1000000, 9999999)}`,
                email: `site${site}@example.org`,
              },
            ],
            geoPoint: { lat: random.next() * 180 - 90, lon: random.next() * 360 - 180 },
          };
        }),
      },
    },
    derivedSection: { miscInfoModule: { versionHolder: isoDay(registeredDay + 2) } },
    hasResults: false,
  };
};

/**
 * The registry's next version of a study, `day` days into the simulation: its status moves on,
 * enrollment is updated, the primary completion date slips, a site opens; and the last-update dates move.
 */
export const changeStudy = (study: Study, random: Random, day: number): Study => {
  // Copies only the objects it changes and shares the rest with `study`, which stays as it was: a
  // registry-sized study is about 30 KB, and a deep copy per version was most of the replay's generation.
  const { protocolSection } = study;
  const status = { ...protocolSection.statusModule };
  const next: Study = { ...study, protocolSection: { ...protocolSection, statusModule: status } };
  const lastUpdate = status.lastUpdateSubmitDate as string;
  const today = new Date(Math.max(Date.parse(lastUpdate) + 86_400_000, Date.UTC(2018, 0, 1) + day * 86_400_000))
    .toISOString()
    .slice(0, 10);
  const kind = random.int(0, 3);
  if (kind === 0 && status.overallStatus !== 'COMPLETED') {
    status.overallStatus = STATUS_PATH[Math.min(STATUS_PATH.length - 1, STATUS_PATH.indexOf(status.overallStatus) + 1)];
  } else if (kind === 1) {
    const design = protocolSection.designModule;
    next.protocolSection.designModule = {
      ...design,
      enrollmentInfo: { ...design.enrollmentInfo, count: design.enrollmentInfo.count + random.int(5, 120) },
    };
  } else if (kind === 2) {
    const [year, month] = (status.primaryCompletionDateStruct.date as string).split('-').map(Number) as [
      number,
      number,
    ];
    const slipped = new Date(Date.UTC(year, month - 1 + random.int(1, 6), 1));
    status.primaryCompletionDateStruct = { date: slipped.toISOString().slice(0, 7), type: 'ESTIMATED' };
  } else {
    const [city, state, country] = random.pick(CITIES);
    const sites = protocolSection.contactsLocationsModule;
    next.protocolSection.contactsLocationsModule = {
      ...sites,
      locations: [
        ...sites.locations,
        { facility: `New Site ${day} of ${city}`, city, state: state || undefined, country, status: 'RECRUITING' },
      ],
    };
  }
  status.lastUpdateSubmitDate = today;
  status.lastUpdatePostDateStruct = { date: today, type: 'ACTUAL' };
  return next;
};

/** An outcome edit: a primary outcome's time frame is reworded, or a secondary outcome added; `study` stays as it was. */
export const editOutcomes = (study: Study, random: Random): Study => {
  const outcomes = study.protocolSection.outcomesModule;
  const edited = random.int(0, outcomes.primaryOutcomes.length - 1);
  const next = (outcomesModule: object): Study => ({
    ...study,
    protocolSection: { ...study.protocolSection, outcomesModule },
  });
  if (outcomes.primaryOutcomes[edited] && random.next() < 0.6) {
    const timeFrame = `Week ${random.int(4, 104)}`;
    return next({
      ...outcomes,
      primaryOutcomes: outcomes.primaryOutcomes.map((outcome: object, index: number) =>
        index === edited ? { ...outcome, timeFrame } : outcome,
      ),
    });
  }
  return next({
    ...outcomes,
    secondaryOutcomes: [
      ...outcomes.secondaryOutcomes,
      { measure: `Added secondary outcome ${random.int(1, 999)}`, timeFrame: `Month ${random.int(1, 36)}` },
    ],
  });
};
