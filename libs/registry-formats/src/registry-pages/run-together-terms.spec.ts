import { splitRunTogetherTerms, termsOfLines } from './run-together-terms.js';

const MS_PROSE =
  'Evaluate the Safety of Allogeneic Mesenchymal Stem Cells in Patients With Multiple Sclerosis\n' +
  'A single dose of placenta derived Mesenchymal Stem Cells in patients with secondary progressive Multiple Sclerosis.';

describe('conditions run together on one line', () => {
  it('keeps a line without a repeated word as one term, attested or not', () => {
    expect(splitRunTogetherTerms('Ischemic Stroke', '')).toEqual(['Ischemic Stroke']);
    expect(splitRunTogetherTerms('Cancer of the Head and Neck and Throat', '')).toEqual([
      'Cancer of the Head and Neck and Throat',
    ]);
  });

  it('splits after the shared head word into the terms the page attests', () => {
    expect(
      splitRunTogetherTerms(
        'Multiple Sclerosis Secondary-Progressive Multiple Sclerosis Mesenchymal Stem Cells',
        MS_PROSE,
      ),
    ).toEqual(['Multiple Sclerosis', 'Secondary-Progressive Multiple Sclerosis', 'Mesenchymal Stem Cells']);
    expect(splitRunTogetherTerms('Breast Cancer Metastatic Breast Cancer', 'metastatic breast cancer')).toEqual([
      'Breast Cancer',
      'Metastatic Breast Cancer',
    ]);
  });

  it('returns null when the page does not attest every term as a phrase', () => {
    expect(splitRunTogetherTerms('Stroke Ischemic Stroke', 'ischemic and haemorrhagic stroke')).toBeNull();
    expect(splitRunTogetherTerms('Stroke Ischemic Stroke', 'after a stroke: ischemic, stroke-like')).toBeNull();
  });

  it('returns null rather than split before a shared first word', () => {
    const prose = 'diabetes mellitus and diabetes insipidus';
    expect(splitRunTogetherTerms('Diabetes Mellitus Diabetes Insipidus', prose)).toBeNull();
  });

  it('returns null when two splits are equally short', () => {
    const prose = 'cell stroke; cell; stroke cell stroke';
    expect(splitRunTogetherTerms('Cell Stroke Cell Stroke', prose)).toBeNull();
    expect(splitRunTogetherTerms('Cell Stroke Cell Stroke', 'cell stroke; cell stroke')).toEqual([
      'Cell Stroke',
      'Cell Stroke',
    ]);
  });

  it('reads every line of a list, and gives up on the list when one line is uncertain', () => {
    expect(termsOfLines(['Ischemic Stroke', 'Stem Cell'], '')).toEqual(['Ischemic Stroke', 'Stem Cell']);
    expect(termsOfLines(['Ischemic Stroke', 'Stroke Ischemic Stroke'], '')).toBeNull();
  });
});
