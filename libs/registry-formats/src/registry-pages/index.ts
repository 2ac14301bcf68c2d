import type { TrialFacts } from '@app/domain';
import { parseCtgovClassicPage } from './ctgov-classic.js';
import type { PageLayout } from './detect-page-layout.js';
import { parseRegistryMirrorPage } from './registry-mirror.js';
import { parseVeevaPage } from './veeva.js';

export { detectPageLayout, PAGE_LAYOUTS, type PageLayout } from './detect-page-layout.js';
export { htmlToText } from './html-to-text.js';
export { parseCtgovClassicPage, parseRegistryMirrorPage, parseVeevaPage };

const PAGE_PARSERS: Record<PageLayout, (text: string) => TrialFacts> = {
  'registry-mirror': parseRegistryMirrorPage,
  'ctgov-classic': parseCtgovClassicPage,
  veeva: parseVeevaPage,
};

/** Reads a page's text (saved, or rendered by `htmlToText`) as the given layout. */
export const parsePage = (text: string, layout: PageLayout): TrialFacts => PAGE_PARSERS[layout](text);
