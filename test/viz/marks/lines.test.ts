// Line charts (src/viz/marks/lines.ts), checked on the specs themselves; every spec compiles.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { historyFrame, sequenceFrame, toRows } from '../../../src/viz/frames';
import {
  epochCurves,
  lossChart,
  overfitChart,
  poolingLines,
  predictionGrid,
  sequenceChart,
} from '../../../src/viz/marks/lines';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('line charts', () => {
  it('sequenceChart draws (t, value) lines coloured by series, with shaded shape spans', () => {
    const s = sequenceChart(toRows(sequenceFrame({ input: [1.23456, 2], target: [3, 4] })), {
      title: 'Sample 123',
      yTitle: 'height',
      spans: [{ label: 'B1', kind: 'box', start: 3, end: 9 }],
    }) as Any;
    assert.equal(s.title, 'Sample 123');
    const [band, label, lines] = s.layer;
    assert.equal(band.mark.type, 'rect');
    assert.deepEqual(band.data.values, [{ label: 'B1', kind: 'box', start: 3, end: 9 }]);
    assert.equal(label.encoding.text.field, 'label');
    assert.deepEqual(
      [lines.encoding.x.field, lines.encoding.y.field, lines.encoding.color.field],
      ['t', 'value', 'series'],
    );
    assert.equal(lines.encoding.y.title, 'height');
    assert.deepEqual(lines.data.values[0], { t: 0, series: 'input', value: 1.235 });
    assert.equal(lines.data.values.length, 4);
    assert.equal((sequenceChart([], { title: 'no spans' }) as Any).layer.length, 1);
  });

  it('lossChart puts train per batch and valid per epoch on a log scale; facets by model', () => {
    const rows = toRows(
      historyFrame([
        { step: 1, epoch: 0, split: 'train', loss: 0.9 },
        { step: 1, epoch: 0, split: 'valid', loss: 0.8 },
      ]),
    );
    const s = lossChart(rows, { title: 'CNN', subtitle: 'loss' }) as Any;
    assert.deepEqual(s.title, { text: 'CNN', subtitle: 'loss' });
    assert.deepEqual(
      s.layer.map((l: Any) => l.transform[0].filter),
      ["datum.series === 'train'", "datum.series === 'valid'"],
    );
    assert.equal(s.layer[0].encoding.y.scale.type, 'log');
    assert.equal(s.layer[1].mark.point, true);
    const faceted = lossChart(
      ['b', 'a'].flatMap((model) => rows.map((r) => ({ ...r, model }))),
      { title: 'all', facetByModel: true },
    ) as Any;
    assert.equal(faceted.facet.field, 'model');
    assert.deepEqual(faceted.facet.sort, ['b', 'a']);
  });

  it('predictionGrid: one panel per sample in first-seen order, the series in the palette', () => {
    const rows = [84, 701, 27].flatMap((sample) =>
      toRows(sequenceFrame({ input: [0], target: [1], cnn: [0.5], attention: [0.9] })).map((r) => ({
        ...r,
        sample,
      })),
    );
    const s = predictionGrid(rows, { title: 'p' }) as Any;
    assert.equal(s.facet.field, 'sample');
    assert.deepEqual(s.facet.sort, [84, 701, 27]);
    assert.equal(s.columns, 2);
    const enc = s.spec.encoding;
    assert.deepEqual(enc.color.scale.domain, ['input', 'target', 'cnn', 'attention']);
    assert.deepEqual(enc.color.scale.range, ['#a3a3a3', '#1b1b1b', '#4c78a8', '#f58518']);
    assert.equal(s.spec.params[0].bind, 'legend');
  });

  it('overfitChart: (step, value) on a log scale, each value written', () => {
    const o = overfitChart(
      [
        { step: 0, value: 0.97 },
        { step: 1000, value: 0.016 },
      ],
      { title: 'overfit' },
    ) as Any;
    assert.equal(o.encoding.y.scale.type, 'log');
    assert.equal(o.layer[1].encoding.text.field, 'value');
  });

  it('epochCurves: log valid per epoch, one line per run; a legend toggle or a tooltip', () => {
    const rows = [
      { epoch: 1, label: 'k5', value: 0.1 },
      { epoch: 1, label: 'k3', value: 0.2 },
      { epoch: 2, label: 'k5', value: 0.05 },
    ];
    const t = epochCurves(rows, { title: 'l', color: 'label', y: 'value', toggle: true }) as Any;
    assert.equal(t.encoding.color.field, 'label');
    assert.deepEqual(t.encoding.color.sort, ['k5', 'k3']);
    assert.equal(t.params[0].bind, 'legend');
    assert.deepEqual(t.encoding.x.axis.values, [1, 2]);
    const v = epochCurves(
      rows.map((r) => ({ variant: r.label, epoch: r.epoch, valid: r.value })),
      { title: 'v', color: 'variant', y: 'valid' },
    ) as Any;
    assert.equal(v.params, undefined);
    assert.equal(v.encoding.y.field, 'valid');
    assert.equal(v.encoding.y.scale.type, 'log');
    assert.deepEqual(v.encoding.tooltip[0], { field: 'variant' });
  });

  it('poolingLines: the input above β, one column per sample in first-seen order', () => {
    const rows = [3, 0].flatMap((sample) => [
      { sample, t: 0, series: 'input', value: 0.123456 },
      { sample, t: 0, series: 'β', value: 0.01 },
    ]);
    const s = poolingLines(rows, { title: 'β' }) as Any;
    assert.deepEqual(s.facet.column.sort, [3, 0]);
    assert.deepEqual(s.facet.row.sort, ['input', 'β']);
    assert.equal(s.data.values[0].value, 0.123);
    assert.equal(s.resolve.scale.y, 'independent');
  });

  it('every line spec compiles', () => {
    const seq = toRows(sequenceFrame({ input: [0, 1], target: [1, 0] }));
    const specs = [
      sequenceChart(seq, {
        title: 'a',
        spans: [{ label: 'T1', kind: 'triangle', start: 0, end: 1 }],
      }),
      lossChart(toRows(historyFrame([{ step: 1, epoch: 0, split: 'train', loss: 1 }])), {
        title: 'b',
      }),
      predictionGrid(
        seq.map((r) => ({ ...r, sample: 1 })),
        { title: 'c' },
      ),
      overfitChart([{ step: 0, value: 1 }], { title: 'd' }),
      epochCurves([{ epoch: 0, label: 'x', value: 0.1 }], {
        title: 'e',
        color: 'label',
        y: 'value',
        toggle: true,
      }),
      epochCurves([{ epoch: 0, variant: 'x', valid: 0.1 }], {
        title: 'f',
        color: 'variant',
        y: 'valid',
      }),
      poolingLines([{ sample: 1, t: 0, series: 'β', value: 1 }], { title: 'g' }),
    ];
    for (const s of specs) assert.ok(compile(s).spec, JSON.stringify(s.title));
  });
});
