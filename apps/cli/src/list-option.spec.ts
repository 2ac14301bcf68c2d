import { CliError } from './cli-error.js';
import { listOption } from './list-option.js';

describe('listOption', () => {
  const conditions = listOption('--condition');

  it('gathers comma-separated values across repeats, trimmed', () => {
    expect(conditions(' stroke, diabetes ,', conditions('asthma', []))).toEqual(['asthma', 'stroke', 'diabetes']);
  });

  it('refuses a value naming nothing with exit 2, since an empty filter would restrict nothing', () => {
    for (const blank of ['', '  ', ',', ' , ']) {
      let refusal: unknown;
      try {
        conditions(blank, []);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(CliError);
      expect(refusal).toMatchObject({ exitCode: 2, message: expect.stringContaining('--condition needs a value') });
    }
  });
});
