import { formatDay } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import {
  percent,
  PLOT_LEFT_PERCENT,
  PLOT_RIGHT_PERCENT,
  round,
  type Tick,
  type TimeDomain,
  xPercent,
} from './scale.js';
import { timeAxis } from './time-axis.js';

/** Whether the registry gave a value as estimated, as actual, or did not say. */
export type PointKind = 'estimated' | 'actual' | 'unspecified';

/** A value as the registry gave it from one time on, until the next point. */
export interface GivenPoint {
  /** When the registry record started saying it (epoch ms). */
  at: number;
  value: number;
  kind: PointKind;
  /** The value as text, shown beside its marker: `Jun 2018 (estimated)`. */
  label: string;
}

/** From this time on the registry record no longer gave the value (a complete record without it). */
export interface RemovedPoint {
  at: number;
  value: null;
}

export type StepPoint = GivenPoint | RemovedPoint;

const isGiven = (point: StepPoint): point is GivenPoint => point.value !== null;

/** The points' values that are given, for the scale. */
export const givenValues = (points: readonly StepPoint[]): number[] =>
  points.filter(isGiven).map((point) => point.value);

const REMOVED_LABEL = 'Removed';

export interface ValueScale {
  min: number;
  max: number;
  ticks: Tick[];
}

export interface StepChartFigure {
  id: string;
  heading: string;
  /** One sentence saying what the chart shows, readable without it. */
  summary: string;
  /** The column heading for the values in the data table. */
  valueHeading: string;
  points: readonly StepPoint[];
  domain: TimeDomain;
  scale: ValueScale;
}

const PLOT_TOP = 24;
const PLOT_HEIGHT = 150;
const AXIS_HEIGHT = 28;
const HEIGHT = PLOT_TOP + PLOT_HEIGHT + 12 + AXIS_HEIGHT;
const AXIS_Y = PLOT_TOP + PLOT_HEIGHT + 12;
const Y_AXIS_WIDTH = 64;
/** Labels of points closer than this (in percent of the width) may overlap on a narrow screen. */
const CROWDED_PERCENT = 40;
/** How far a label's text rises above its baseline, and the gap kept around it. */
const LABEL_ASCENT = 12;
const LABEL_MARGIN = 3;
/** The highest and lowest baselines a label may have and still show whole, clear of the axis. */
const LABEL_TOP = 13;
const LABEL_BOTTOM = PLOT_TOP + PLOT_HEIGHT + 6;

export const yPixel = (scale: ValueScale, value: number): number => {
  const span = scale.max - scale.min;
  const fraction = span > 0 ? (value - scale.min) / span : 0.5;
  return round(PLOT_TOP + (1 - fraction) * PLOT_HEIGHT);
};

export const KIND_LABELS: Record<PointKind, string> = {
  estimated: 'Estimated',
  actual: 'Actual',
  unspecified: 'Not stated',
};

/** The marker of a point: a hollow circle when estimated, a filled square when actual, a small dot otherwise. */
export const marker = (kind: PointKind, x: string, y: number): SafeHtml => {
  if (kind === 'actual') {
    return html`<rect
      class="marker marker-actual"
      x="${x}"
      y="${y - 5}"
      width="10"
      height="10"
      transform="translate(-5 0)"
    ></rect>`;
  }
  if (kind === 'estimated') return html`<circle class="marker marker-estimated" cx="${x}" cy="${y}" r="5.5"></circle>`;
  return html`<circle class="marker marker-unspecified" cx="${x}" cy="${y}" r="4"></circle>`;
};

interface VerticalSpan {
  top: number;
  bottom: number;
}

const overlaps = (a: VerticalSpan, b: VerticalSpan): boolean =>
  a.top - LABEL_MARGIN <= b.bottom && b.top - LABEL_MARGIN <= a.bottom;

/**
 * Where each point's label goes: beside its marker, running away from the nearer side edge, just above
 * or just below the marker, or further off, whichever first clears what lies in its way: the step lines,
 * risers and labels of the points close enough to reach (on a phone's width).
 */
export const labelPlacements = (
  xs: readonly number[],
  ys: readonly number[],
): { anchor: 'start' | 'end'; dx: number; dy: number }[] => {
  const clusterOf: number[] = [];
  xs.forEach((x, index) => {
    const continues = index > 0 && x - xs[index - 1]! < CROWDED_PERCENT;
    clusterOf.push(continues ? clusterOf[index - 1]! : index);
  });
  const placed: { cluster: number; span: VerticalSpan }[] = [];
  return xs.map((x, index) => {
    const y = ys[index]!;
    const anchor = x > 60 ? 'end' : 'start';
    const inWay: VerticalSpan[] = placed
      .filter((label) => label.cluster === clusterOf[index])
      .map((label) => label.span);
    xs.forEach((_, other) => {
      const ahead = anchor === 'start' ? other > index : other < index;
      if (!ahead || clusterOf[other] !== clusterOf[index]) return;
      inWay.push({ top: ys[other]!, bottom: ys[other]! });
      const joined = anchor === 'start' ? other - 1 : other + 1;
      const riser = [ys[other]!, ys[joined]!];
      inWay.push({ top: Math.min(...riser), bottom: Math.max(...riser) });
    });
    const spanOf = (baseline: number): VerticalSpan => ({ top: baseline - LABEL_ASCENT, bottom: baseline });
    const candidates = [y - 9, y + 17, y - 24, y + 32, y - 39, y + 47];
    const baseline =
      candidates.find(
        (candidate) =>
          candidate >= LABEL_TOP &&
          candidate <= LABEL_BOTTOM &&
          inWay.every((obstacle) => !overlaps(spanOf(candidate), obstacle)),
      ) ?? y - 9;
    placed.push({ cluster: clusterOf[index]!, span: spanOf(baseline) });
    return { anchor, dx: anchor === 'end' ? -9 : 9, dy: round(baseline - y) };
  });
};

/**
 * Each given value is a step from its point to the next point, or on to the end of the axis; a removal
 * ends the step before it there, with no riser, and draws nothing until a value is given again.
 */
const plot = (figure: StepChartFigure): SafeHtml => {
  const { id, points, domain, scale } = figure;
  const given = points.flatMap((point, index) =>
    isGiven(point) ? [{ point, x: xPercent(domain, point.at), y: yPixel(scale, point.value), index }] : [],
  );
  const xs = given.map(({ x }) => x);
  const ys = given.map(({ y }) => y);
  const placements = labelPlacements(xs, ys);
  const steps = given.map(({ x, y, index }) => {
    const next = points[index + 1];
    const end = next ? xPercent(domain, next.at) : PLOT_RIGHT_PERCENT;
    const riser =
      next && isGiven(next)
        ? html`<line
            class="step-riser"
            x1="${percent(end)}"
            x2="${percent(end)}"
            y1="${y}"
            y2="${yPixel(scale, next.value)}"
          ></line>`
        : '';
    return html`<line class="step" x1="${percent(x)}" x2="${percent(end)}" y1="${y}" y2="${y}"></line>${riser}`;
  });
  const marks = given.map(({ point }, index) => {
    const placement = placements[index]!;
    return html`<g class="point" data-kind="${point.kind}">
      ${marker(point.kind, percent(xs[index]!), ys[index]!)}
      <text
        class="point-label"
        x="${percent(xs[index]!)}"
        y="${ys[index]!}"
        dx="${placement.dx}"
        dy="${placement.dy}"
        text-anchor="${placement.anchor}"
        >${point.label}</text
      >
    </g>`;
  });
  return html`<svg
    class="chart step-chart"
    width="100%"
    height="${HEIGHT}"
    role="img"
    aria-labelledby="${id}-title ${id}-desc"
    focusable="false"
  >
    <title id="${id}-title">${figure.heading}</title>
    <desc id="${id}-desc">
      ${figure.summary}
      ${points
        .map(
          (point) =>
            `From ${formatDay(new Date(point.at).toISOString())}: ${
              isGiven(point) ? point.label : 'removed from the registry record'
            }.`,
        )
        .join(' ')}
    </desc>
    <g class="grid" aria-hidden="true">
      ${scale.ticks.map(
        (tick) =>
          html`<line
            class="grid-line"
            x1="${percent(PLOT_LEFT_PERCENT)}"
            x2="${percent(PLOT_RIGHT_PERCENT)}"
            y1="${yPixel(scale, tick.value)}"
            y2="${yPixel(scale, tick.value)}"
          ></line>`,
      )}
    </g>
    ${steps} ${marks} ${timeAxis(domain, AXIS_Y)}
  </svg>`;
};

const valueAxis = (scale: ValueScale): SafeHtml =>
  html`<svg class="value-axis" width="${Y_AXIS_WIDTH}" height="${HEIGHT}" aria-hidden="true" focusable="false">
    ${scale.ticks.map(
      (tick) =>
        html`<text class="axis-label" x="${Y_AXIS_WIDTH - 8}" y="${yPixel(scale, tick.value) + 4}" text-anchor="end"
          >${tick.label}</text
        >`,
    )}
  </svg>`;

const legend = (points: readonly StepPoint[]): SafeHtml => {
  const kinds: PointKind[] = ['estimated', 'actual'];
  if (points.some((point) => isGiven(point) && point.kind === 'unspecified')) kinds.push('unspecified');
  return html`<ul class="chart-legend">
    ${kinds.map(
      (kind) =>
        html`<li>
          <svg class="legend-marker" width="14" height="14" aria-hidden="true" focusable="false">
            ${marker(kind, '7', 7)}</svg
          >${KIND_LABELS[kind]}
        </li>`,
    )}
  </ul>`;
};

const dataTable = (figure: StepChartFigure): SafeHtml =>
  html`<details class="chart-data">
    <summary>${figure.heading}: data as a table</summary>
    <table>
      <caption class="visually-hidden">
        ${figure.heading}: the value each registry record gave
      </caption>
      <thead>
        <tr>
          <th scope="col">Registry record of</th>
          <th scope="col">${figure.valueHeading}</th>
        </tr>
      </thead>
      <tbody>
        ${figure.points.map(
          (point) =>
            html`<tr>
              <td>${formatDay(new Date(point.at).toISOString())}</td>
              <td>${isGiven(point) ? point.label : REMOVED_LABEL}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </details>`;

/**
 * A value over time as the registry gave it, as a step line on the page's shared time axis:
 * each point is a record version that changed it, its marker says estimated or actual in shape and
 * legend, its label says the value in words, and the data is also there as a table.
 */
export const stepChartFigure = (figure: StepChartFigure): SafeHtml =>
  html`<figure class="chart-figure" id="${figure.id}">
    <figcaption>
      <h3 id="${figure.id}-heading">${figure.heading}</h3>
      <p class="chart-summary">${figure.summary}</p>
    </figcaption>
    ${
      figure.points.length === 0
        ? ''
        : html`<div class="chart-frame">${valueAxis(figure.scale)}${plot(figure)}</div>
            ${legend(figure.points)} ${dataTable(figure)}`
    }
  </figure>`;
