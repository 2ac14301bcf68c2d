import { cleanBlock } from '../vocabulary.js';

/*
 * Line-level reading shared by the page parsers. A saved page's line endings, tabs, indentation,
 * runs of spaces and blank lines carry no meaning, so every parser works on trimmed, non-empty lines.
 */

export const pageLines = (text: string): string[] =>
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');

const BULLET = /^[-*•◦▪‣·]\s+/;

export const isBulleted = (line: string): boolean => BULLET.test(line);

export const withoutBullet = (line: string): string => line.replace(BULLET, '');

/** Criteria keep their lines; every bullet style (`-`, `*`, `•`) becomes the registry's markdown `* `. */
export const criteriaText = (lines: readonly string[]): string | null =>
  cleanBlock(lines.map((line) => line.replace(BULLET, '* ')).join('\n'));

/** Prose keeps one paragraph per line. */
export const paragraphsText = (lines: readonly string[] | null | undefined): string | null =>
  lines && lines.length > 0 ? lines.join('\n') : null;

/**
 * A row without its closing cell separators and spaces: `Study Type : | Interventional |` ->
 * `Study Type : | Interventional`. Walked back from the end, not matched by a regular expression: one
 * such as /(\s*\|)+\s*$/ tries every separator of a long run as a start, a time quadratic in its length.
 */
export const withoutClosingPipes = (line: string): string => {
  let end = line.length;
  while (end > 0 && (line[end - 1] === '|' || /\s/.test(line[end - 1]!))) end -= 1;
  return line.slice(0, end).trim();
};

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The text after `label` when the line starts with it as whole words: `Site Status RECRUITING`,
 * `Allocation: Randomized`, `Study Type : | Interventional |` (a table cell separator after the label is skipped).
 * Returns `''` for a bare label and `undefined` when the line is not that label.
 */
export const afterLabel = (line: string, label: string): string | undefined => {
  const pattern = new RegExp(`^${escapeRegExp(label)}(?![\\p{L}\\p{N}])\\s*:?\\s*\\|?\\s*(.*)$`, 'iu');
  const match = pattern.exec(withoutBullet(line));
  return match ? withoutClosingPipes(match[1]!) : undefined;
};

/**
 * The text after `label:` on a line that is a field of the page, not an item of a list: `Sponsor: | Acme`,
 * `Official Title:`. Free text that starts with the word (`- Sponsor or investigator site staff`) is not it.
 */
export const afterFieldLabel = (line: string, label: string): string | undefined => {
  if (isBulleted(line)) return undefined;
  const pattern = new RegExp(`^${escapeRegExp(label)}\\s*:\\s*\\|?\\s*(.*)$`, 'iu');
  const match = pattern.exec(line);
  return match ? withoutClosingPipes(match[1]!) : undefined;
};

export const hasLabel = (lines: readonly string[], label: string): boolean =>
  lines.some((line) => afterLabel(line, label) !== undefined);

/**
 * The value of the first `label` line that `read` accepts, taken from the same line (`Sex: All`) or,
 * for a bare label, from the next line (`Sex` / `All`): pages print it either way. `labelled` says how a
 * line carries the label (`afterFieldLabel` for a label that free text could also start with).
 */
export const readLabelled = <T>(
  lines: readonly string[],
  label: string,
  read: (raw: string) => T | null,
  labelled: (line: string, label: string) => string | undefined = afterLabel,
): T | null => {
  for (const [index, line] of lines.entries()) {
    const rest = labelled(line, label);
    if (rest === undefined) continue;
    const value = rest !== '' ? read(rest) : index + 1 < lines.length ? read(lines[index + 1]!) : null;
    if (value != null) return value;
  }
  return null;
};

export interface PageSections {
  /** Lines before the first heading. */
  prelude: string[];
  /** Content lines of each heading's first occurrence, keyed by the heading as listed. */
  sections: Map<string, string[]>;
}

/** Splits lines at whole-line headings (case-insensitive). Only a heading's first section is kept. */
export const splitSections = (lines: readonly string[], headings: readonly string[]): PageSections => {
  const byLowerCase = new Map(headings.map((heading) => [heading.toLowerCase(), heading]));
  const prelude: string[] = [];
  const sections = new Map<string, string[]>();
  let current = prelude;
  for (const line of lines) {
    const heading = byLowerCase.get(line.toLowerCase());
    if (heading === undefined) {
      current.push(line);
    } else {
      current = [];
      if (!sections.has(heading)) sections.set(heading, current);
    }
  }
  return { prelude, sections };
};

/** Reads `200 participants`, `48 patients`, `1,200`: the count, or null. */
export const readCount = (raw: string): number | null => {
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\s+(?:participants?|patients?|subjects?))?$/i.exec(raw.trim());
  return match ? Number(match[1]!.replace(/,/g, '')) : null;
};

/**
 * The registry names some countries with a comma: `Korea, Republic of`, `Iran, Islamic Republic of`,
 * `Congo, The Democratic Republic of the`, `Micronesia, Federated States of`. An address's last part
 * that is such a qualifier (`… of`, `… of the`) belongs with the part before it, not in a field of its own.
 */
const COUNTRY_QUALIFIER = /\bof(?: the)?$/i;

/** The comma-separated parts of an address, its last one rejoined to the one before when it qualifies a country. */
export const withCountryQualifier = <T extends string | null>(parts: readonly T[]): T[] => {
  const last = parts.at(-1);
  const before = parts.at(-2);
  if (parts.length < 2 || !last || !before || !COUNTRY_QUALIFIER.test(last)) return [...parts];
  return [...parts.slice(0, -2), `${before}, ${last}` as T];
};
