import { registryPageText, type RegistryPage } from '../../../../test/support/registry-page-fixtures.js';
import { detectPageLayout, type PageLayout } from './detect-page-layout.js';

describe('page layout detection', () => {
  it.each<[RegistryPage, PageLayout]>([
    ['000_9a6c380331072caa', 'registry-mirror'],
    ['001_62d3a4c51b163d2a', 'registry-mirror'],
    ['002_d185bd8e963bc08b', 'ctgov-classic'],
    ['003_3bc531e48d6f61f9', 'veeva'],
    ['004_e3c06c917fab1162', 'registry-mirror'],
  ])('detects %s as %s', (page, layout) => {
    expect(detectPageLayout(registryPageText(page))).toBe(layout);
  });

  it('detects the layout with Windows line endings', () => {
    expect(detectPageLayout(registryPageText('003_3bc531e48d6f61f9').replace(/\n/g, '\r\n'))).toBe('veeva');
  });

  it('returns null for an empty text', () => {
    expect(detectPageLayout('')).toBeNull();
    expect(detectPageLayout(' \n\t\r\n')).toBeNull();
  });

  it('returns null for a news article about a trial', () => {
    const article = [
      'Stem cells show promise after stroke',
      'Published May 25, 2022',
      'A phase 2 trial (ClinicalTrials.gov Identifier: NCT04811651) is recruiting 200 participants.',
      'Basic Information',
      'The study, listed on ClinicalTrials.Veeva and with NCT ID: NCT04811651, is not yet recruiting.',
      'Status and phase: Recruiting, Phase 2',
    ].join('\n');
    expect(detectPageLayout(article)).toBeNull();
  });

  it('returns null for a page of another site', () => {
    const page = 'EU Clinical Trials Register\nEudraCT Number: 2021-000123-45\nTrial status: Ongoing\nSponsor: Example';
    expect(detectPageLayout(page)).toBeNull();
  });
});
