/**
 * The one stylesheet of the web pages, served from /ui/assets/trialwatch.css. It lives in a module
 * (not a .css file) because the build compiles TypeScript only; this way it ships in dist/ with the code.
 * High contrast throughout: near-black text on white, underlined links, a thick focus ring.
 */
export const STYLESHEET = `
:root {
  --text: #0b0c0c;
  --muted: #484949;
  --line: #8a8a8a;
  --faint: #e3e3e3;
  --panel: #f3f2f1;
  --link: #0645ad;
  --link-visited: #5a2d91;
  --focus: #ffdd00;
  --removed-bg: #fde8e6;
  --removed: #8c1a10;
  --added-bg: #e3f2e6;
  --added: #14532d;
  --series: #0b3d91;
  color-scheme: light;
}

*,
*::before,
*::after {
  box-sizing: border-box;
}

html {
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}

body {
  margin: 0;
  color: var(--text);
  background: #fff;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  font-size: 1rem;
  line-height: 1.5;
  overflow-wrap: break-word;
}

a {
  color: var(--link);
  text-decoration-thickness: 1px;
  text-underline-offset: 0.15em;
}

a:visited {
  color: var(--link-visited);
}

a:hover {
  text-decoration-thickness: 3px;
}

:focus-visible {
  outline: 3px solid var(--text);
  outline-offset: 2px;
  box-shadow: 0 0 0 6px var(--focus);
}

a:focus-visible {
  background: var(--focus);
  color: var(--text);
}

main:focus {
  outline: none;
}

.visually-hidden {
  position: absolute !important;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
  border: 0;
}

.skip-link {
  position: absolute;
  left: 0.5rem;
  top: -3rem;
  padding: 0.5rem 0.75rem;
  background: var(--focus);
  color: var(--text);
  font-weight: 700;
  z-index: 10;
}

.skip-link:focus {
  top: 0.5rem;
}

.site-header {
  display: flex;
  flex-wrap: wrap;
  align-items: flex-end;
  gap: 0.75rem 1.5rem;
  padding: 0.75rem 1rem;
  border-bottom: 4px solid var(--text);
}

.brand {
  font-size: 1.5rem;
  font-weight: 800;
  color: var(--text);
  text-decoration: none;
}

.brand:visited {
  color: var(--text);
}

.site-header nav {
  display: flex;
  gap: 1rem;
}

.nct-search {
  margin-left: auto;
  display: flex;
  flex-direction: column;
  gap: 0.25rem;
  max-width: 100%;
}

.nct-search label {
  font-weight: 700;
  font-size: 0.95rem;
}

.search-row {
  display: flex;
  gap: 0.5rem;
  max-width: 100%;
}

input,
select,
button {
  font: inherit;
  color: var(--text);
}

input,
select {
  min-width: 0;
  min-height: 2.5rem;
  padding: 0.35rem 0.5rem;
  border: 2px solid var(--text);
  border-radius: 0;
  background: #fff;
}

.nct-search input {
  width: 12rem;
  flex: 1 1 auto;
}

button {
  min-height: 2.5rem;
  padding: 0.35rem 0.9rem;
  border: 2px solid var(--text);
  border-radius: 0;
  background: var(--text);
  color: #fff;
  font-weight: 700;
  white-space: nowrap;
  cursor: pointer;
}

button:hover {
  background: #333;
}

main {
  display: block;
  max-width: 64rem;
  margin: 0 auto;
  padding: 1rem;
}

h1 {
  font-size: 1.75rem;
  line-height: 1.25;
  margin: 0.5rem 0 0.25rem;
}

h2 {
  font-size: 1.35rem;
  margin: 2rem 0 0.75rem;
  padding-top: 0.5rem;
  border-top: 2px solid var(--text);
}

h3 {
  font-size: 1.1rem;
  margin: 0;
}

.lede {
  color: var(--muted);
  margin: 0 0 1rem;
}

.trial-id {
  font-weight: 700;
  margin: 0;
}

.facts {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr));
  gap: 0.75rem 1.5rem;
  margin: 1rem 0;
  padding: 1rem;
  background: var(--panel);
}

.facts div {
  min-width: 0;
}

.facts dt {
  font-size: 0.85rem;
  font-weight: 700;
  color: var(--muted);
  text-transform: uppercase;
  letter-spacing: 0.03em;
}

.facts dd {
  margin: 0;
}

.status-badge {
  display: inline-flex;
  align-items: center;
  gap: 0.4rem;
  font-weight: 700;
}

.status-swatch {
  display: inline-block;
  width: 0.9rem;
  height: 0.9rem;
  border: 1px solid var(--text);
  flex: none;
}

.links {
  display: flex;
  flex-wrap: wrap;
  gap: 0.5rem 1.25rem;
  padding: 0;
  margin: 0;
  list-style: none;
}

.section-note {
  color: var(--muted);
  margin: -0.25rem 0 1rem;
}

.chart-figure {
  margin: 0 0 1.75rem;
  padding: 0;
}

.chart-figure figcaption {
  margin-bottom: 0.5rem;
}

.chart-summary {
  margin: 0.25rem 0 0;
}

.chart-frame {
  display: flex;
  align-items: flex-start;
}

.chart-frame .chart {
  flex: 1 1 auto;
  min-width: 0;
}

svg.chart,
svg.value-axis {
  display: block;
  overflow: visible;
  font-family: inherit;
}

.value-axis {
  flex: none;
}

.axis-line,
.axis-tick {
  stroke: var(--text);
  stroke-width: 1;
}

.axis-label {
  fill: var(--muted);
  font-size: 12px;
}

.grid-line {
  stroke: var(--faint);
  stroke-width: 1;
}

.band-label {
  fill: var(--text);
  font-size: 14px;
  font-weight: 700;
}

.band-current {
  font-weight: 400;
}

.band-dates {
  fill: var(--muted);
  font-size: 12.5px;
}

.step {
  stroke: var(--series);
  stroke-width: 3;
}

.step-riser {
  stroke: var(--series);
  stroke-width: 1.5;
  stroke-dasharray: 4 3;
}

.marker-estimated {
  fill: #fff;
  stroke: var(--series);
  stroke-width: 2.5;
}

.marker-actual,
.marker-unspecified {
  fill: var(--series);
  stroke: var(--series);
}

.point-label {
  fill: var(--text);
  font-size: 12.5px;
  font-weight: 600;
  paint-order: stroke;
  stroke: #fff;
  stroke-width: 4px;
  stroke-linejoin: round;
}

.chart-legend {
  display: flex;
  flex-wrap: wrap;
  gap: 0.25rem 1.25rem;
  list-style: none;
  margin: 0.25rem 0 0;
  padding: 0;
  font-size: 0.9rem;
}

.chart-legend li {
  display: inline-flex;
  align-items: center;
  gap: 0.35rem;
}

.legend-marker {
  overflow: visible;
}

details {
  margin: 0.5rem 0;
}

summary {
  cursor: pointer;
  color: var(--link);
  text-decoration: underline;
  text-underline-offset: 0.15em;
}

.table-wrap {
  overflow-x: auto;
}

table {
  border-collapse: collapse;
  margin: 0.5rem 0;
  min-width: min(100%, 24rem);
}

th,
td {
  text-align: left;
  padding: 0.35rem 0.75rem 0.35rem 0;
  border-bottom: 1px solid var(--line);
  vertical-align: top;
}

.change-groups,
.feed {
  list-style: none;
  margin: 0;
  padding: 0;
}

.change-group {
  margin: 0 0 1rem;
  padding: 0.75rem 1rem;
  border-left: 6px solid var(--text);
  background: var(--panel);
}

.group-meta {
  margin: 0.15rem 0 0.5rem;
  color: var(--muted);
  font-size: 0.95rem;
}

.group-meta a {
  font-weight: 600;
}

.sha {
  font-size: 0.85rem;
  overflow-wrap: anywhere;
}

.changes {
  margin: 0;
  padding-left: 1.1rem;
}

.change {
  margin: 0.35rem 0;
}

.change-field {
  font-weight: 700;
}

.change-field::after {
  content: ':';
}

.before {
  color: var(--muted);
}

.after {
  font-weight: 700;
}

.arrow {
  padding: 0 0.2rem;
}

.diff,
.site-changes {
  list-style: none;
  margin: 0.25rem 0 0;
  padding: 0;
}

.diff li {
  margin: 0.2rem 0;
  padding: 0.2rem 0.5rem;
  border-left: 4px solid;
}

.diff-removed {
  background: var(--removed-bg);
  border-color: var(--removed);
  text-decoration: line-through;
  text-decoration-thickness: 1px;
}

.diff-added {
  background: var(--added-bg);
  border-color: var(--added);
}

.diff-tag {
  display: inline-block;
  margin-right: 0.35rem;
  font-size: 0.8rem;
  font-weight: 700;
  text-transform: uppercase;
  letter-spacing: 0.03em;
  text-decoration: none;
}

.diff-removed .diff-tag {
  color: var(--removed);
}

.diff-added .diff-tag {
  color: var(--added);
}

.long-text {
  padding: 0.5rem;
  margin: 0.25rem 0;
  background: #fff;
  border: 1px solid var(--line);
}

.long-text p {
  margin: 0;
}

.long-value {
  display: block;
  white-space: pre-line;
}

.long-text .long-label {
  font-weight: 700;
}

.filters {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
  gap: 0.75rem 1rem;
  align-items: end;
  margin: 1rem 0;
  padding: 1rem;
  background: var(--panel);
}

.filters label {
  display: block;
  font-weight: 700;
}

.filters input,
.filters select {
  width: 100%;
}

.filter-actions {
  display: flex;
  gap: 1rem;
  align-items: center;
}

.feed-trial {
  overflow-wrap: anywhere;
}

.feed-title {
  font-weight: 400;
}

.event-types {
  color: var(--muted);
}

.pager {
  margin: 1.5rem 0;
  font-weight: 700;
}

.empty {
  padding: 1rem;
  background: var(--panel);
}

.error-page h1 {
  font-size: 2rem;
}

.error-code {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  color: var(--muted);
}

.site-footer {
  max-width: 64rem;
  margin: 2rem auto 0;
  padding: 0 1rem 1rem;
  color: var(--muted);
  font-size: 0.9rem;
}

.site-footer p {
  margin: 0;
  padding-top: 1rem;
  border-top: 1px solid var(--line);
}

@media (max-width: 40rem) {
  .nct-search {
    margin-left: 0;
    width: 100%;
  }

  .nct-search input {
    width: auto;
  }

  h1 {
    font-size: 1.45rem;
  }

  .change-group {
    padding: 0.6rem 0.75rem;
  }
}

@media (forced-colors: active) {
  .status-swatch,
  .band,
  .band-start {
    forced-color-adjust: none;
  }
}
`;
