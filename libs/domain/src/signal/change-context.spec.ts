import {
  conditionsChanged,
  type DomainEvent,
  enrollmentUpdated,
  factsLearned,
  leadSponsorChanged,
  phasesChanged,
  primaryCompletionDateChanged,
  startDateChanged,
  trialRegistered,
} from '../events/index.js';
import { aTrial } from '../testing/trial-facts.js';
import {
  CHANGE_CONTEXT_EVENT_TYPES,
  CHANGE_CONTEXT_FACTS,
  changeContextsFrom,
  changeContextsOf,
  type PositionedEvent,
} from './change-context.js';

const stream: DomainEvent[] = [
  trialRegistered({
    facts: aTrial({
      conditions: ['Obesity'],
      leadSponsor: { name: 'Novo Nordisk A/S', class: 'INDUSTRY' },
      phases: ['PHASE2'],
      startDate: { date: '2020-01', type: 'ESTIMATED' },
      primaryCompletionDate: { date: '2022-06', type: 'ESTIMATED' },
    }),
  }),
  startDateChanged({ from: { date: '2020-01', type: 'ESTIMATED' }, to: { date: '2021-03', type: 'ESTIMATED' } }),
  enrollmentUpdated({ from: { count: 10, type: 'ESTIMATED' }, to: { count: 20, type: 'ESTIMATED' } }),
  primaryCompletionDateChanged({
    from: { date: '2022-06', type: 'ESTIMATED' },
    to: { date: '2024-12', type: 'ESTIMATED' },
  }),
  conditionsChanged({ added: ['Type 2 Diabetes'], removed: [] }),
  factsLearned({ facts: { briefSummary: 'Learned from a page.', phases: ['PHASE2', 'PHASE3'] } }),
  leadSponsorChanged({
    from: { name: 'Novo Nordisk A/S', class: 'INDUSTRY' },
    to: { name: 'Acme Pharma', class: 'INDUSTRY' },
  }),
  phasesChanged({ from: ['PHASE2', 'PHASE3'], to: ['PHASE3'] }),
  primaryCompletionDateChanged({
    from: { date: '2024-12', type: 'ESTIMATED' },
    to: { date: '2025-01', type: 'ACTUAL' },
  }),
];

const positioned = stream.map((event, index): PositionedEvent => ({
  ...event,
  eventId: `event-${index + 1}`,
  streamVersion: index + 1,
  occurredAt: new Date(Date.UTC(2020, index, 1)),
}));

/** What a reader loading only the context facts gets of an event. */
const withContextFactsOnly = (event: PositionedEvent): PositionedEvent => {
  const data = event.data as { facts?: Record<string, unknown> };
  if (!data.facts) return event;
  const facts = Object.fromEntries(Object.entries(data.facts).filter(([key]) => CHANGE_CONTEXT_FACTS.includes(key)));
  return { ...event, data: { ...data, facts } };
};

describe('change contexts: the filter facts and grade of each change', () => {
  const contextEvents = positioned.filter((event) => CHANGE_CONTEXT_EVENT_TYPES.includes(event.type));

  it('come out the same when only the context facts of registrations and learned facts are loaded', () => {
    const whole = changeContextsOf(contextEvents, positioned);
    const reduced = changeContextsOf(contextEvents.map(withContextFactsOnly), positioned);
    expect(JSON.stringify(contextEvents.map(withContextFactsOnly))).not.toEqual(JSON.stringify(contextEvents));
    expect([...reduced]).toEqual([...whole]);
    expect(whole.get('event-8')!.facts).toEqual({
      conditions: ['Obesity', 'Type 2 Diabetes'],
      leadSponsor: 'Acme Pharma',
      phases: ['PHASE3'],
    });
    expect(whole.get('event-4')!.materiality).not.toBeNull();
  });

  it('come out the same folded batch by batch, each from where the one before ended', () => {
    const whole = changeContextsOf(contextEvents, positioned);
    for (const cut of [1, 3, 5, 8]) {
      const first = changeContextsFrom(
        { version: 0, state: null },
        contextEvents.filter((event) => event.streamVersion <= cut),
        positioned.slice(0, cut),
      );
      expect(first.end.version).toBe(cut);
      const second = changeContextsFrom(
        first.end,
        contextEvents.filter((event) => event.streamVersion > cut),
        positioned.slice(cut),
      );
      expect(second.end.version).toBe(positioned.length);
      expect(new Map([...first.contexts, ...second.contexts])).toEqual(whole);
    }
  });
});
