import type { DomainEvent, OverallStatusChanged } from '../events/index.js';
import type { Change, ListChange } from '../events/trial-event.js';
import type { DateStruct, Enrollment, Official, Outcome, Reference, TrialFacts } from '../snapshot/trial-snapshot.js';
import { partialDateStart, type PartialDate } from '../shared/partial-date.js';
import { sameEnum, sameText, textKey } from '../trial/comparison.js';
import { describeSponsor, enumLabel, fieldLabel, shortened } from '../trial/describe-event.js';
import { HYGIENE_FLAG_DESCRIPTIONS } from './hygiene.js';

/*
 * How much a change matters, by a rule table: each event type has rules that give a subtype, a tier
 * and the reason in words. An event gets every subtype its rules find; its tier is the highest of them
 * and its principal subtype the first with that tier. The table is the README's "Materiality" section.
 */

export const MATERIALITY_TIERS = ['noise', 'low', 'medium', 'high'] as const;
export type MaterialityTier = (typeof MATERIALITY_TIERS)[number];

export const tierRank = (tier: MaterialityTier): number => MATERIALITY_TIERS.indexOf(tier);

export const isMaterialityTier = (value: string): value is MaterialityTier =>
  (MATERIALITY_TIERS as readonly string[]).includes(value);

export interface MaterialityFinding {
  subtype: string;
  tier: MaterialityTier;
  reason: string;
}

export interface Materiality extends MaterialityFinding {
  /** Every finding, the principal one first. */
  findings: MaterialityFinding[];
}

/** What the rules may look at beyond the event: the trial as it was before it, and when the change occurred. */
export interface MaterialityContext {
  before: Pick<TrialFacts, 'startDate' | 'primaryCompletionDate'> | null;
  occurredAt: string;
}

/** When a primary-outcome change happened relative to the trial's conduct. */
export type OutcomeChangeTiming = 'before-start' | 'after-start' | 'after-primary-completion';

const DAYS_PER_MONTH = 30.44;
const STOPPED_STATUSES = new Set(['TERMINATED', 'WITHDRAWN', 'SUSPENDED']);

const finding = (subtype: string, tier: MaterialityTier, reason: string): MaterialityFinding => ({
  subtype,
  tier,
  reason,
});

const DAY_MS = 86_400_000;

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(partialDateStart(to)) - Date.parse(partialDateStart(from))) / DAY_MS);

const plural = (count: number, unit: string): string => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** Longer than this, a date's move is a long one (a completion date slipping: high). */
const LONG_MOVE_MONTHS = 6;

/**
 * How far a date moved, counted as the tiers count it: days under a month (19 days is no month), else
 * months, never rounded down to the six months a long move is more than.
 */
const distance = (days: number): string => {
  const months = Math.abs(days) / DAYS_PER_MONTH;
  if (months < 1) return plural(Math.abs(days), 'day');
  const rounded = Math.round(months);
  return months > LONG_MOVE_MONTHS && rounded <= LONG_MOVE_MONTHS
    ? `more than ${LONG_MOVE_MONTHS} months`
    : plural(rounded, 'month');
};

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

/** `intervention model, masking`: the parts a design or eligibility change names, as the feed labels them. */
const partsChanged = (struct: 'design' | 'eligibility', changes: object): string =>
  Object.keys(changes)
    .map((part) => fieldLabel(`${struct}.${part}`).toLowerCase())
    .join(', ');

/**
 * A change reached the trial at or after `date` when it occurred on or after the date's start; an
 * estimated date still in the future at that time had not been reached.
 */
const reached = (date: DateStruct | null | undefined, occurredAt: string): boolean =>
  date != null && Date.parse(partialDateStart(date.date)) <= Date.parse(occurredAt);

export const outcomeChangeTiming = (context: MaterialityContext): OutcomeChangeTiming => {
  if (reached(context.before?.primaryCompletionDate, context.occurredAt)) return 'after-primary-completion';
  if (reached(context.before?.startDate, context.occurredAt)) return 'after-start';
  return 'before-start';
};

interface DateRuleOptions {
  label: string;
  /** Tier of a slip later by more than six months (a completion date: high; the start: medium). */
  longSlip: MaterialityTier;
}

const dateFindings = (
  { from, to }: { from: DateStruct | null; to: DateStruct | null },
  { label, longSlip }: DateRuleOptions,
): MaterialityFinding[] => {
  if (from === null && to === null) return [];
  if (from === null) return [finding('date-added', 'low', `${label} given: ${to!.date}`)];
  if (to === null) return [finding('date-removed', 'medium', `${label} removed (was ${from.date})`)];
  const findings: MaterialityFinding[] = [];
  const days = daysBetween(from.date, to.date);
  const moved = days / DAYS_PER_MONTH;
  // June 2026 becoming 20 June 2026 (or the other way) names a day of the same month: only the precision changed.
  const moves = !to.date.startsWith(from.date) && !from.date.startsWith(to.date);
  if (moves && to.date > from.date) {
    const tier: MaterialityTier = moved > LONG_MOVE_MONTHS ? longSlip : moved >= 1 ? 'medium' : 'low';
    findings.push(finding('date-slipped-later', tier, `${label} slipped ${distance(days)} later, to ${to.date}`));
  } else if (moves && to.date < from.date) {
    const tier: MaterialityTier = -moved > LONG_MOVE_MONTHS ? 'medium' : 'low';
    findings.push(finding('date-pulled-earlier', tier, `${label} pulled ${distance(days)} earlier, to ${to.date}`));
  }
  if (from.type === 'ESTIMATED' && to.type === 'ACTUAL') {
    findings.push(finding('date-estimated-to-actual', 'low', `${label} became actual: ${to.date}`));
  } else if (from.type === 'ACTUAL' && to.type === 'ESTIMATED') {
    findings.push(finding('date-actual-to-estimated', 'medium', `${label} went from actual back to estimated`));
  }
  return findings;
};

const enrollmentFindings = ({ from, to }: { from: Enrollment | null; to: Enrollment | null }): MaterialityFinding[] => {
  if (to === null || to.count === null) return [finding('enrollment-removed', 'medium', 'Enrollment removed')];
  if (from === null || from.count === null)
    return [finding('enrollment-added', 'low', `Enrollment given: ${to.count}`)];
  const findings: MaterialityFinding[] = [];
  if (to.count !== from.count) {
    const change = from.count === 0 ? Infinity : (to.count - from.count) / from.count;
    const percent = Number.isFinite(change) ? `${Math.round(Math.abs(change) * 100)} %` : 'from zero';
    const direction = to.count > from.count ? 'up' : 'down';
    const tier: MaterialityTier = change <= -0.5 ? 'high' : Math.abs(change) > 0.2 ? 'medium' : 'low';
    findings.push(
      finding(`enrollment-${direction}`, tier, `Enrollment ${direction} ${percent}: ${from.count} to ${to.count}`),
    );
  }
  if (from.type === 'ESTIMATED' && to.type === 'ACTUAL') {
    findings.push(finding('enrollment-estimated-to-actual', 'low', `Enrollment became actual: ${to.count}`));
  }
  return findings;
};

/** `Status Recruiting to Terminated: Funding`: the statuses in the words of the pages, and the reason for stopping given. */
const statusFindings = ({ from, to, whyStopped }: OverallStatusChanged['data']): MaterialityFinding[] => {
  const change = `Status ${from ? enumLabel(from) : 'none'} to ${to ? enumLabel(to) : 'none'}`;
  const reason = (...notes: string[]) =>
    [change, [...notes, ...(whyStopped ? [shortened(whyStopped)] : [])].join('; ')].filter(Boolean).join(': ');
  if (to !== null && STOPPED_STATUSES.has(to)) return [finding('status-stopped', 'high', reason())];
  if (from === 'SUSPENDED') return [finding('status-resumed', 'medium', reason())];
  if (to === 'COMPLETED') return [finding('status-completed', 'medium', reason())];
  if (to === 'UNKNOWN') return [finding('status-unknown', 'medium', reason('the registry lost track'))];
  return [finding('status-changed', 'medium', reason())];
};

/** Word overlap of two measures: above one half they are one outcome reworded, not two. */
const similarMeasures = (a: string, b: string): boolean => {
  const words = (text: string) =>
    new Set(
      textKey(text)
        .split(/[^a-z0-9]+/)
        .filter((word) => word.length > 2),
    );
  const [left, right] = [words(a), words(b)];
  const common = [...left].filter((word) => right.has(word)).length;
  const union = new Set([...left, ...right]).size;
  return union > 0 && common / union >= 0.5;
};

/** Pairs removed with added outcomes: the same measure with another time frame, or a reworded measure. */
export const classifyOutcomeChanges = ({ added, removed }: ListChange<Outcome>) => {
  const left = [...removed];
  const right = [...added];
  const timeFrameChanged: [Outcome, Outcome][] = [];
  const reworded: [Outcome, Outcome][] = [];
  for (const before of [...left]) {
    const index = right.findIndex((after) => sameText(after.measure, before.measure));
    if (index >= 0) {
      timeFrameChanged.push([before, right.splice(index, 1)[0]!]);
      left.splice(left.indexOf(before), 1);
    }
  }
  for (const before of [...left]) {
    const index = right.findIndex((after) => similarMeasures(after.measure, before.measure));
    if (index >= 0) {
      reworded.push([before, right.splice(index, 1)[0]!]);
      left.splice(left.indexOf(before), 1);
    }
  }
  return { added: right, removed: left, timeFrameChanged, reworded };
};

const TIMING_WORDS: Record<OutcomeChangeTiming, string> = {
  'before-start': 'before the study started',
  'after-start': 'after the study started',
  'after-primary-completion': 'after primary completion',
};

const outcomeFindings = (
  change: ListChange<Outcome>,
  context: MaterialityContext,
  kind: 'primary' | 'secondary',
): MaterialityFinding[] => {
  const timing = outcomeChangeTiming(context);
  const started = timing !== 'before-start';
  const when = TIMING_WORDS[timing];
  const { added, removed, timeFrameChanged, reworded } = classifyOutcomeChanges(change);
  const tier = (beforeStart: MaterialityTier, afterStart: MaterialityTier): MaterialityTier =>
    started ? afterStart : beforeStart;
  const [major, minor]: [MaterialityTier, MaterialityTier] =
    kind === 'primary' ? [tier('medium', 'high'), tier('low', 'high')] : [tier('low', 'medium'), tier('low', 'low')];
  const label = kind === 'primary' ? 'Primary outcome' : 'Secondary outcome';
  return [
    ...removed.map((outcome) => finding('outcome-removed', major, `${label} removed ${when}: ${outcome.measure}`)),
    ...added.map((outcome) => finding('outcome-added', major, `${label} added ${when}: ${outcome.measure}`)),
    ...timeFrameChanged.map(([before, after]) =>
      finding(
        'outcome-time-frame-changed',
        major,
        `${label} time frame changed ${when}: ${before.timeFrame ?? 'none'} to ${after.timeFrame ?? 'none'} (${after.measure})`,
      ),
    ),
    ...reworded.map(([, after]) => finding('outcome-reworded', minor, `${label} reworded ${when}: ${after.measure}`)),
  ];
};

const listFindings = (
  change: ListChange<unknown>,
  noun: string,
  tier: MaterialityTier,
  subtype: string,
): MaterialityFinding[] => {
  const parts = [
    change.added.length ? `${change.added.length} added` : '',
    change.removed.length ? `${change.removed.length} removed` : '',
  ].filter(Boolean);
  return parts.length ? [finding(subtype, tier, `${noun}: ${parts.join(', ')}`)] : [];
};

/** `Results of STEP-X. Lancet. 2025. (PubMed ID 36000001)`: the citation, cut when long. */
const publication = ({ pmid, citation }: Reference): string =>
  `${shortened(citation)}${pmid ? ` (PubMed ID ${pmid})` : ''}`;

const isOfType = (type: string) => (reference: Reference) => reference.type !== null && sameEnum(reference.type, type);

/**
 * A results publication cited is the trial's results in a journal (medium); one the registry linked from
 * PubMed by the trial's NCT ID often is too (low); background reading is noise.
 */
const referenceFindings = ({ added, removed }: ListChange<Reference>): MaterialityFinding[] => {
  const [results, derived, resultsRemoved] = [
    added.filter(isOfType('RESULT')),
    added.filter(isOfType('DERIVED')),
    removed.filter(isOfType('RESULT')),
  ];
  /** `Results publication added: …`, `Results publications removed: …; …`. */
  const resultsPublications = (items: Reference[], what: string) =>
    `Results publication${items.length === 1 ? '' : 's'} ${what}: ${items.map(publication).join('; ')}`;
  return [
    ...(results.length ? [finding('publication-added', 'medium', resultsPublications(results, 'added'))] : []),
    ...(resultsRemoved.length
      ? [finding('publication-removed', 'low', resultsPublications(resultsRemoved, 'removed'))]
      : []),
    ...(derived.length
      ? [finding('derived-publication-added', 'low', `Linked from PubMed: ${derived.map(publication).join('; ')}`)]
      : []),
    ...listFindings(
      {
        added: added.filter((item) => !results.includes(item) && !derived.includes(item)),
        removed: removed.filter((item) => !resultsRemoved.includes(item)),
      },
      'References',
      'noise',
      'references-changed',
    ),
  ];
};

/** A new principal investigator, named; any other change of the officials counted. Low either way. */
const officialFindings = (change: ListChange<Official>): MaterialityFinding[] => {
  const investigator = change.added.find(
    (official) => official.role !== null && sameEnum(official.role, 'PRINCIPAL_INVESTIGATOR'),
  );
  return investigator
    ? [
        finding(
          'officials-changed',
          'low',
          `Principal investigator now ${investigator.name}${investigator.affiliation ? ` (${investigator.affiliation})` : ''}`,
        ),
      ]
    : listFindings(change, 'Overall officials', 'low', 'officials-changed');
};

/**
 * Results submitted: what the law's deadline is about, so worth telling before the registry's
 * quality-control review lets them be posted; a submission taken back (the sponsor recalled it) as much.
 */
const resultsSubmittedFinding = ({
  from,
  to,
  posted,
}: Change<PartialDate> & { posted: boolean }): MaterialityFinding =>
  to === null
    ? finding('results-submission-withdrawn', 'medium', `Results submitted on ${from} were taken back`)
    : from === null && posted
      ? // The same record posts them: the posting is the news, the day it was submitted a detail of it.
        finding(
          'results-submit-date-given',
          'low',
          `Results first submitted on ${to}, posted after the registry's review`,
        )
      : from === null
        ? finding(
            'results-submitted',
            'medium',
            `Results submitted on ${to}: the registry posts them after its quality-control review`,
          )
        : finding('results-submit-date-changed', 'low', `Results first submitted on ${to}, not on ${from}`);

/** The rule table: what each event type's change is worth. */
const findingsOf = (event: DomainEvent, context: MaterialityContext): MaterialityFinding[] => {
  switch (event.type) {
    case 'trial.registered':
      return [finding('registered', 'low', 'First seen by trialwatch')];
    case 'trial.facts-learned':
      return [finding('learned', 'noise', 'Learned from a more complete source; the registry changed nothing')];
    case 'trial.overall-status-changed':
      return statusFindings(event.data);
    case 'trial.why-stopped-changed':
      return event.data.to
        ? [finding('why-stopped-given', 'medium', `Reason for stopping: ${event.data.to}`)]
        : [finding('why-stopped-removed', 'low', 'Reason for stopping removed')];
    case 'trial.last-known-status-changed':
      return [finding('last-known-status-changed', 'low', 'Last known status changed')];
    case 'trial.enrollment-updated':
      return enrollmentFindings(event.data);
    case 'trial.start-date-changed':
      return dateFindings(event.data, { label: 'Start date', longSlip: 'medium' });
    case 'trial.primary-completion-date-changed':
      return dateFindings(event.data, { label: 'Primary completion date', longSlip: 'high' });
    case 'trial.completion-date-changed':
      return dateFindings(event.data, { label: 'Completion date', longSlip: 'high' });
    case 'trial.results-posted':
      return [finding('results-posted', 'high', 'Results posted')];
    case 'trial.results-removed':
      return [finding('results-removed', 'high', 'Results removed from the registry')];
    case 'trial.results-submitted':
      return [resultsSubmittedFinding(event.data)];
    case 'trial.phases-changed':
      return [finding('phases-changed', 'medium', 'Phase changed')];
    case 'trial.study-type-changed':
      return [finding('study-type-changed', 'medium', 'Study type changed')];
    case 'trial.design-changed':
      return [finding('design-changed', 'medium', `Design changed: ${partsChanged('design', event.data)}`)];
    case 'trial.eligibility-changed':
      return [
        finding('eligibility-changed', 'medium', `Eligibility changed: ${partsChanged('eligibility', event.data)}`),
      ];
    case 'trial.primary-outcomes-changed':
      return outcomeFindings(event.data, context, 'primary');
    case 'trial.secondary-outcomes-changed':
      return outcomeFindings(event.data, context, 'secondary');
    case 'trial.locations-changed':
      return [
        ...(event.data.added.length ? [finding('site-added', 'low', `Sites added: ${event.data.added.length}`)] : []),
        ...(event.data.removed.length
          ? [finding('site-removed', 'low', `Sites removed: ${event.data.removed.length}`)]
          : []),
        ...(event.data.statusChanged.length
          ? [finding('site-status-changed', 'low', `Site statuses changed: ${event.data.statusChanged.length}`)]
          : []),
      ];
    case 'trial.interventions-changed':
      return listFindings(event.data, 'Interventions', 'medium', 'interventions-changed');
    case 'trial.arm-groups-changed':
      return listFindings(event.data, 'Arms', 'medium', 'arm-groups-changed');
    case 'trial.conditions-changed':
      return listFindings(event.data, 'Conditions', 'low', 'conditions-changed');
    case 'trial.collaborators-changed':
      return listFindings(event.data, 'Collaborators', 'low', 'collaborators-changed');
    case 'trial.keywords-changed':
      return listFindings(event.data, 'Keywords', 'noise', 'keywords-changed');
    case 'trial.results-overdue':
      return [finding('results-overdue', 'high', `Results were due on ${event.data.dueDate} and none are posted`)];
    case 'trial.hygiene-flag-raised':
      return [finding(`hygiene-${event.data.flag}`, 'medium', HYGIENE_FLAG_DESCRIPTIONS[event.data.flag])];
    case 'trial.hygiene-flag-cleared':
      return [
        finding(
          `hygiene-${event.data.flag}-cleared`,
          'low',
          `No longer: ${lowerFirst(HYGIENE_FLAG_DESCRIPTIONS[event.data.flag])}`,
        ),
      ];
    case 'trial.secondary-ids-changed':
      return listFindings(event.data, 'Other IDs', 'low', 'secondary-ids-changed');
    case 'trial.references-changed':
      return referenceFindings(event.data);
    case 'trial.officials-changed':
      return officialFindings(event.data);
    case 'trial.nct-id-aliases-changed':
      return event.data.added.length
        ? [finding('nct-ids-merged', 'medium', `Merged into this trial: ${event.data.added.join(', ')}`)]
        : listFindings(event.data, 'Merged NCT IDs', 'low', 'nct-id-aliases-changed');
    case 'trial.fda-regulation-changed':
      return [
        finding(
          'fda-regulation-changed',
          'medium',
          event.data.to
            ? 'Now says it studies an FDA-regulated product'
            : 'No longer says it studies an FDA-regulated product',
        ),
      ];
    case 'trial.lead-sponsor-changed':
      return [
        finding(
          'lead-sponsor-changed',
          'medium',
          event.data.to
            ? `Lead sponsor now ${describeSponsor(event.data.to)}`
            : `Lead sponsor removed${event.data.from ? ` (was ${event.data.from.name})` : ''}`,
        ),
      ];
    case 'trial.title-changed':
      return [
        finding(
          'title-changed',
          event.data.field === 'acronym' ? 'noise' : 'low',
          `${fieldLabel(event.data.field)} changed`,
        ),
      ];
    case 'trial.summary-changed':
      return [finding('summary-changed', 'low', 'Summary changed')];
    case 'trial.status-verified-date-moved':
      return [finding('status-verified', 'noise', 'Status verified again')];
    case 'trial.registration-dates-corrected':
      return [finding('registration-dates-corrected', 'noise', 'Registration dates corrected')];
    case 'trial.last-update-posted-date-moved':
      return [finding('record-updated', 'noise', 'A new version of the record was posted')];
  }
};

/**
 * How much a change matters. Pure: the event, the trial's relevant dates before it and when it
 * occurred decide. A change trialwatch learned (not one the registry made) is always noise.
 */
export const materialityOf = (event: DomainEvent, context: MaterialityContext): Materiality => {
  const findings = findingsOf(event, context);
  if (findings.length === 0) {
    const only = finding('unchanged', 'noise', 'Nothing that matters changed');
    return { ...only, findings: [only] };
  }
  const top = Math.max(...findings.map((item) => tierRank(item.tier)));
  const principal = findings.find((item) => tierRank(item.tier) === top)!;
  return { ...principal, findings: [principal, ...findings.filter((item) => item !== principal)] };
};
