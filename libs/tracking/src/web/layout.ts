import { assetPath } from './assets/asset-paths.js';
import { html, type Interpolation, type SafeHtml } from './html.js';

/** Headers for every UI response: nothing but this server's own styles and script may load. */
export const HTML_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export interface PageOptions {
  title: string;
  main: Interpolation;
  /** What the NCT ID search box holds, e.g. the ID that was not found. */
  searchValue?: string;
}

/** The NCT ID search, in the header of every page. */
export const nctSearchForm = (value = ''): SafeHtml =>
  html`<form class="nct-search" role="search" action="/ui/trials" method="get">
    <label for="nct-search-input">Find a trial by NCT ID</label>
    <span class="search-row">
      <input
        id="nct-search-input"
        name="nctId"
        type="search"
        value="${value}"
        placeholder="NCT00513591"
        autocomplete="off"
        spellcheck="false"
        autocapitalize="characters"
        maxlength="20"
        required
        pattern="\\s*[Nn][Cc][Tt]\\d{8}\\s*"
        title="NCT followed by 8 digits, e.g. NCT00513591"
      />
      <button type="submit">Show trial</button>
    </span>
  </form>`;

/** A whole page: skip link, header with the search, the main content, and the stylesheet and script from this server. */
export const page = ({ title, main, searchValue }: PageOptions): string =>
  `<!doctype html>\n${
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · trialwatch</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="${assetPath('trialwatch.css')}" />
        <script src="${assetPath('trialwatch.js')}" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="site-header">
          <a class="brand" href="/ui">trialwatch</a>
          <nav aria-label="Site">
            <a href="/ui">Recent changes</a> <a href="/ui/trials">Find trials</a>
            <a href="/ui/watchlists">Watchlists</a>

            <a href="/ui/reports/results-due">Results due</a>
            <a href="/ui/reports/outcome-switching">Outcome switching</a> <a href="/ui/reports/hygiene">Hygiene</a>
            <a href="/docs">API</a>
          </nav>
          ${nctSearchForm(searchValue)}
        </header>
        <main id="main" tabindex="-1">${main}</main>
        <footer class="site-footer">
          <p>Changes are dated by the registry record that carried them; “recorded” is when trialwatch stored them.</p>
        </footer>
      </body>
    </html>`.value
  }\n`;
