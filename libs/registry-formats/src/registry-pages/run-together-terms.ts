/*
 * Pages that show a list as inline chips lose the separators when saved as text:
 * "Multiple Sclerosis Secondary-Progressive Multiple Sclerosis Mesenchymal Stem Cells" is three conditions.
 * Word shapes alone cannot tell where one term ends ("Multiple Sclerosis | Secondary-Progressive Multiple
 * Sclerosis" and "Diabetes Mellitus | Diabetes Insipidus" have the same shape), so a line is split only
 *  - when a content word repeats (one term rarely repeats itself; run-together terms share a head word),
 *  - right after a repeated word (English terms end with their head: "Ischemic Stroke", "Breast Cancer"),
 *  - into terms the page's own prose (title, summaries) attests as phrases,
 *  - and only when exactly one such split has the fewest terms. Otherwise the terms are unknown.
 * A line of inline chips without a repeated word ("Multiple Sclerosis Mesenchymal Stem Cells") is one term only
 * when it is a single word or the prose attests it whole: two terms sharing no word leave no trace to split on.
 */

/**
 * How a page lays out a list: one item a line (table cells, Veeva), so a line without a repeated word is one
 * item; or inline chips whose separators are lost, so any line of several words may hold several items.
 */
export type ListLayout = 'line-per-term' | 'inline';

const FUNCTION_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'by',
  'for',
  'from',
  'in',
  'into',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
]);

/**
 * Case and hyphens do not matter when looking for a phrase (`Secondary-Progressive` = `secondary progressive`);
 * other punctuation separates phrases, so "stroke; care" does not attest "stroke care".
 */
const phraseKey = (text: string): string =>
  ` ${text
    .toLowerCase()
    .replace(/[-\u2010-\u2013]/g, ' ')
    .replace(/[^\p{L}\p{N}\s]+/gu, ' | ')
    .replace(/\s+/g, ' ')
    .trim()} `;

/**
 * Registry texts bound the search: a condition or keyword has at most a few dozen words, a page lists at
 * most a few hundred words of them, and the title and summaries it attests them with hold at most some
 * 40,000 characters. A line or prose beyond these is no registry list: its terms are unknown.
 */
const MAX_TERM_WORDS = 40;
const MAX_SPLIT_WORDS = 400;
const MAX_PROSE_CHARACTERS = 200_000;

/** For each word, whether it is a content word that occurs more than once in the line. */
const repeatedContentWords = (words: readonly string[]): boolean[] => {
  const keys = words.map((word) => phraseKey(word).trim());
  return keys.map((key) => key !== '' && !FUNCTION_WORDS.has(key) && keys.indexOf(key) !== keys.lastIndexOf(key));
};

interface Split {
  terms: number;
  ways: number;
  next: number;
}

/**
 * The terms of one displayed line: the line itself when it cannot hold several terms (one word, or no repeated
 * word in a line-per-term layout); the split attested by `prose` (title, summaries of the same page) when it is
 * the only one with the fewest terms; null otherwise.
 */
export const splitRunTogetherTerms = (line: string, prose: string, layout: ListLayout): string[] | null => {
  const words = line.split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return [];
  if (words.length === 1) return words;
  const repeated = repeatedContentWords(words);
  if (!repeated.includes(true) && layout === 'line-per-term') return [words.join(' ')];
  if (words.length > MAX_SPLIT_WORDS || prose.length > MAX_PROSE_CHARACTERS) return null;
  const corpus = phraseKey(prose);
  const keys = words.map((word) => phraseKey(word).trim()).map((key) => (key === '' ? '' : `${key} `));

  // best[i]: the fewest attested terms covering words[i..], and in how many ways that is reached.
  const best: Split[] = Array.from({ length: words.length + 1 }, () => ({ terms: Infinity, ways: 0, next: -1 }));
  best[words.length] = { terms: 0, ways: 1, next: -1 };
  for (let from = words.length - 1; from >= 0; from--) {
    // A phrase the prose does not hold is not the start of a longer one it holds: the search stops there.
    let phrase = ' ';
    for (let to = from + 1; to <= words.length && to - from <= MAX_TERM_WORDS; to++) {
      phrase += keys[to - 1]!;
      if (phrase === ' ' || !(to === words.length || repeated[to - 1]!)) continue;
      if (!corpus.includes(phrase)) break;
      const rest = best[to]!;
      if (rest.terms === Infinity) continue;
      const here = best[from]!;
      if (rest.terms + 1 < here.terms) best[from] = { terms: rest.terms + 1, ways: rest.ways, next: to };
      else if (rest.terms + 1 === here.terms) here.ways += rest.ways;
    }
  }
  if (best[0]!.terms === Infinity || best[0]!.ways !== 1) return null;
  const terms: string[] = [];
  for (let from = 0; from < words.length; from = best[from]!.next) {
    terms.push(words.slice(from, best[from]!.next).join(' '));
  }
  return terms;
};

/** Every line's terms, or null when any line cannot be split with certainty. */
export const termsOfLines = (lines: readonly string[], prose: string, layout: ListLayout): string[] | null => {
  const terms: string[] = [];
  for (const line of lines) {
    const lineTerms = splitRunTogetherTerms(line, prose, layout);
    if (lineTerms === null) return null;
    terms.push(...lineTerms);
  }
  return terms;
};
