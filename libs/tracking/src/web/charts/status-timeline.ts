import type { StatusPeriod } from '../../read-models/index.js';
import { formatCount, formatDay, formatSpan, statusLabel } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { percent, PLOT_LEFT_PERCENT, type TimeDomain, xPercent } from './scale.js';
import { statusColour } from './status-palette.js';
import { timeAxis } from './time-axis.js';

const ROW_HEIGHT = 60;
const BAND_OFFSET = 36;
const BAND_HEIGHT = 16;
const AXIS_HEIGHT = 28;

const periodRange = (period: StatusPeriod): string =>
  `${formatDay(period.from)} – ${period.to ? formatDay(period.to) : 'today'}`;

/** `Recruiting from 14 Jun 2016 to today: 3,472 days (9 years 6 months)`. */
export const describePeriod = (period: StatusPeriod): string =>
  `${statusLabel(period.status)} from ${formatDay(period.from)} to ${period.to ? formatDay(period.to) : 'today'}: ` +
  `${formatCount(period.days)} ${period.days === 1 ? 'day' : 'days'} (${formatSpan(period.days)})`;

/**
 * The overall status over time: one row per status period, its band placed on the shared time axis
 * and labelled with the status, its dates and how long it lasted (so the colour is never needed to read it).
 */
export const statusTimeline = (periods: readonly StatusPeriod[], domain: TimeDomain, id: string): SafeHtml => {
  if (periods.length === 0) return html`<p class="empty">No overall status has been recorded for this trial.</p>`;
  const height = periods.length * ROW_HEIGHT + AXIS_HEIGHT;
  const rows = periods.map((period, index) => {
    const top = index * ROW_HEIGHT;
    const from = xPercent(domain, Date.parse(period.from));
    const to = xPercent(domain, period.to ? Date.parse(period.to) : domain.end);
    const colour = statusColour(period.status);
    return html`<g
      class="status-band"
      data-status="${period.status}"
      ${period.current ? html` data-current="true"` : ''}
    >
      <text class="band-label" x="${percent(PLOT_LEFT_PERCENT)}" y="${top + 14}"
        >${statusLabel(period.status)}${
          period.current ? html`<tspan class="band-current"> (current)</tspan>` : ''
        }</text
      >
      <text class="band-dates" x="${percent(PLOT_LEFT_PERCENT)}" y="${top + 30}"
        >${periodRange(period)} · ${formatSpan(period.days)}</text
      >
      <rect
        class="band"
        x="${percent(from)}"
        y="${top + BAND_OFFSET}"
        width="${percent(to - from)}"
        height="${BAND_HEIGHT}"
        fill="${colour}"
      ></rect>
      <rect
        class="band-start"
        x="${percent(from)}"
        y="${top + BAND_OFFSET - 4}"
        width="3"
        height="${BAND_HEIGHT + 8}"
        fill="${colour}"
      ></rect>
    </g>`;
  });
  return html`<svg
    class="chart status-timeline"
    width="100%"
    height="${height}"
    role="img"
    aria-labelledby="${id}-title ${id}-desc"
    focusable="false"
  >
    <title id="${id}-title">Overall status over time</title>
    <desc id="${id}-desc">${periods.map(describePeriod).join('. ')}.</desc>
    ${rows} ${timeAxis(domain, periods.length * ROW_HEIGHT)}
  </svg>`;
};

/** The status in words beside a swatch of its timeline colour. */
export const statusBadge = (status: string | null | undefined): SafeHtml =>
  html`<span class="status-badge"
    ><svg class="status-swatch" width="14" height="14" aria-hidden="true" focusable="false">
      <rect width="14" height="14" fill="${statusColour(status)}"></rect></svg
    >${statusLabel(status)}</span
  >`;

/** The periods as a table, for reading exact dates and day counts. */
export const statusPeriodsTable = (periods: readonly StatusPeriod[]): SafeHtml =>
  html`<details class="chart-data">
    <summary>Status periods as a table</summary>
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">
          Overall status periods, oldest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          ${periods.map(
            (period) =>
              html`<tr>
                <td>${statusBadge(period.status)}</td>
                <td>${formatDay(period.from)}</td>
                <td>${period.to ? formatDay(period.to) : 'today (current)'}</td>
                <td>${formatCount(period.days)} ${period.days === 1 ? 'day' : 'days'} (${formatSpan(period.days)})</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </details>`;
