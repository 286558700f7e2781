// Comparisons across models as vega-lite specs: the scoreboard of every model and how close
// trained attention comes to the pair mean.
import type { Row } from './frames';
import { Spec, Titles, firstSeen, header, roundRows } from './spec-parts';
import { KIND_INK } from './palette';

/**
 * The scoreboard: one row per model, three dot plots side by side that share the model axis:
 * final train/valid/test loss on a log axis (the valid value written beside its dot), the
 * parameter count, and the mean seconds per epoch with the backend that trained it.
 * `losses` rows: (model, split, value); `models` rows: (model, params, seconds, backend, valid).
 */
export function scoreboardChart(
  parts: { losses: readonly Row[]; models: readonly Row[] },
  opts: Titles & { order?: readonly string[] },
): Spec {
  const order = opts.order ? [...opts.order] : firstSeen(parts.models, 'model');
  const height = Math.max(90, 34 * order.length);
  const y = { field: 'model', type: 'nominal', title: null, sort: order };
  const yNoAxis = { ...y, axis: null };
  const models = { values: roundRows(parts.models) };
  /** A grey dot per model on `x`, labelled with `text`: the parameter and speed panels. */
  const labelledDots = (text: Record<string, unknown>, x: Record<string, unknown>) => ({
    width: 170,
    height,
    data: models,
    layer: [
      { mark: { type: 'point', filled: true, size: 70, color: '#555555' } },
      { mark: { type: 'text', align: 'left', dx: 7, fontSize: 11 }, encoding: { text } },
    ],
    encoding: { y: yNoAxis, x },
  });
  return {
    ...header(opts),
    hconcat: [
      {
        width: 330,
        height,
        layer: [
          {
            data: { values: roundRows(parts.losses) },
            mark: { type: 'point', filled: true, size: 80, opacity: 0.85 },
            encoding: {
              y,
              x: {
                field: 'value',
                type: 'quantitative',
                title: 'final MSE (normalised, log scale)',
                scale: { type: 'log' },
              },
              color: {
                field: 'split',
                type: 'nominal',
                title: 'split',
                scale: {
                  domain: ['train', 'valid', 'test'],
                  range: ['#4c78a8', '#f58518', '#54a24b'],
                },
              },
              shape: {
                field: 'split',
                type: 'nominal',
                scale: {
                  domain: ['train', 'valid', 'test'],
                  range: ['circle', 'diamond', 'square'],
                },
              },
              tooltip: [{ field: 'model' }, { field: 'split' }, { field: 'value', format: '.4g' }],
            },
          },
          {
            data: models,
            mark: { type: 'text', align: 'left', dx: 9, dy: -9, fontSize: 11 },
            encoding: {
              y,
              x: { field: 'valid', type: 'quantitative' },
              text: { field: 'valid', type: 'quantitative', format: '.2g' },
            },
          },
        ],
      },
      labelledDots(
        { field: 'params', type: 'quantitative', format: ',' },
        {
          field: 'params',
          type: 'quantitative',
          title: 'parameters',
          scale: { zero: true },
          axis: { format: '~s', tickCount: 4 },
        },
      ),
      labelledDots(
        { field: 'speed' },
        {
          field: 'seconds',
          type: 'quantitative',
          title: 'seconds per epoch',
          scale: { zero: true },
          axis: { tickCount: 4 },
        },
      ),
    ],
    spacing: 70,
    resolve: { scale: { y: 'shared' } },
  } as Spec;
}

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
