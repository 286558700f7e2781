// Distributions: box plots of how close trained attention comes to the pair mean, and a
// histogram of partner distances with the local windows drawn over it. Pure functions of rows.
import type { Row } from '../frames';
import { Spec, Titles, header, roundRows } from '../spec-parts';
import { KIND_INK } from '../palette';

/**
 * How close trained attention comes to the pair mean, over many samples. Rows: (kind, measure,
 * min, q1, median, q3, max), one per shape kind and measure; drawn as box plots (whiskers
 * min–max, box q1–q3, a tick at the median, the median written above its row) with a
 * dashed rule at the value that would give the pair mean exactly. `measures` names the measures and their ideal values.
 */
export function pairMassChart(
  rows: readonly Row[],
  opts: Titles & { measures: readonly { name: string; ideal: number }[] },
): Spec {
  const y = { field: 'kind', type: 'nominal', title: null, sort: ['triangle', 'box'] };
  const color = {
    field: 'kind',
    type: 'nominal',
    scale: { domain: Object.keys(KIND_INK), range: Object.values(KIND_INK) },
    legend: null,
  };
  return {
    ...header(opts),
    hconcat: opts.measures.map((m) => ({
      width: 300,
      height: 90,
      data: {
        values: roundRows(
          rows
            .filter((r) => r.measure === m.name)
            .map((r) => ({ ...r, label: `median ${Number(r.median).toFixed(2)}` })),
          3,
        ),
      },
      layer: [
        {
          mark: { type: 'rule' },
          encoding: {
            y,
            x: {
              field: 'min',
              type: 'quantitative',
              title: `${m.name} (dashed: the pair mean needs ${m.ideal})`,
              scale: { domain: [0, 1] },
            },
            x2: { field: 'max' },
            color,
          },
        },
        {
          mark: { type: 'bar', size: 22, opacity: 0.35 },
          encoding: { y, x: { field: 'q1', type: 'quantitative' }, x2: { field: 'q3' }, color },
        },
        {
          mark: { type: 'tick', thickness: 3, size: 22 },
          encoding: { y, x: { field: 'median', type: 'quantitative' }, color },
        },
        {
          mark: { type: 'text', align: 'left', dy: -15, fontSize: 11 },
          encoding: { y, x: { value: 4 }, text: { field: 'label' } },
        },
        {
          data: { values: [{ ideal: m.ideal }] },
          mark: { type: 'rule', color: '#1b1b1b', strokeDash: [4, 3], strokeWidth: 1.5 },
          encoding: { x: { field: 'ideal', type: 'quantitative' } },
        },
      ],
    })),
    spacing: 40,
  } as Spec;
}

/**
 * How far apart partner shapes are: rows (kind 'distance', pair, distance) binned into a
 * histogram stacked by pair, and rows (kind 'window', distance) drawn as dashed rules, each
 * labelled ±distance: a window narrower than a distance cannot see the partner.
 */
export function distanceHistogram(rows: readonly Row[], opts: Titles): Spec {
  const windows = { filter: "datum.kind === 'window'" };
  return {
    ...header(opts),
    data: { values: roundRows(rows, 3) },
    width: 520,
    height: 200,
    layer: [
      {
        transform: [{ filter: "datum.kind === 'distance'" }],
        mark: { type: 'bar', opacity: 0.8 },
        encoding: {
          x: {
            field: 'distance',
            type: 'quantitative',
            bin: { step: 4 },
            title: 'distance between the centres of a pair (steps)',
            scale: { domain: [0, 100] },
          },
          y: {
            aggregate: 'count',
            type: 'quantitative',
            title: 'pairs in the test set',
            stack: true,
          },
          color: {
            field: 'pair',
            type: 'nominal',
            title: 'pair',
            scale: { range: ['#1f77b4', '#2ca02c'] },
          },
        },
      },
      {
        transform: [windows],
        mark: { type: 'rule', color: 'black', strokeDash: [4, 3] },
        encoding: { x: { field: 'distance', type: 'quantitative' } },
      },
      {
        transform: [windows, { calculate: "'±' + datum.distance", as: 'label' }],
        mark: { type: 'text', align: 'left', dx: 3, dy: -4, baseline: 'top', y: 0 },
        encoding: {
          x: { field: 'distance', type: 'quantitative' },
          text: { field: 'label', type: 'nominal' },
        },
      },
    ],
  } as Spec;
}
