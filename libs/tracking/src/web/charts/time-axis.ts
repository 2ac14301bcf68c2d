import { html, type SafeHtml } from '../html.js';
import { percent, PLOT_LEFT_PERCENT, PLOT_RIGHT_PERCENT, type TimeDomain, timeTicks, xPercent } from './scale.js';

/** Labels near an edge are anchored to it, so they never run off the chart. */
export const anchorFor = (x: number): 'start' | 'middle' | 'end' => (x < 10 ? 'start' : x > 90 ? 'end' : 'middle');

/** A horizontal time axis at `y`: a base line and labelled month or year ticks. */
export const timeAxis = (domain: TimeDomain, y: number): SafeHtml => {
  const ticks = timeTicks(domain.start, domain.end);
  return html`<g class="axis time-axis" aria-hidden="true">
    <line
      class="axis-line"
      x1="${percent(PLOT_LEFT_PERCENT)}"
      x2="${percent(PLOT_RIGHT_PERCENT)}"
      y1="${y}"
      y2="${y}"
    ></line>
    ${ticks.map((tick) => {
      const x = xPercent(domain, tick.value);
      return html`<line class="axis-tick" x1="${percent(x)}" x2="${percent(x)}" y1="${y}" y2="${y + 5}"></line>
        <text class="axis-label" x="${percent(x)}" y="${y + 18}" text-anchor="${anchorFor(x)}">${tick.label}</text>`;
    })}
  </g>`;
};
