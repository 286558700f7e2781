// The pieces every chart spec shares: the schema and titles, first-seen order, the series
// palette and its legend toggle, and the shaded shape spans. Pure functions of rows.
import type { TopLevelSpec } from 'vega-lite';
import type { Row } from './frames';
import { KIND_FILL, KIND_INK, seriesStyle } from './palette';

export type Spec = TopLevelSpec;
export type Any = Record<string, unknown>;

/** Rounds every number to `digits` significant digits (integers are kept as they are). */
export function roundRows(rows: readonly Row[], digits = 4): Row[] {
  const r = (v: string | number) =>
    typeof v === 'number' && !Number.isInteger(v) && Number.isFinite(v)
      ? Number(v.toPrecision(digits))
      : v;
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, r(v)])));
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
export const WIDTH = 560;

export interface Titles {
  title: string;
  subtitle?: string | string[];
}

export function header({ title, subtitle }: Titles) {
  return { $schema: SCHEMA, title: subtitle ? { text: title, subtitle } : title };
}

/** The distinct values of `field` in the order they first appear. */
export function firstSeen(rows: readonly Row[], field: string): (string | number)[] {
  return [...new Set(rows.map((r) => r[field]))];
}

/**
 * Colour, dash and width encodings of a `series` field in the project's palette. Dash and width
 * are conditions on the series name (a scale over a nominal field would make vega-lite warn
 * and draw a legend of its own).
 */
export function seriesEncoding(
  names: readonly string[],
  opts: { legendTitle?: string | null } = {},
) {
  const s = seriesStyle(names);
  const when = <T>(values: T[], plain: T) => {
    const condition = s.domain
      .map((n, i) => ({ test: `datum.series === ${JSON.stringify(n)}`, value: values[i] }))
      .filter((c) => JSON.stringify(c.value) !== JSON.stringify(plain));
    return condition.length ? { condition, value: plain } : { value: plain };
  };
  return {
    color: {
      field: 'series',
      type: 'nominal',
      title: opts.legendTitle ?? null,
      scale: { domain: s.domain, range: s.color },
      legend: { symbolType: 'stroke', symbolStrokeWidth: 2.5 },
    },
    strokeDash: when(s.dash, [1, 0]),
    strokeWidth: when(s.width, 1.7),
  };
}

/** A point selection on `field` bound to the legend: click a legend entry to show it alone. */
export function legendToggle(name: string, field: string) {
  return { name, select: { type: 'point', fields: [field] }, bind: 'legend' };
}
export const fadeUnless = (param: string) => ({
  condition: { param, value: 1, empty: true },
  value: 0.12,
});

// ---- sequences ---------------------------------------------------------------------------

/** One shape's span on the position axis: the steps it covers, labelled T1, T2, B1, B2. */
export interface SpanRow extends Row {
  label: string;
  kind: string;
  start: number;
  end: number;
}

/** Pale bands over each shape's span, with its label at the top (for a chart with x = position). */
export function spanLayers(spans: readonly Row[], axis: 'x' | 'y') {
  const other = axis === 'x' ? 'y' : 'x';
  const band = {
    data: { values: roundRows(spans) },
    transform: [
      { calculate: 'datum.start - 0.5', as: 'lo' },
      { calculate: 'datum.end + 0.5', as: 'hi' },
      { calculate: '(datum.start + datum.end) / 2', as: 'mid' },
    ],
  };
  const kindColor = (palette: Readonly<Record<string, string>>) => ({
    field: 'kind',
    type: 'nominal',
    scale: { domain: Object.keys(palette), range: Object.values(palette) },
    legend: null,
  });
  return [
    {
      ...band,
      mark: { type: 'rect', opacity: 0.55 },
      encoding: {
        [axis]: { field: 'lo', type: 'quantitative' },
        [`${axis}2`]: { field: 'hi' },
        fill: kindColor(KIND_FILL),
      },
    },
    {
      ...band,
      mark:
        axis === 'x'
          ? { type: 'text', baseline: 'top', dy: 3, fontWeight: 'bold', fontSize: 11 }
          : { type: 'text', align: 'left', baseline: 'middle', fontWeight: 'bold', fontSize: 11 },
      encoding: {
        [axis]: { field: 'mid', type: 'quantitative' },
        [other]: { value: axis === 'x' ? 0 : 4 },
        text: { field: 'label' },
        color: kindColor(KIND_INK),
      },
    },
  ];
}
