// Bar charts: what the blog LSTM's batch axis does, one bar per position in a batch. A pure
// function of rows to a vega-lite spec.
import type { Row } from '../frames';
import { Spec, Titles, WIDTH, firstSeen, header, roundRows } from '../spec-parts';

/**
 * The blog LSTM's batch axis: (model, position, change) as one panel per model, so no model's
 * bars hide another's, on a symlog axis with ticks at every power of ten from 0.001 up.
 */
export function batchLeakChart(
  rows: readonly Row[],
  opts: Titles & { order?: readonly string[] },
): Spec {
  const max = Math.max(...rows.map((r) => Number(r.change)), 1);
  const ticks = [0, 0.001, 0.01, 0.1, 1, ...(max > 3 ? [Math.ceil(max)] : [])];
  return {
    ...header(opts),
    data: { values: roundRows(rows, 3) },
    facet: {
      row: {
        field: 'model',
        type: 'nominal',
        title: null,
        sort: opts.order ? [...opts.order] : firstSeen(rows, 'model'),
        header: {
          labelOrient: 'top',
          labelAnchor: 'start',
          labelFontSize: 12,
          labelFontWeight: 'bold',
        },
      },
    },
    spec: {
      width: WIDTH - 60,
      height: 110,
      mark: { type: 'bar', width: 3, color: '#4c78a8' },
      encoding: {
        x: {
          field: 'position',
          type: 'quantitative',
          title: 'position of the sample in its batch of 128',
          scale: { domain: [-1, 128], nice: false },
        },
        y: {
          field: 'change',
          type: 'quantitative',
          title: 'change (symlog)',
          scale: { type: 'symlog', constant: 0.001, domain: [0, ticks[ticks.length - 1]] },
          axis: { values: ticks, format: '~g' },
        },
        tooltip: [{ field: 'model' }, { field: 'position' }, { field: 'change', format: '.2g' }],
      },
    },
  } as Spec;
}
