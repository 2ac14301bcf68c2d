import { splitRunTogetherTerms, termsOfLines } from './run-together-terms.js';

const MS_PROSE =
  'Evaluate the Safety of Allogeneic Mesenchymal Stem Cells in Patients With Multiple Sclerosis\n' +
  'A single dose of placenta derived Mesenchymal Stem Cells in patients with secondary progressive Multiple Sclerosis.';

describe('conditions run together on one line', () => {
  it('keeps a line without a repeated word as one term, attested or not, when the page shows one term a line', () => {
    expect(splitRunTogetherTerms('Ischemic Stroke', '', 'line-per-term')).toEqual(['Ischemic Stroke']);
    expect(splitRunTogetherTerms('Cancer of the Head and Neck and Throat', '', 'line-per-term')).toEqual([
      'Cancer of the Head and Neck and Throat',
    ]);
  });

  it('keeps a line of inline terms without a repeated word as one term only when it is one word or attested whole', () => {
    expect(splitRunTogetherTerms('Stroke', '', 'inline')).toEqual(['Stroke']);
    expect(splitRunTogetherTerms('Ischemic Stroke', 'Cells in Subacute Ischemic Stroke', 'inline')).toEqual([
      'Ischemic Stroke',
    ]);
    // "Multiple Sclerosis" and "Mesenchymal Stem Cells" share no word: nothing tells where one ends.
    expect(splitRunTogetherTerms('Multiple Sclerosis Mesenchymal Stem Cells', MS_PROSE, 'inline')).toBeNull();
    expect(splitRunTogetherTerms('Ischemic Stroke', '', 'inline')).toBeNull();
  });

  it('splits after the shared head word into the terms the page attests', () => {
    expect(
      splitRunTogetherTerms(
        'Multiple Sclerosis Secondary-Progressive Multiple Sclerosis Mesenchymal Stem Cells',
        MS_PROSE,
        'inline',
      ),
    ).toEqual(['Multiple Sclerosis', 'Secondary-Progressive Multiple Sclerosis', 'Mesenchymal Stem Cells']);
    expect(
      splitRunTogetherTerms('Breast Cancer Metastatic Breast Cancer', 'metastatic breast cancer', 'inline'),
    ).toEqual(['Breast Cancer', 'Metastatic Breast Cancer']);
  });

  it('returns null when the page does not attest every term as a phrase', () => {
    expect(splitRunTogetherTerms('Stroke Ischemic Stroke', 'ischemic and haemorrhagic stroke', 'inline')).toBeNull();
    expect(
      splitRunTogetherTerms('Stroke Ischemic Stroke', 'after a stroke: ischemic, stroke-like', 'inline'),
    ).toBeNull();
  });

  it('returns null rather than split before a shared first word', () => {
    const prose = 'diabetes mellitus and diabetes insipidus';
    expect(splitRunTogetherTerms('Diabetes Mellitus Diabetes Insipidus', prose, 'inline')).toBeNull();
  });

  it('returns null when two splits are equally short', () => {
    const prose = 'cell stroke; cell; stroke cell stroke';
    expect(splitRunTogetherTerms('Cell Stroke Cell Stroke', prose, 'inline')).toBeNull();
    expect(splitRunTogetherTerms('Cell Stroke Cell Stroke', 'cell stroke; cell stroke', 'inline')).toEqual([
      'Cell Stroke',
      'Cell Stroke',
    ]);
  });

  it('reads every line of a list, and gives up on the list when one line is uncertain', () => {
    expect(termsOfLines(['Ischemic Stroke', 'Stem Cell'], '', 'line-per-term')).toEqual([
      'Ischemic Stroke',
      'Stem Cell',
    ]);
    expect(termsOfLines(['Ischemic Stroke', 'Stroke Ischemic Stroke'], '', 'line-per-term')).toBeNull();
  });

  it('answers at once for a long line of run-together terms, as for a short one', () => {
    const timed = (line: string, prose: string): string[] | null => {
      const started = performance.now();
      const terms = splitRunTogetherTerms(line, prose, 'inline');
      expect(performance.now() - started).toBeLessThan(500);
      return terms;
    };
    const terms = ['Multiple Sclerosis', 'Secondary-Progressive Multiple Sclerosis', 'Mesenchymal Stem Cells'];
    const repeated = (times: number) => Array.from({ length: times }, () => terms).flat();
    // Sixty terms, as a page lists a trial's many conditions and keywords: still split, at once.
    expect(timed(repeated(20).join(' '), MS_PROSE)).toEqual(repeated(20));
    // Thousands of words on one line are not a list of conditions: unknown, and answered at once.
    expect(timed(repeated(500).join(' '), MS_PROSE)).toBeNull();
    expect(timed(repeated(500).join(' '), `${MS_PROSE}\n${repeated(500).join(' ')}`)).toBeNull();
  });
});
