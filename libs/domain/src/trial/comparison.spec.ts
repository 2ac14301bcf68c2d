import type { Intervention, Location, Outcome, Sponsor } from '../snapshot/trial-snapshot.js';
import { aLocation, anOutcome } from '../testing/trial-facts.js';
import {
  armGroupMatcher,
  criteriaKey,
  diffList,
  interventionMatcher,
  locationMatcher,
  officialMatcher,
  outcomeMatcher,
  personKey,
  referenceMatcher,
  samePerson,
  sameAge,
  sameCriteria,
  sameDate,
  sameEnum,
  sameSet,
  sameText,
  sponsorMatcher,
  stringMatcher,
  textKey,
} from './comparison.js';

describe('text identity', () => {
  it('collapses runs of whitespace and line wrapping into one space', () => {
    expect(textKey('Semaglutide  in adults\nwith\t\tobesity')).toBe('semaglutide in adults with obesity');
  });

  it('ignores surrounding whitespace and letter case', () => {
    expect(textKey('  Weight Loss \n')).toBe('weight loss');
  });

  it('drops markdown backslash escapes, so an escaped rendering is the same text', () => {
    expect(textKey('BMI \\>= 30 \\(kg/m2\\) \\*required\\*')).toBe('bmi >= 30 (kg/m2) *required*');
    expect(sameText('Phase 2\\-3 study', 'Phase 2-3 study')).toBe(true);
  });

  it('keeps a backslash that escapes nothing markdown knows', () => {
    expect(textKey('C:\\dose')).toBe('c:\\dose');
  });

  it('tells different words apart', () => {
    expect(sameText('Change in body weight', 'Change in body fat')).toBe(false);
  });

  it('gives the same identities however many texts were compared before, long texts included', () => {
    const texts = Array.from({ length: 40_000 }, (_, index) => `Site  ${index}\nof Boston`);
    const first = texts.map(textKey);
    const long = `${'Inclusion  Criteria '.repeat(40)}\n\\* BMI`;
    const longKey = textKey(long);
    expect(texts.map(textKey)).toEqual(first);
    expect(first[39_999]).toBe('site 39999 of boston');
    expect(textKey(long)).toBe(longKey);
    expect(longKey.endsWith('criteria * bmi')).toBe(true);
    expect(sameText('Site 7 of Boston', 'site 7  OF boston')).toBe(true);
    expect(sameText('Site 7 of Boston', 'Site 8 of Boston')).toBe(false);
  });
});

describe('criteria identity', () => {
  it('ignores the bullet style of a list item', () => {
    const asterisks = 'Inclusion Criteria:\n* BMI of 30 or more\n* Age 18 or over';
    expect(sameCriteria(asterisks, 'Inclusion Criteria:\n-  BMI of 30 or more\n- Age 18 or over')).toBe(true);
    expect(sameCriteria(asterisks, 'Inclusion Criteria:\n• BMI of 30 or more\n  · Age 18 or over')).toBe(true);
  });

  it('ignores a heading colon and the wrapping around items', () => {
    expect(
      sameCriteria('Inclusion Criteria:\n\n* BMI of 30 or more', 'Inclusion Criteria\n  - BMI of 30\n    or more'),
    ).toBe(true);
  });

  it('keeps a colon inside a value, such as a ratio', () => {
    expect(criteriaKey('randomised 1:1')).toBe('randomised 1:1');
    expect(sameCriteria('randomised 1:1', 'randomised 11')).toBe(false);
  });

  it('keeps a hyphen that is not a bullet (a negative number, a hyphen mid-line)', () => {
    expect(criteriaKey('-5 kg or less')).toBe('-5 kg or less');
    expect(criteriaKey('Type 2 - treated')).toBe('type 2 - treated');
  });

  it('tells a changed criterion apart', () => {
    expect(sameCriteria('* BMI of 30 or more', '* BMI of 27 or more')).toBe(false);
  });
});

describe('enum, date and set sameness', () => {
  it('enum values differ only by letter case across formats', () => {
    expect(sameEnum('Recruiting', 'RECRUITING')).toBe(true);
    expect(sameEnum('RECRUITING', 'COMPLETED')).toBe(false);
  });

  it('a date is the same when only one side says whether it is actual or estimated', () => {
    expect(sameDate({ date: '2025-06', type: 'ESTIMATED' }, { date: '2025-06', type: null })).toBe(true);
    expect(sameDate({ date: '2025-06', type: null }, { date: '2025-06', type: 'ACTUAL' })).toBe(true);
  });

  it('a date differs when both sides label it and disagree, or when the day differs', () => {
    expect(sameDate({ date: '2025-06', type: 'ESTIMATED' }, { date: '2025-06', type: 'ACTUAL' })).toBe(false);
    expect(sameDate({ date: '2025-06', type: null }, { date: '2025-07', type: null })).toBe(false);
  });

  it('a date given to the month is not the same as one given to the day', () => {
    expect(sameDate({ date: '2025-06', type: null }, { date: '2025-06-01', type: null })).toBe(false);
  });

  it('an age is its count and unit, whatever the plural or letter case a format printed', () => {
    expect(sameAge('1 Year', '1 Years')).toBe(true);
    expect(sameAge('18 years', '18 Years')).toBe(true);
    expect(sameAge('1 Year', '1 Month')).toBe(false);
    expect(sameAge('1 Year', '12 Years')).toBe(false);
    expect(sameAge('Adults', 'adults')).toBe(true);
  });

  it('sets ignore order, letter case and repeats', () => {
    expect(sameSet(['PHASE2', 'PHASE3'], ['phase3', 'Phase2', 'PHASE3'])).toBe(true);
    expect(sameSet(['PHASE2'], ['PHASE2', 'PHASE3'])).toBe(false);
    expect(sameSet([], [])).toBe(true);
  });
});

describe('diffList pairs two unordered lists', () => {
  it('an item in both lists, in any order, is matched, not added or removed', () => {
    const result = diffList(['Obesity', 'Overweight'], ['overweight', 'OBESITY'], stringMatcher);
    expect(result.added).toEqual([]);
    expect(result.removed).toEqual([]);
    expect(result.matched).toEqual([
      ['Overweight', 'overweight'],
      ['Obesity', 'OBESITY'],
    ]);
  });

  it('what only the next list has is added, what only the previous list had is removed', () => {
    const result = diffList(['Obesity', 'Overweight'], ['Obesity', 'Type 2 Diabetes'], stringMatcher);
    expect(result.added).toEqual(['Type 2 Diabetes']);
    expect(result.removed).toEqual(['Overweight']);
  });

  it('repeated items pair one to one', () => {
    const result = diffList(['Obesity', 'Obesity'], ['Obesity'], stringMatcher);
    expect(result.matched).toEqual([['Obesity', 'Obesity']]);
    expect(result.removed).toEqual(['Obesity']);
  });

  it('exact keys are paired before the loose match, so a vague item does not take an exact one’s partner', () => {
    const sixWeeks = anOutcome('Body weight', '6 weeks');
    const twelveWeeks = anOutcome('Body weight', '12 weeks');
    const vague = anOutcome('Body weight', null);
    const result = diffList([sixWeeks, twelveWeeks], [vague, anOutcome('body  weight', '6 Weeks')], outcomeMatcher);
    expect(result.added).toEqual([]);
    expect(result.removed).toEqual([]);
    expect(result.matched).toEqual([
      [sixWeeks, anOutcome('body  weight', '6 Weeks')],
      [twelveWeeks, vague],
    ]);
  });

  it('an item the loose match cannot place is added, and the previous one is removed', () => {
    const result = diffList(
      [anOutcome('Body weight', '68 weeks')],
      [anOutcome('Body weight', '52 weeks')],
      outcomeMatcher,
    );
    expect(result.added).toEqual([anOutcome('Body weight', '52 weeks')]);
    expect(result.removed).toEqual([anOutcome('Body weight', '68 weeks')]);
    expect(result.matched).toEqual([]);
  });

  it('pairs each item of an unchanged list with its own copy, repeats in order, and one changed field undoes that', () => {
    const sites = [aLocation({ city: 'Boston' }), aLocation({ city: 'Boston' }), aLocation({ city: 'Lyon' })];
    const copies = sites.map((site) => ({ ...site }));
    const result = diffList(sites, copies, locationMatcher);
    expect(result.matched).toHaveLength(3);
    result.matched.forEach(([previous, next], index) => {
      expect(previous).toBe(sites[index]);
      expect(next).toBe(copies[index]);
    });
    const moved = diffList(sites, [copies[0]!, copies[1]!, { ...copies[2]!, city: 'Paris' }], locationMatcher);
    expect(moved.matched).toHaveLength(2);
    expect(moved.added).toEqual([{ ...copies[2]!, city: 'Paris' }]);
    expect(moved.removed).toEqual([sites[2]]);
  });

  it('empty lists have nothing to pair', () => {
    expect(diffList([], [], stringMatcher)).toEqual({ added: [], removed: [], matched: [] });
  });
});

describe('outcome matching', () => {
  const weight = (timeFrame: string | null): Outcome => anOutcome('Change in body weight', timeFrame);

  it('an unknown time frame matches any time frame of the same measure', () => {
    expect(outcomeMatcher.matches(weight(null), weight('Week 68'))).toBe(true);
    expect(outcomeMatcher.matches(weight('Week 68'), weight(null))).toBe(true);
  });

  it('two known time frames must be the same text', () => {
    expect(outcomeMatcher.matches(weight('Week 68'), weight('week  68'))).toBe(true);
    expect(outcomeMatcher.matches(weight('Week 68'), weight('Week 52'))).toBe(false);
  });

  it('a different measure never matches, whatever the time frame', () => {
    expect(outcomeMatcher.matches(weight(null), anOutcome('Change in waist circumference', null))).toBe(false);
  });

  it('the exact key ignores case and whitespace but not an unknown time frame', () => {
    expect(outcomeMatcher.key(weight('Week 68'))).toBe(
      outcomeMatcher.key(anOutcome('change in body  weight', 'WEEK 68')),
    );
    expect(outcomeMatcher.key(weight(null))).not.toBe(outcomeMatcher.key(weight('Week 68')));
  });
});

describe('intervention, arm group and sponsor matching', () => {
  const drug = (type: string | null, name = 'Semaglutide'): Intervention => ({ type, name });
  const sponsor = (cls: string | null, name = 'Novo Nordisk A/S'): Sponsor => ({ name, class: cls });

  it('an unknown intervention type matches any type of the same name', () => {
    expect(interventionMatcher.matches(drug(null), drug('DRUG'))).toBe(true);
    expect(interventionMatcher.matches(drug('DRUG'), drug(null))).toBe(true);
  });

  it('intervention types compare without letter case; names without case or wrapping', () => {
    expect(interventionMatcher.matches(drug('Drug', 'semaglutide'), drug('DRUG'))).toBe(true);
    expect(interventionMatcher.matches(drug('DRUG'), drug('BIOLOGICAL'))).toBe(false);
    expect(interventionMatcher.matches(drug('DRUG'), drug('DRUG', 'Tirzepatide'))).toBe(false);
  });

  it('an unknown arm group type matches any type of the same label', () => {
    expect(
      armGroupMatcher.matches({ label: 'Placebo', type: null }, { label: 'placebo', type: 'PLACEBO_COMPARATOR' }),
    ).toBe(true);
    expect(
      armGroupMatcher.matches(
        { label: 'Placebo', type: 'SHAM_COMPARATOR' },
        { label: 'Placebo', type: 'PLACEBO_COMPARATOR' },
      ),
    ).toBe(false);
  });

  it('an unknown sponsor class matches any class of the same name', () => {
    expect(sponsorMatcher.matches(sponsor(null), sponsor('INDUSTRY'))).toBe(true);
    expect(sponsorMatcher.matches(sponsor('INDUSTRY'), sponsor('OTHER'))).toBe(false);
    expect(sponsorMatcher.matches(sponsor(null), sponsor(null, 'Eli Lilly and Company'))).toBe(false);
  });

  it("legacy XML's coarse OTHER matches the API v2 classes it covers, and those classes stay apart", () => {
    for (const fine of ['OTHER_GOV', 'NETWORK', 'INDIV', 'AMBIG', 'UNKNOWN', 'other']) {
      expect(sponsorMatcher.matches(sponsor('OTHER'), sponsor(fine))).toBe(true);
      expect(sponsorMatcher.matches(sponsor(fine), sponsor('OTHER'))).toBe(true);
    }
    expect(sponsorMatcher.matches(sponsor('OTHER_GOV'), sponsor('NETWORK'))).toBe(false);
    expect(sponsorMatcher.matches(sponsor('OTHER'), sponsor('NIH'))).toBe(false);
    expect(sponsorMatcher.matches(sponsor('OTHER'), sponsor('FED'))).toBe(false);
    expect(sponsorMatcher.matches(sponsor('FED'), sponsor('NIH'))).toBe(false);
  });
});

describe('location matching', () => {
  const site = (overrides: Partial<Location>): Location =>
    aLocation({ facility: null, city: null, state: null, country: null, ...overrides });

  it('the same site shown with fewer details matches: an unknown part matches anything', () => {
    expect(locationMatcher.matches(aLocation(), site({ facility: 'Mayo Clinic' }))).toBe(true);
    expect(locationMatcher.matches(aLocation(), site({ city: 'rochester', country: 'United States' }))).toBe(true);
  });

  it('a part known on both sides must agree', () => {
    expect(locationMatcher.matches(aLocation(), aLocation({ city: 'Phoenix', state: 'Arizona' }))).toBe(false);
  });

  it('needs at least one part known on both sides', () => {
    expect(locationMatcher.matches(site({ facility: 'Mayo Clinic' }), site({ city: 'Rochester' }))).toBe(false);
    expect(locationMatcher.matches(site({}), aLocation())).toBe(false);
  });

  it('the recruitment status is not part of a site’s identity', () => {
    expect(locationMatcher.matches(aLocation({ status: 'RECRUITING' }), aLocation({ status: 'COMPLETED' }))).toBe(true);
    expect(locationMatcher.key(aLocation({ status: 'RECRUITING' }))).toBe(
      locationMatcher.key(aLocation({ status: null })),
    );
  });

  it('the exact key ignores case and whitespace of every part', () => {
    expect(locationMatcher.key(aLocation())).toBe(
      locationMatcher.key(aLocation({ facility: 'MAYO  clinic', city: ' rochester', country: 'united states' })),
    );
  });
});

describe('official matching', () => {
  const official = (name: string) => ({ name, affiliation: null, role: 'PRINCIPAL_INVESTIGATOR' });

  it('reads a name without the degrees after it, dots as spaces, in lower case', () => {
    expect(personKey('Megan E.B. Clowse, M.D., M.P.H.')).toBe('megan e b clowse');
    expect(personKey('Emmanuel Mandonnet, MD, PhD')).toBe('emmanuel mandonnet');
    expect(personKey('Chen Hui-Sheng, Doctor')).toBe('chen hui-sheng');
  });

  it('keeps the part before the first comma and parts that are not degrees', () => {
    expect(personKey('Anna Do, MD')).toBe('anna do');
    expect(personKey('Smith, John')).toBe('smith, john');
    expect(samePerson('Smith, John', 'Smith, Jane')).toBe(false);
  });

  it('a name with or without middle initials is the same person; other initials or names are not', () => {
    expect(samePerson('John Smith, MD', 'John A. Smith, M.D.')).toBe(true);
    expect(samePerson('John Andrew Smith', 'John A Smith')).toBe(true);
    expect(samePerson('John A. Smith', 'John B. Smith')).toBe(false);
    expect(samePerson('John Smith', 'Jane Smith')).toBe(false);
    expect(samePerson('Medical Director', 'Medical Monitor Director')).toBe(false);
  });

  it('pairs each official with the same person when two share first and last names', () => {
    const before = [official('John A. Smith, MD'), official('John B. Smith, PhD')];
    const after = [official('John B Smith, Ph.D.'), official('John A Smith, M.D.')];
    const { added, removed, matched } = diffList(before, after, officialMatcher);
    expect([added, removed]).toEqual([[], []]);
    expect(matched.map(([a, b]) => [a.name, b.name])).toEqual([
      ['John B. Smith, PhD', 'John B Smith, Ph.D.'],
      ['John A. Smith, MD', 'John A Smith, M.D.'],
    ]);
  });
});

describe('reference matching', () => {
  const citation = 'Thompson V, Craig RG. Treatment of deep carious lesions. J Am Dent Assoc. 2008;139(6):705-12.';

  it('a PubMed ID written into the citation is the one given beside it', () => {
    const beside = { pmid: '18519994', type: 'BACKGROUND', citation };
    const within = { pmid: null, type: null, citation: `${citation} PMID: 18519994` };
    expect(referenceMatcher.matches(beside, within)).toBe(true);
    expect(referenceMatcher.matches(beside, { ...within, citation: `${citation} PMID: 18519995` })).toBe(false);
  });

  it('without PubMed IDs, a citation re-wrapped or escaped is the same paper, another citation is not', () => {
    const paper = { pmid: null, type: null, citation };
    expect(
      referenceMatcher.matches(paper, {
        ...paper,
        citation: citation.replace(' Treatment', '\n  Treatment').replace('705-12', '705\\-12'),
      }),
    ).toBe(true);
    expect(referenceMatcher.matches(paper, { ...paper, citation: citation.replace('2008', '2009') })).toBe(false);
  });
});
