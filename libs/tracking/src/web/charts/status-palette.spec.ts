import { OTHER_STATUS_COLOUR, PALETTE_STATUSES, statusColour } from './status-palette.js';

/** WCAG 2 relative luminance and contrast ratio. */
const luminance = (hex: string): number => {
  const channels = [1, 3, 5].map((offset) => parseInt(hex.slice(offset, offset + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const contrast = (a: string, b: string): number => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
};

describe('status palette', () => {
  it('gives every status a colour that stands out from the white page at 4.5:1 or more', () => {
    for (const status of [...PALETTE_STATUSES, 'SOMETHING_NEW']) {
      expect(contrast(statusColour(status), '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('tells the common statuses apart, and falls back for unknown ones', () => {
    const colours = PALETTE_STATUSES.map(statusColour);
    expect(new Set(colours).size).toBe(colours.length);
    expect(statusColour('SOMETHING_NEW')).toBe(OTHER_STATUS_COLOUR);
    expect(statusColour(null)).toBe(OTHER_STATUS_COLOUR);
  });
});
