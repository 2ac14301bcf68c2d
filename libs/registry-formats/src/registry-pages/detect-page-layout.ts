import { afterLabel, pageLines } from './page-lines.js';

export const PAGE_LAYOUTS = ['registry-mirror', 'ctgov-classic', 'veeva'] as const;
export type PageLayout = (typeof PAGE_LAYOUTS)[number];

const hasLine = (lines: readonly string[], pattern: RegExp): boolean => lines.some((line) => pattern.test(line));

/*
 * Markers of a layout's page structure. They do not require the NCT ID itself, so that a page of a known
 * layout without one is reported as such (`snapshot.missing-nct-id`) rather than as an unknown page.
 */
const LAYOUT_MARKERS: Record<PageLayout, (lines: readonly string[]) => boolean> = {
  'registry-mirror': (lines) =>
    hasLine(lines, /^Basic Information$/i) &&
    (lines.some((line) => afterLabel(line, 'NCT ID') !== undefined) ||
      hasLine(lines, /^Get a concise snapshot of the trial/i)),
  // A press release may quote "ClinicalTrials.gov Identifier: NCT…"; the study page also has its record rows.
  'ctgov-classic': (lines) =>
    hasLine(lines, /ClinicalTrials\.gov Identifier\s*:/i) &&
    hasLine(lines, /^(Recruitment Status|Last Update Posted|Study Type)\s*:/i),
  veeva: (lines) =>
    hasLine(lines, /^Status and phase$/i) &&
    (hasLine(lines, /ClinicalTrials\.Veeva/i) ||
      (hasLine(lines, /^Funder types$/i) && hasLine(lines, /^Details and patient eligibility$/i))),
};

export const hasLayoutMarkers = (lines: readonly string[], layout: PageLayout): boolean =>
  LAYOUT_MARKERS[layout](lines);

/** Which registry page layout a page's text is in; null for any other page. */
export const detectPageLayout = (text: string): PageLayout | null => {
  const lines = pageLines(text);
  return PAGE_LAYOUTS.find((layout) => hasLayoutMarkers(lines, layout)) ?? null;
};
