import {
  conditionsChanged,
  enrollmentUpdated,
  factsLearned,
  leadSponsorChanged,
  overallStatusChanged,
  phasesChanged,
  trialRegistered,
  type DomainEvent,
} from '../events/index.js';
import { aTrial } from '../testing/trial-facts.js';
import { FILTER_FACT_EVENT_TYPES, filterFactsAlong, filterFactsOf } from './filter-facts.js';
import { foldEvents } from './evolve.js';

const sponsor = (name: string) => ({ name, class: 'INDUSTRY' as const });

const stream: DomainEvent[] = [
  trialRegistered({
    facts: aTrial({ conditions: ['Obesity'], leadSponsor: sponsor('Novo Nordisk A/S'), phases: ['PHASE2'] }),
  }),
  enrollmentUpdated({ from: { count: 10, type: 'ESTIMATED' }, to: { count: 20, type: 'ESTIMATED' } }),
  conditionsChanged({ added: ['Type 2 Diabetes'], removed: [] }),
  phasesChanged({ from: ['PHASE2'], to: ['PHASE3'] }),
  overallStatusChanged({ from: 'RECRUITING', to: 'COMPLETED', whyStopped: null, lastKnownStatus: null }),
  leadSponsorChanged({ from: sponsor('Novo Nordisk A/S'), to: sponsor('Acme Pharma') }),
  conditionsChanged({ added: [], removed: ['Obesity'] }),
  factsLearned({ facts: { phases: ['PHASE3', 'PHASE4'] } }),
];

describe('filter facts: what the change filters match, as of each event', () => {
  it('gives the condition, sponsor and phases of the trial once each event applied', () => {
    const facts = filterFactsAlong(stream);
    expect(facts).toHaveLength(stream.length);
    expect(facts[0]).toEqual({ conditions: ['Obesity'], leadSponsor: 'Novo Nordisk A/S', phases: ['PHASE2'] });
    expect(facts[2]!.conditions).toEqual(['Obesity', 'Type 2 Diabetes']);
    expect(facts[3]!.phases).toEqual(['PHASE3']);
    expect(facts[4]).toEqual(facts[3]);
    expect(facts[5]!.leadSponsor).toBe('Acme Pharma');
    expect(facts[6]).toEqual({ conditions: ['Type 2 Diabetes'], leadSponsor: 'Acme Pharma', phases: ['PHASE3'] });
    expect(facts[7]!.phases).toEqual(['PHASE3', 'PHASE4']);
  });

  it('equals the facts of the full fold at every event, from the filter-fact events alone', () => {
    const all = filterFactsAlong(stream);
    const relevant = stream.filter((event) => FILTER_FACT_EVENT_TYPES.includes(event.type));
    const fromRelevant = filterFactsAlong(relevant);
    stream.forEach((event, index) => {
      expect(filterFactsOf(foldEvents(stream.slice(0, index + 1)))).toEqual(all[index]);
      const seen = stream.slice(0, index + 1).filter((e) => FILTER_FACT_EVENT_TYPES.includes(e.type)).length;
      expect(fromRelevant[seen - 1]).toEqual(all[index]);
    });
  });

  it('is empty before a trial has any event', () => {
    expect(filterFactsOf(null)).toEqual({ conditions: [], leadSponsor: null, phases: [] });
  });
});
