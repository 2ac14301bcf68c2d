import type {
  DateStruct,
  Design,
  Eligibility,
  Enrollment,
  FactField,
  Sponsor,
  TrialFacts,
} from '../snapshot/trial-snapshot.js';
import {
  armGroupMatcher,
  diffList,
  interventionMatcher,
  locationMatcher,
  type Matcher,
  officialMatcher,
  outcomeMatcher,
  referenceMatcher,
  sameAge,
  sameCriteria,
  sameEnum,
  sameSet,
  sameText,
  secondaryIdMatcher,
  sponsorMatcher,
  stringMatcher,
} from './comparison.js';

/*
 * What one value knows beyond another: the details a less detailed source leaves out (an outcome's
 * time frame, an intervention's or arm's type, a site's city or status, a sponsor's class, a reference's
 * type or PubMed ID, an official's role or affiliation, whether a
 * date or an enrollment is actual or estimated). Learning them is not a registry change; holding them
 * lets a later switch (a time frame changed from 90 days to 5 years) be seen as one.
 */

type Value = TrialFacts[FactField];

const ITEM_MATCHERS: Partial<Record<FactField, Matcher<never>>> = {
  primaryOutcomes: outcomeMatcher as Matcher<never>,
  secondaryOutcomes: outcomeMatcher as Matcher<never>,
  interventions: interventionMatcher as Matcher<never>,
  armGroups: armGroupMatcher as Matcher<never>,
  collaborators: sponsorMatcher as Matcher<never>,
  locations: locationMatcher as Matcher<never>,
  secondaryIds: secondaryIdMatcher as Matcher<never>,
  references: referenceMatcher as Matcher<never>,
  overallOfficials: officialMatcher as Matcher<never>,
};

const STRING_LISTS: readonly FactField[] = ['conditions', 'keywords', 'nctIdAliases'];
const DATE_FIELDS: readonly FactField[] = [
  'startDate',
  'primaryCompletionDate',
  'completionDate',
  'studyFirstPostDate',
  'lastUpdatePostDate',
  'resultsFirstPostDate',
];
const TEXT_FIELDS: readonly FactField[] = ['briefTitle', 'officialTitle', 'acronym', 'briefSummary', 'whyStopped'];

/**
 * Copies what `detailed` knows into the nulls of `item`: the same thing, known in more detail. Returns
 * `item` itself when `detailed` knows nothing more.
 */
const fillNulls = <T extends object>(item: T, detailed: T): T => {
  let filled: T | undefined;
  for (const key of Object.keys(detailed) as (keyof T)[]) {
    if (item[key] === null && detailed[key] !== null) {
      filled ??= { ...item };
      filled[key] = detailed[key];
    }
  }
  return filled ?? item;
};

const sameObject = (a: object, b: object): boolean =>
  Object.entries(a).every(([key, value]) => (b as Record<string, unknown>)[key] === value);

const sameStruct = <T extends object>(a: T, b: T, same: (key: keyof T, x: unknown, y: unknown) => boolean): boolean =>
  (Object.keys({ ...a, ...b }) as (keyof T)[]).every((key) =>
    a[key] === null || b[key] === null ? a[key] === b[key] : same(key, a[key], b[key]),
  );

/** Whether two values of a field say the same thing (formats' renderings aside). */
export const sameValue = (field: FactField, a: Value, b: Value): boolean => {
  if (a === null || b === null) return a === b;
  const matcher = ITEM_MATCHERS[field];
  if (matcher) {
    const { added, removed, matched } = diffList(a as never[], b as never[], matcher);
    return added.length === 0 && removed.length === 0 && matched.every(([x, y]) => sameObject(x, y));
  }
  if (STRING_LISTS.includes(field)) {
    const { added, removed } = diffList(a as string[], b as string[], stringMatcher);
    return added.length === 0 && removed.length === 0;
  }
  if (field === 'phases') return sameSet(a as string[], b as string[]);
  if (DATE_FIELDS.includes(field)) {
    const [x, y] = [a as DateStruct, b as DateStruct];
    return x.date === y.date && x.type === y.type;
  }
  if (TEXT_FIELDS.includes(field)) return sameText(a as string, b as string);
  if (field === 'enrollment') {
    const [x, y] = [a as Enrollment, b as Enrollment];
    return x.count === y.count && x.type === y.type;
  }
  if (field === 'leadSponsor') {
    const [x, y] = [a as Sponsor, b as Sponsor];
    return sameText(x.name, y.name) && x.class === y.class;
  }
  if (field === 'design')
    return sameStruct(a as Design, b as Design, (_key, x, y) => sameEnum(x as string, y as string));
  if (field === 'eligibility') {
    return sameStruct(a as Eligibility, b as Eligibility, (key, x, y) =>
      key === 'criteria'
        ? sameCriteria(x as string, y as string)
        : key === 'minimumAge' || key === 'maximumAge'
          ? sameAge(x as string, y as string)
          : typeof x === 'string'
            ? sameEnum(x, y as string)
            : x === y,
    );
  }
  if (typeof a === 'string' && typeof b === 'string') return sameEnum(a, b);
  return a === b;
};

/** Whether `held` says all that `stated` says: the same value, or the same in more detail. */
export const covers = (field: FactField, held: Value, stated: Value): boolean =>
  sameValue(field, held, stated) || sameValue(field, withDetailsOf(field, stated, held) ?? stated, held);

/**
 * `previous` with the details `next` adds to it, when `next` shows the same value in more detail;
 * undefined when it adds none (or shows something else: a change, not a detail).
 */
export const withDetailsOf = (field: FactField, previous: Value, next: Value): Value | undefined => {
  if (previous === null || next === null) return undefined;
  const matcher = ITEM_MATCHERS[field];
  if (matcher) {
    const items = [...(previous as object[])];
    let learned = false;
    for (const [before, after] of diffList(previous as never[], next as never[], matcher).matched) {
      const filled = fillNulls(before as object, after as object);
      if (filled !== before) {
        items[items.indexOf(before)] = filled;
        learned = true;
      }
    }
    return learned ? (items as Value) : undefined;
  }
  if (DATE_FIELDS.includes(field)) {
    const [x, y] = [previous as DateStruct, next as DateStruct];
    return x.date === y.date && x.type === null && y.type !== null ? { date: x.date, type: y.type } : undefined;
  }
  if (field === 'enrollment') {
    const [x, y] = [previous as Enrollment, next as Enrollment];
    if (x.count === null && y.count !== null) return { count: y.count, type: x.type ?? y.type };
    return x.count === y.count && x.type === null && y.type !== null ? { count: x.count, type: y.type } : undefined;
  }
  if (field === 'leadSponsor') {
    const [x, y] = [previous as Sponsor, next as Sponsor];
    return sameText(x.name, y.name) && x.class === null && y.class !== null
      ? { name: x.name, class: y.class }
      : undefined;
  }
  if (field === 'design' || field === 'eligibility') {
    const filled = fillNulls(previous as object, next as object);
    return filled === previous ? undefined : (filled as Value);
  }
  return undefined;
};
