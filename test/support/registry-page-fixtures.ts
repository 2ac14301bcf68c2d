import { fixturePath, readFixture } from './fixtures.js';

/** The five saved registry pages of `test/fixtures/registry-pages/`, by file name without extension. */
export const REGISTRY_PAGES = [
  '000_9a6c380331072caa',
  '001_62d3a4c51b163d2a',
  '002_d185bd8e963bc08b',
  '003_3bc531e48d6f61f9',
  '004_e3c06c917fab1162',
] as const;
export type RegistryPage = (typeof REGISTRY_PAGES)[number];

export const registryPageText = (page: RegistryPage): string => readFixture('registry-pages', `${page}.txt`);

/** The HTML copies in `test/fixtures/registry-pages-html/`, generated from the text pages by `pageTextToHtml`. */
export const registryPageHtmlPath = (page: RegistryPage): string => fixturePath('registry-pages-html', `${page}.html`);

export const registryPageHtml = (page: RegistryPage): string => readFixture('registry-pages-html', `${page}.html`);
