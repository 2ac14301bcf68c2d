/*
 * Builds a realistic HTML page from a saved registry text page, for testing `htmlToText` and the page parsers
 * on HTML: every text line becomes a block element, surrounded by what real pages carry and a reader never
 * sees as content (scripts and styles mentioning other trials and statuses, navigation, a footer).
 */

export interface PageHtmlOptions {
  /** The document's `<title>`; defaults to the page's first line. */
  title?: string;
}

const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const BULLET = /^[-*•]\s+/;
const isBulleted = (line: string): boolean => BULLET.test(line);
const isTableRow = (line: string): boolean => line.includes(' | ');
const isHeading = (line: string): boolean =>
  line.length <= 40 && /^[A-Z][A-Za-z]*(?: [A-Za-z][A-Za-z-]*){0,4}$/.test(line);

/** `Label: value` lines get their label in `<strong>`, as registry pages mark it up. */
const inlineHtml = (line: string): string => {
  const match = /^([^:|]{1,40}:) (.+)$/.exec(line);
  return match ? `<strong>${escapeHtml(match[1]!)}</strong> ${escapeHtml(match[2]!)}` : escapeHtml(line);
};

/** `a | b |` -> cells `a`, `b`: the closing separator ends the last cell. */
const cellsOf = (line: string): string[] => {
  const cells = line.split('|').map((cell) => cell.trim());
  if (cells.length > 1 && cells.at(-1) === '') cells.pop();
  return cells;
};

const tableHtml = (rows: string[]): string => {
  const rowHtml = rows.map((row) => {
    const cells = cellsOf(row).map((cell, index) =>
      index === 0 && cell.endsWith(':') ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`,
    );
    return `      <tr>${cells.join('')}</tr>`;
  });
  return ['    <table class="layout">', '     <tbody>', ...rowHtml, '     </tbody>', '    </table>'].join('\n');
};

const listHtml = (items: string[]): string =>
  ['    <ul>', ...items.map((item) => `      <li>${inlineHtml(item.replace(BULLET, ''))}</li>`), '    </ul>'].join(
    '\n',
  );

/** Groups runs of bulleted lines into lists and runs of table rows into tables; other lines alternate `<p>` and `<div>`. */
const contentHtml = (lines: string[]): string => {
  const blocks: string[] = [];
  for (let index = 0; index < lines.length;) {
    const line = lines[index]!;
    const runOf = (belongs: (candidate: string) => boolean): string[] => {
      const run: string[] = [];
      while (index < lines.length && belongs(lines[index]!)) run.push(lines[index++]!);
      return run;
    };
    if (isBulleted(line)) blocks.push(listHtml(runOf(isBulleted)));
    else if (isTableRow(line)) blocks.push(tableHtml(runOf(isTableRow)));
    else {
      const tag = index === 0 ? 'h1' : isHeading(line) ? 'h2' : blocks.length % 2 === 0 ? 'p' : 'div';
      blocks.push(`    <${tag}>${inlineHtml(line)}</${tag}>`);
      index++;
    }
  }
  return blocks.join('\n');
};

export const pageTextToHtml = (text: string, options: PageHtmlOptions = {}): string => {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const title = options.title ?? lines[0] ?? '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; margin: 0; }
    .status-badge[data-status="Recruiting"]::after { content: "Recruiting"; color: #2e7d32; }
  </style>
  <script>
    window.__TRIAL_STATE__ = { "nctId": "NCT99999999", "overallStatus": "Recruiting", "phase": "Phase 3" };
  </script>
</head>
<body>
  <header class="site-header">
    <a class="brand" href="/"><span class="icon" aria-hidden="true">NCT99999999</span>Trial Registry Browser</a>
    <nav>
      <ul>
        <li><a href="/">Home</a></li>
        <li><a href="/search?status=Recruiting">Recruiting trials</a></li>
        <li><a href="/conditions">Conditions</a></li>
        <li><a href="/about">About</a></li>
      </ul>
    </nav>
  </header>
  <nav aria-label="Breadcrumb"><a href="/">Home</a> &rsaquo; <a href="/trials">Trials</a> &rsaquo; NCT99999999</nav>
  <noscript>Enable JavaScript to see which trials are Recruiting.</noscript>
  <template id="status-badge"><span class="status-badge">NOT_YET_RECRUITING</span></template>
  <div hidden>Related: NCT99999999 Recruiting Phase 3</div>
  <main id="content">
    <svg class="logo" viewBox="0 0 10 10"><title>Recruiting</title><text x="0" y="8">NCT99999999</text></svg>
${contentHtml(lines)}
  </main>
  <footer>
    <p>&copy; 2026 Trial Registry Browser &middot; <a href="/terms">Terms</a> &middot; <a href="/privacy">Privacy</a></p>
    <p>Data for NCT99999999 and other trials comes from public registries. Status: Recruiting.</p>
  </footer>
  <iframe src="/consent" title="Cookie consent"></iframe>
  <script>
    document.querySelectorAll('.status-badge').forEach((badge) => badge.setAttribute('data-status', 'Recruiting'));
    window.analytics && window.analytics.track('view', { trial: 'NCT99999999' });
  </script>
</body>
</html>
`;
};
