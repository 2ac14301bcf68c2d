import { InvalidConfigError } from '../config/app-config.js';
import { parseEmbeddedMode } from './embedded-mode.js';

describe('TRIALWATCH_EMBEDDED', () => {
  it('is auto when unset or empty', () => {
    expect(parseEmbeddedMode(undefined)).toBe('auto');
    expect(parseEmbeddedMode('  ')).toBe('auto');
  });

  it('reads auto, always and never in any letter case', () => {
    expect(parseEmbeddedMode('auto')).toBe('auto');
    expect(parseEmbeddedMode('ALWAYS')).toBe('always');
    expect(parseEmbeddedMode(' never ')).toBe('never');
  });

  it('refuses any other value, naming the setting and the accepted values', () => {
    expect(() => parseEmbeddedMode('yes')).toThrow(InvalidConfigError);
    expect(() => parseEmbeddedMode('yes')).toThrow(/TRIALWATCH_EMBEDDED must be auto, always or never; got "yes"/);
  });
});
