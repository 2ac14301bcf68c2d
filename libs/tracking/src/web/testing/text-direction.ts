import type { Cheerio, CheerioAPI } from 'cheerio';

type Direction = 'ltr' | 'rtl';
/** A node of the parsed page (domhandler's, which cheerio does not export by name). */
type PageNode = Parameters<CheerioAPI['contains']>[1];

const RIGHT_TO_LEFT_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/u;
const LETTER = /\p{L}/u;

/** What dir="auto" resolves to: the direction of the first letter, skipping descendants that set their own. */
const firstLetterDirection = ($: CheerioAPI, element: Cheerio<PageNode>): Direction | null => {
  for (const node of element.contents().toArray()) {
    if (node.type === 'text') {
      for (const character of node.data) {
        if (RIGHT_TO_LEFT_LETTER.test(character)) return 'rtl';
        if (LETTER.test(character)) return 'ltr';
      }
    } else if (node.type === 'tag' && node.name !== 'bdi' && $(node).attr('dir') === undefined) {
      const found = firstLetterDirection($, $(node));
      if (found) return found;
    }
  }
  return null;
};

const directionAt = ($: CheerioAPI, element: Cheerio<PageNode>): Direction => {
  const holder = element.closest('[dir], bdi');
  if (holder.length === 0) return 'ltr';
  const dir = holder.attr('dir');
  if (dir === 'ltr' || dir === 'rtl') return dir;
  return firstLetterDirection($, holder) ?? directionAt($, holder.parent());
};

/**
 * The direction a browser lays out each element of the body holding `text` in (the innermost that holds it
 * whole): that of the nearest element with a dir attribute, dir="auto" resolved from its first letter, else
 * the page's left to right.
 */
export const directionsOf = ($: CheerioAPI, text: string): Direction[] =>
  $('body *')
    .filter(
      (_, element) =>
        $(element).text().includes(text) &&
        !$(element)
          .children()
          .toArray()
          .some((child) => $(child).text().includes(text)),
    )
    .toArray()
    .map((element) => directionAt($, $(element)));

/** Registry text written right to left: a title in Arabic, a name in Hebrew. */
export const ARABIC_TITLE = 'دراسة سريرية لعلاج الذئبة الحمراء';
export const HEBREW_NAME = 'המרכז הרפואי תל אביב';
