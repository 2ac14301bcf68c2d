import type { Intervention } from '@app/domain';
import { cleanText, toInterventionType } from '../vocabulary.js';
import { escapeRegExp } from './page-lines.js';

/** How ClinicalTrials.gov pages prefix an intervention name with its type: `Drug: Placebo`. */
const TYPE_WORDS = [
  'Behavioral',
  'Biological',
  'Combination Product',
  'Device',
  'Diagnostic Test',
  'Dietary Supplement',
  'Drug',
  'Genetic',
  'Procedure',
  'Radiation',
  'Other',
];

const TYPE_PREFIX = new RegExp(`(?:^|\\s)(${TYPE_WORDS.map(escapeRegExp).join('|')}):\\s+`, 'g');

/**
 * `Biological: Umbilical Cord MSCs Drug: Placebo` -> two interventions. The type words are capitalised on
 * every page, so a lower-case `other:` inside a name does not split it. Text without any type prefix is one
 * intervention of unknown type.
 */
export const typedInterventions = (text: string): Intervention[] => {
  const prefixes = [...text.matchAll(TYPE_PREFIX)];
  const items: Intervention[] = [];
  const untyped = cleanText(text.slice(0, prefixes[0]?.index ?? text.length));
  if (untyped) items.push({ type: null, name: untyped });
  prefixes.forEach((prefix, index) => {
    const end = prefixes[index + 1]?.index ?? text.length;
    const name = cleanText(text.slice(prefix.index + prefix[0].length, end));
    if (name) items.push({ type: toInterventionType(prefix[1]), name });
  });
  return items;
};
