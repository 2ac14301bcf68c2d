/**
 * HTML built only through the `html` tag: every interpolated value is escaped unless it is itself
 * `SafeHtml` (the output of another `html` template), so markup can be composed but never injected.
 */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** What may appear in `${}`: text (escaped), numbers, nested templates, lists of them; `false`, null and undefined render nothing. */
export type Interpolation = SafeHtml | string | number | false | null | undefined | readonly Interpolation[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an element's content or a quoted attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"'`]/g, (character) => ENTITIES[character]!);

const render = (value: Interpolation): string => {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return escapeHtml(String(value));
};

export const html = (strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml =>
  new SafeHtml(
    strings.reduce((out, chunk, index) => out + chunk + (index < values.length ? render(values[index]!) : ''), ''),
  );

/** Joins pieces with a separator (itself escaped unless SafeHtml). */
export const joinHtml = (pieces: readonly Interpolation[], separator: Interpolation): SafeHtml =>
  new SafeHtml(
    pieces
      .map(render)
      .filter((piece) => piece !== '')
      .join(render(separator)),
  );

/**
 * Text as the registry wrote it (a title, a name, criteria), laid out in its own direction: one in Arabic or
 * Hebrew reads right to left, without turning round the page's text beside it.
 */
export const registryText = (text: Interpolation): SafeHtml => html`<span dir="auto">${text}</span>`;
