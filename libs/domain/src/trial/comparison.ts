import type {
  ArmGroup,
  DateStruct,
  Intervention,
  Location,
  Official,
  Outcome,
  Reference,
  SecondaryId,
  Sponsor,
} from '../snapshot/trial-snapshot.js';

/*
 * What counts as "the same" across snapshots. Formats differ in whitespace, line wrapping, list
 * order, letter case of enum values, markdown escapes and bullet styles; none of that is a change.
 */

const normaliseText = (text: string): string =>
  text
    .replace(/\\([\\`*_{}[\]()#+\-.!<>|~])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

/*
 * Deciding on one snapshot compares the same names, places and time frames many times over (learning,
 * diffing and checking coverage each pair up the lists again), so the keys of short texts are kept.
 * Bounded in entries and in length, so the memory it holds stays small; the result is the same.
 */
const KEPT_TEXT_KEYS = 16_384;
const LONGEST_KEPT_TEXT = 256;
const textKeys = new Map<string, string>();

/** Collapses whitespace, drops markdown backslash escapes, lower-cases: the identity of free text. */
export const textKey = (text: string): string => {
  if (text.length > LONGEST_KEPT_TEXT) return normaliseText(text);
  let key = textKeys.get(text);
  if (key === undefined) {
    key = normaliseText(text);
    if (textKeys.size >= KEPT_TEXT_KEYS) textKeys.clear();
    textKeys.set(text, key);
  }
  return key;
};

/** Texts equal as they stand (most, between two versions of one record) are the same without computing their keys. */
export const sameText = (a: string, b: string): boolean => a === b || textKey(a) === textKey(b);

/** Criteria text also differs in bullet style between formats (`-  item`, `* item`, `• item`). */
export const criteriaKey = (text: string): string =>
  textKey(text.replace(/^[ \t]*[-*•·][ \t]+/gm, '').replace(/:(?=\s|$)/g, ''));

export const sameCriteria = (a: string, b: string): boolean => a === b || criteriaKey(a) === criteriaKey(b);

export const sameEnum = (a: string, b: string): boolean => a.toUpperCase() === b.toUpperCase();

/** `1 Year`, `1 Years`, `1 year` -> `1 year`: an age's count and unit, whatever the plural a format printed. */
const ageKey = (age: string): string => {
  const match = /^\s*(\d+)\s*(year|month|week|day|hour|minute)s?\s*$/i.exec(age);
  return match ? `${Number(match[1])} ${match[2]!.toLowerCase()}` : textKey(age);
};

/** The same age: the same count of the same unit (snapshots read before ages had one spelling said `1 Years`). */
export const sameAge = (a: string, b: string): boolean => a === b || ageKey(a) === ageKey(b);

/** Two known values compare; an unknown one (null) is compatible with anything. */
const compatible = (a: string | null, b: string | null): boolean => a === null || b === null || sameText(a, b);

/** 1 when both values are known and the same, else 0: a known detail two items share. */
const shared = (a: string | null, b: string | null): number => (a !== null && b !== null && sameText(a, b) ? 1 : 0);

/** The same date, unless both sides say whether it is actual or estimated and they disagree. */
export const sameDate = (a: DateStruct, b: DateStruct): boolean =>
  a.date === b.date && (a.type === null || b.type === null || a.type === b.type);

export const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const left = new Set(a.map((item) => item.toUpperCase()));
  const right = new Set(b.map((item) => item.toUpperCase()));
  return left.size === right.size && [...left].every((item) => right.has(item));
};

export interface Matcher<T> {
  /** Exact identity: items with equal keys are the same item. */
  key: (item: T) => string;
  /** Looser identity for items a format shows with fewer details (unknown parts match anything). */
  matches: (a: T, b: T) => boolean;
  /** Among loose matches, how many known details two items share: the best-scoring pair is the same item. */
  score?: (a: T, b: T) => number;
}

/** How many of two items' own fields hold the same known value: sites alike but for their status tell apart by it. */
const equalFields = (a: unknown, b: unknown): number => {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return 0;
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  let equal = 0;
  for (const field in x) if (x[field] !== null && x[field] === y[field]) equal += 1;
  return equal;
};

/**
 * The loose match of `item` among `candidates` that shares the most known details, then the most equal
 * fields (of two sites alike in their place, the one with the same status), the first on a tie; -1 if none.
 */
export const bestLooseMatch = <T>(candidates: readonly T[], item: T, matcher: Matcher<T>): number => {
  let best = -1;
  let bestScore = -1;
  let bestEqual = -1;
  candidates.forEach((candidate, index) => {
    if (!matcher.matches(candidate, item)) return;
    const score = matcher.score?.(candidate, item) ?? 0;
    if (score < bestScore) return;
    const equal = equalFields(candidate, item);
    if (score > bestScore || equal > bestEqual) [best, bestScore, bestEqual] = [index, score, equal];
  });
  return best;
};

export interface ListDiff<T> {
  added: T[];
  removed: T[];
  matched: [previous: T, next: T][];
}

/** The same value, or objects whose own fields hold the same values. */
export const identicalItems = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  for (const field in x) if (x[field] !== y[field]) return false;
  for (const field in y) if (!(field in x)) return false;
  return true;
};

/** Pairs up the items of two unordered lists: exact keys first, then the looser match for what is left. */
export const diffList = <T>(previous: readonly T[], next: readonly T[], matcher: Matcher<T>): ListDiff<T> => {
  // Most lists are as they were, item for item: then each pairs with its own, as keys would pair them.
  if (previous.length === next.length && previous.every((item, index) => identicalItems(item, next[index]))) {
    return { added: [], removed: [], matched: previous.map((item, index) => [item, next[index]!]) };
  }
  const unmatchedByKey = new Map<string, T[]>();
  for (const item of previous) {
    const key = matcher.key(item);
    unmatchedByKey.set(key, [...(unmatchedByKey.get(key) ?? []), item]);
  }
  // Items alike in their key may still differ (sites alike in all but status): an identical item is
  // paired first, so that two such items listed in another order are not taken for changed ones.
  const partners: (T | undefined)[] = next.map(() => undefined);
  const keyedOnly: number[] = [];
  next.forEach((item, index) => {
    const candidates = unmatchedByKey.get(matcher.key(item));
    const identical = candidates?.findIndex((candidate) => identicalItems(candidate, item)) ?? -1;
    if (identical >= 0) partners[index] = candidates!.splice(identical, 1)[0]!;
    else keyedOnly.push(index);
  });
  for (const index of keyedOnly) {
    const candidates = unmatchedByKey.get(matcher.key(next[index]!));
    if (candidates && candidates.length > 0) partners[index] = candidates.shift()!;
  }
  const matched: [T, T][] = [];
  const pending: T[] = [];
  next.forEach((item, index) => {
    if (partners[index] !== undefined) matched.push([partners[index], item]);
    else pending.push(item);
  });
  const leftovers = [...unmatchedByKey.values()].flat();
  if (pending.length === 0) return { added: [], removed: leftovers, matched };
  const added: T[] = [];
  // The most detailed items pick first, so that a vaguer item cannot take the partner of a precise one
  // (of two sites alike in their place, the one whose status is known).
  const detail = new Map(pending.map((item) => [item, matcher.score?.(item, item) ?? 0]));
  const known = new Map(pending.map((item) => [item, equalFields(item, item)]));
  const byDetail = [...pending].sort((a, b) => detail.get(b)! - detail.get(a)! || known.get(b)! - known.get(a)!);
  const loose: [T, T][] = [];
  for (const item of byDetail) {
    const index = leftovers.length > 0 ? bestLooseMatch(leftovers, item, matcher) : -1;
    if (index >= 0) loose.push([leftovers.splice(index, 1)[0]!, item]);
    else added.push(item);
  }
  const position = new Map(pending.map((item, index) => [item, index]));
  const order = (item: T) => position.get(item)!;
  added.sort((a, b) => order(a) - order(b));
  matched.push(...loose.sort(([, a], [, b]) => order(a) - order(b)));
  return { added, removed: leftovers, matched };
};

/**
 * `matcher` with `details` set apart: items the same but for them match, and share the details they
 * both know. Items the same in every detail still have the same key, so that they pair first and items
 * alike but for them (sites of one facility in several cities) each keep their own partner.
 */
export const alikeBut = (matcher: Matcher<object>, details: readonly string[]): Matcher<object> => {
  const detailOf = (item: object, detail: string) => (item as Record<string, unknown>)[detail] ?? null;
  const without = (item: object) => ({ ...item, ...Object.fromEntries(details.map((detail) => [detail, null])) });
  return {
    key: (item) => `${matcher.key(item)}|${details.map((detail) => String(detailOf(item, detail))).join('|')}`,
    matches: (a, b) => matcher.matches(without(a), without(b)),
    score: (a, b) =>
      (matcher.score?.(without(a), without(b)) ?? 0) +
      details.filter((detail) => detailOf(a, detail) !== null && detailOf(a, detail) === detailOf(b, detail)).length,
  };
};

export const stringMatcher: Matcher<string> = { key: textKey, matches: sameText };

/** A key computed once per item, since list items are values, never changed once made. */
const keptPerItem = <T extends object>(key: (item: T) => string): ((item: T) => string) => {
  const keys = new WeakMap<T, string>();
  return (item) => {
    let itemKey = keys.get(item);
    if (itemKey === undefined) {
      itemKey = key(item);
      keys.set(item, itemKey);
    }
    return itemKey;
  };
};

export const outcomeMatcher: Matcher<Outcome> = {
  key: keptPerItem((outcome) => `${textKey(outcome.measure)}|${textKey(outcome.timeFrame ?? '')}`),
  matches: (a, b) => sameText(a.measure, b.measure) && compatible(a.timeFrame, b.timeFrame),
  score: (a, b) => shared(a.timeFrame, b.timeFrame),
};

export const interventionMatcher: Matcher<Intervention> = {
  key: keptPerItem((intervention) => `${textKey(intervention.type ?? '')}|${textKey(intervention.name)}`),
  matches: (a, b) => sameText(a.name, b.name) && compatible(a.type, b.type),
  score: (a, b) => shared(a.type, b.type),
};

export const armGroupMatcher: Matcher<ArmGroup> = {
  key: keptPerItem((group) => `${textKey(group.type ?? '')}|${textKey(group.label)}`),
  matches: (a, b) => sameText(a.label, b.label) && compatible(a.type, b.type),
  score: (a, b) => shared(a.type, b.type),
};

/*
 * Legacy XML classes a sponsor as NIH, U.S. Fed, Industry or Other; API v2 splits "Other" into OTHER_GOV,
 * NETWORK, INDIV, AMBIG, UNKNOWN and OTHER. A snapshot's class does not say which vocabulary it came from, so
 * OTHER is compatible with each class it may stand for. The finer classes stay apart from each other (OTHER_GOV
 * to NETWORK is a change), as do the coarse ones (OTHER to INDUSTRY, NIH to FED).
 */
const OTHER_CLASSES: ReadonlySet<string> = new Set(['OTHER', 'OTHER_GOV', 'NETWORK', 'INDIV', 'AMBIG', 'UNKNOWN']);

/** The same sponsor class, or legacy XML's coarse OTHER and one of the API v2 classes it covers. */
export const sameSponsorClass = (a: string, b: string): boolean => {
  if (sameEnum(a, b)) return true;
  const [x, y] = [a.toUpperCase(), b.toUpperCase()];
  return (x === 'OTHER' || y === 'OTHER') && OTHER_CLASSES.has(x) && OTHER_CLASSES.has(y);
};

export const sponsorMatcher: Matcher<Sponsor> = {
  key: keptPerItem((sponsor) => `${textKey(sponsor.name)}|${textKey(sponsor.class ?? '')}`),
  matches: (a, b) =>
    sameText(a.name, b.name) && (a.class === null || b.class === null || sameSponsorClass(a.class, b.class)),
  score: (a, b) => shared(a.class, b.class),
};

/** An identifier's identity: without spaces, any dash as a hyphen, in upper case. */
export const identifierKey = (id: string): string =>
  id
    .replace(/\s+/g, '')
    .replace(/[\u2010-\u2015]/g, '-')
    .toUpperCase();

export const secondaryIdMatcher: Matcher<SecondaryId> = {
  key: keptPerItem((item) => `${identifierKey(item.id)}|${textKey(item.type ?? '')}|${textKey(item.domain ?? '')}`),
  matches: (a, b) =>
    identifierKey(a.id) === identifierKey(b.id) && compatible(a.type, b.type) && compatible(a.domain, b.domain),
  score: (a, b) => shared(a.type, b.type) + shared(a.domain, b.domain),
};

/** A PubMed ID a citation carries in its text (`... 2008;139(6):705-12. PMID: 18519994`), when a format gives none beside it. */
const PMID_IN_CITATION = /\s*\bPMID:?\s*(\d{1,9})\b\.?/i;

/** The reference's PubMed ID: the one given beside its citation, else one written into it. */
const pmidOf = (reference: Reference): string | null =>
  reference.pmid ?? PMID_IN_CITATION.exec(reference.citation)?.[1] ?? null;

/** The citation without a PubMed ID written into it, whitespace and escapes collapsed. */
const citationKey = (citation: string): string => textKey(citation.replace(PMID_IN_CITATION, ' '));

/**
 * A publication is the one its PubMed ID names, where both sides give one (a citation corrected is the
 * same paper), else the one its citation names. Its type is a detail: one shown without it is the same,
 * but a background reference retyped as the trial's results is another.
 */
export const referenceMatcher: Matcher<Reference> = {
  key: keptPerItem((item) => `${pmidOf(item) ?? ''}|${textKey(item.type ?? '')}|${citationKey(item.citation)}`),
  matches: (a, b) => {
    if (!compatible(a.type, b.type)) return false;
    const [x, y] = [pmidOf(a), pmidOf(b)];
    return x !== null && y !== null ? x === y : citationKey(a.citation) === citationKey(b.citation);
  },
  score: (a, b) =>
    shared(a.type, b.type) +
    shared(pmidOf(a), pmidOf(b)) +
    (citationKey(a.citation) === citationKey(b.citation) ? 1 : 0),
};

/*
 * Degrees and titles registries print after a person's name, compared without dots, hyphens or case
 * (`M.D.`, `Ph.D`, `PA-C`). Legacy XML joins a name's parts and its `<degrees>`; API v2 and pages print the
 * name as the registry holds it, and a sponsor re-spells the degrees from one version to the next.
 */
const DEGREES: ReadonlySet<string> = new Set(
  (
    'MD PHD MPH MS MSC BSC BS BA MA MBA MBBS MBCHB MB BCH BAO DO DDS DMD DMSC DSC SCD DRPH PHARMD RPH RN BSN MSN ' +
    'DNP NP CRNP APRN FNP PA PAC DPT PT OT OTR RD LCSW PSYD EDD JD MPHIL DPHIL MRCP MRCPCH FRCP FRCPC FRCS FRACP ' +
    'FRCOG FACS FACP FACC FAAP FESC FAHA MMED MED MSCE MHS MCR MAS MSCI MSCR CCRP CCRC DVM VMD PD HABIL DR PROF ' +
    'PROFESSOR DOCTOR MDPHD'
  ).split(' '),
);

/** A comma-separated part of a name that is only degrees or titles (`MD`, `M.D. Ph.D.`, `Prof. Dr. med.`). */
const isDegrees = (part: string): boolean =>
  part
    .split(/[\s/]+/)
    .filter((word) => word !== '')
    .every((word) => DEGREES.has(word.replace(/[.\-()]/g, '').toUpperCase()));

/**
 * A person's name without the degrees after it, dots as spaces, in lower case: `Megan E.B. Clowse, M.D.,
 * M.P.H.` and `MEGAN E. B. CLOWSE, MD MPH` are both `megan e b clowse`. The part before the first comma is
 * always kept, so a surname spelled like a degree (`Anna Do`) is never dropped.
 */
export const personKey = (name: string): string => {
  const parts = name.split(',');
  while (parts.length > 1 && isDegrees(parts.at(-1)!)) parts.pop();
  return textKey(parts.join(',').replace(/\./g, ' '));
};

/**
 * The same person: the same name but for degrees, or the same first and last names where one side leaves
 * out the middle initials the other gives (`Megan Clowse`, `Megan E. B. Clowse`), or gives a middle name
 * for its initial (`John Andrew Smith`, `John A. Smith`). Other middle initials are another person.
 */
export const samePerson = (a: string, b: string): boolean => {
  const [x, y] = [personKey(a), personKey(b)];
  if (x === y) return true;
  const [left, right] = [x.split(' '), y.split(' ')];
  if (left.length < 2 || right.length < 2 || left[0] !== right[0] || left.at(-1) !== right.at(-1)) return false;
  const [middleLeft, middleRight] = [left.slice(1, -1), right.slice(1, -1)];
  if (middleLeft.length === 0 || middleRight.length === 0) {
    return [...middleLeft, ...middleRight].every((word) => word.length === 1);
  }
  return (
    middleLeft.length === middleRight.length &&
    middleLeft.every((word, index) => {
      const other = middleRight[index]!;
      return word === other || (Math.min(word.length, other.length) === 1 && word[0] === other[0]);
    })
  );
};

/**
 * An official is a person (see `samePerson`); the role and affiliation are details: one shown without them
 * is the same.
 */
export const officialMatcher: Matcher<Official> = {
  key: keptPerItem((item) => `${personKey(item.name)}|${textKey(item.role ?? '')}|${textKey(item.affiliation ?? '')}`),
  matches: (a, b) =>
    samePerson(a.name, b.name) && compatible(a.role, b.role) && compatible(a.affiliation, b.affiliation),
  score: (a, b) =>
    (personKey(a.name) === personKey(b.name) ? 1 : 0) + shared(a.role, b.role) + shared(a.affiliation, b.affiliation),
};

const LOCATION_PARTS = ['facility', 'city', 'state', 'country'] as const;

export const locationMatcher: Matcher<Location> = {
  key: keptPerItem((location) => LOCATION_PARTS.map((part) => textKey(location[part] ?? '')).join('|')),
  matches: (a, b) =>
    LOCATION_PARTS.every((part) => compatible(a[part], b[part])) &&
    LOCATION_PARTS.some((part) => a[part] !== null && b[part] !== null),
  score: (a, b) => LOCATION_PARTS.reduce((sum, part) => sum + shared(a[part], b[part]), 0),
};
