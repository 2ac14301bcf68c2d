import { registryPageText } from '../../../../test/support/registry-page-fixtures.js';
import { SnapshotParseError } from '../errors.js';
import { parseVeevaPage } from './veeva.js';

const page003 = registryPageText('003_3bc531e48d6f61f9');

const errorCodeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof SnapshotParseError) return error.code;
    throw error;
  }
  throw new Error('expected a SnapshotParseError');
};

describe('ClinicalTrials.Veeva page (003)', () => {
  const facts = parseVeevaPage(page003);

  it('reads the values of the README table', () => {
    expect(facts).toMatchObject({
      nctId: 'NCT05292625',
      overallStatus: 'COMPLETED',
      phases: ['PHASE1', 'PHASE2'],
      enrollment: { count: 48, type: null },
      studyType: 'INTERVENTIONAL',
      startDate: null,
      primaryCompletionDate: null,
      completionDate: null,
      studyFirstPostDate: null,
      statusVerifiedDate: null,
      hasResults: null,
      leadSponsor: { name: 'Vinmec Research Institute of Stem Cell and Gene Technology', class: 'OTHER' },
    });
    expect(facts.design).toEqual({
      allocation: 'RANDOMIZED',
      interventionModel: 'PARALLEL',
      primaryPurpose: 'TREATMENT',
      masking: 'SINGLE',
      observationalModel: null,
      timePerspective: null,
    });
    expect(facts.eligibility).toMatchObject({
      minimumAge: '40 Years',
      maximumAge: '75 Years',
      sex: 'ALL',
      healthyVolunteers: false,
    });
  });

  it('has no last-update date: it stays unknown, for the snapshot to take the observation time', () => {
    expect(page003).not.toMatch(/updated|posted/i);
    expect(facts.lastUpdatePostDate).toBeNull();
    expect(facts.lastUpdateSubmitDate).toBeNull();
  });

  it('takes its own NCT ID from the identifiers, beside the sponsor identifier, in either order', () => {
    expect(page003).toContain('NCT05292625\nVinmecISC1809');
    expect(facts.nctId).toBe('NCT05292625');
    const swapped = page003.replace('NCT05292625\nVinmecISC1809', 'VinmecISC1809\nNCT05292625');
    expect(parseVeevaPage(swapped).nctId).toBe('NCT05292625');
  });

  it('reads the title, summary, conditions, treatments and patient groups', () => {
    expect(facts.briefTitle).toBe(
      'Stem Cell Infusion in the Treatment of Patients with Neurological Sequelae After Ischemic Stroke',
    );
    expect(facts.briefSummary).toMatch(/^This trial is to investigate the safety .* in Vietnam\.$/);
    expect(facts.conditions).toEqual(['Ischemic Stroke']);
    expect(facts.interventions).toEqual([
      { type: 'BIOLOGICAL', name: 'UC-MSC infusion via intravenous route' },
      { type: 'OTHER', name: 'standard stroke treatment and rehabilitation therapy' },
      { type: 'BIOLOGICAL', name: 'UC-MSC infusion via intrathecal route' },
    ]);
    expect(facts.armGroups).toEqual([
      { label: 'UC-MSC infusion via intravenous route', type: 'EXPERIMENTAL' },
      { label: 'UC-MSC infusion via intrathecal route', type: 'EXPERIMENTAL' },
      { label: 'control arm', type: 'OTHER' },
    ]);
  });

  it('leaves unknown what the page does not show: sites still loading, collaborators, outcomes', () => {
    expect(page003).toContain('Loading...');
    expect(facts.locations).toBeNull();
    expect(facts.collaborators).toBeNull();
    expect(facts.primaryOutcomes).toBeNull();
    expect(facts.secondaryOutcomes).toBeNull();
    expect(facts.officialTitle).toBeNull();
    expect(facts.acronym).toBeNull();
    // The central trial contacts are whom to ask, not the trial's officials.
    expect(facts.overallOfficials).toBeNull();
    expect(facts.references).toBeNull();
  });

  it('keeps the criteria, every bullet as the registry markdown bullet', () => {
    const criteria = facts.eligibility!.criteria!.split('\n');
    expect(criteria[0]).toBe('* Age: from 40 to 75 years.');
    expect(criteria).toContain('* No need for vasopressor drugs');
    expect(criteria).toContain('Exclusion Criteria:');
    expect(criteria.at(-1)).toBe('* Tracheostomy, coma, complete quadriplegia, vegetative.');
  });

  it('gives the sponsor no class when the funders are of several types', () => {
    const twoFunderTypes = page003.replace('Funder types\n\nOther\n', 'Funder types\n\nOther\nIndustry\n');
    expect(parseVeevaPage(twoFunderTypes).leadSponsor).toEqual({
      name: 'Vinmec Research Institute of Stem Cell and Gene Technology',
      class: null,
    });
  });

  it('leaves the groups unknown when fewer are found than the page announces', () => {
    const announced = page003.replace('48 participants in 3 patient groups', '48 participants in 4 patient groups');
    expect(parseVeevaPage(announced).armGroups).toBeNull();
  });
});

describe('Veeva page errors', () => {
  it('reports a Veeva page without an NCT ID', () => {
    expect(errorCodeOf(() => parseVeevaPage(page003.replace('NCT05292625\n', '')))).toBe('snapshot.missing-nct-id');
  });

  it('reports a text that is not a Veeva trial page', () => {
    expect(errorCodeOf(() => parseVeevaPage('ClinicalTrials.Veeva\nFind clinical trials near you'))).toBe(
      'snapshot.not-a-trial-record',
    );
  });
});
