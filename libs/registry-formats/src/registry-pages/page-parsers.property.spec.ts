import fc from 'fast-check';
import { REGISTRY_PAGES, registryPageText } from '../../../../test/support/registry-page-fixtures.js';
import { detectPageLayout } from './detect-page-layout.js';
import { parsePage } from './index.js';

const pages = REGISTRY_PAGES.map((page) => {
  const text = registryPageText(page);
  const layout = detectPageLayout(text)!;
  return { page, text, layout, facts: parsePage(text, layout) };
});

const whitespace = fc.array(fc.constantFrom(' ', '\t', '\u00a0'), { maxLength: 3 }).map((chars) => chars.join(''));
const lineReflow = fc.record({
  leading: whitespace,
  trailing: whitespace,
  blankLinesAfter: fc.array(whitespace, { maxLength: 2 }),
  crlf: fc.boolean(),
});

/** The page with each line re-indented, padded, followed by blank lines and ended by LF or CRLF at random. */
const reflowedPage = fc.constantFrom(...pages).chain((page) => {
  const lines = page.text.split('\n');
  return fc.array(lineReflow, { minLength: lines.length, maxLength: lines.length }).map((reflows) => ({
    ...page,
    reflowed: lines
      .map((line, index) => {
        const { leading, trailing, blankLinesAfter, crlf } = reflows[index]!;
        const end = crlf ? '\r\n' : '\n';
        return [`${leading}${line}${trailing}`, ...blankLinesAfter].map((part) => part + end).join('');
      })
      .join(''),
  }));
});

describe('registry page parsers, over reflowed whitespace', () => {
  it('read the same facts whatever the line endings, indentation, trailing spaces and blank lines', () => {
    fc.assert(
      fc.property(reflowedPage, ({ reflowed, layout, facts }) => {
        expect(detectPageLayout(reflowed)).toBe(layout);
        expect(parsePage(reflowed, layout)).toEqual(facts);
      }),
      { numRuns: 200 },
    );
  });
});
