import * as cheerio from 'cheerio';
import { ARABIC_TITLE, directionsOf } from './text-direction.js';

describe('the direction a browser lays text out in', () => {
  it('is the page’s left to right unless an element holding the text sets its own', () => {
    expect(directionsOf(cheerio.load(`<p>Title: ${ARABIC_TITLE}</p>`), ARABIC_TITLE)).toEqual(['ltr']);
    expect(directionsOf(cheerio.load(`<p dir="rtl"><b>${ARABIC_TITLE}</b></p>`), ARABIC_TITLE)).toEqual(['rtl']);
  });

  it('is, for dir="auto", that of its first letter, skipping an inner element that sets its own', () => {
    expect(directionsOf(cheerio.load(`<p>Title: <span dir="auto">${ARABIC_TITLE}</span></p>`), ARABIC_TITLE)).toEqual([
      'rtl',
    ]);
    expect(directionsOf(cheerio.load(`<p dir="auto"><i>from</i> ${ARABIC_TITLE}</p>`), ARABIC_TITLE)).toEqual(['ltr']);
    expect(
      directionsOf(cheerio.load(`<p dir="auto"><bdi>Trial</bdi> <span>${ARABIC_TITLE}</span></p>`), ARABIC_TITLE),
    ).toEqual(['rtl']);
    expect(directionsOf(cheerio.load(`<div dir="rtl"><p dir="auto">2024</p></div>`), '2024')).toEqual(['rtl']);
  });

  it('is given for each element holding the text, the innermost', () => {
    const $ = cheerio.load(
      `<h1 dir="auto">${ARABIC_TITLE}</h1><ul><li>Title <span dir="auto">${ARABIC_TITLE}</span></li></ul>`,
    );
    expect(directionsOf($, ARABIC_TITLE)).toEqual(['rtl', 'rtl']);
  });
});
