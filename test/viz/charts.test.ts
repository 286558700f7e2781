// Chart specs (src/charts.ts), checked on the specs themselves; every spec must also compile.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import * as c from '../../src/viz/charts';
import { historyFrame, matrixFrame, sequenceFrame, toRows } from '../../src/viz/frames';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const values = (s: c.Spec | Any) => (s as Any).data.values as Any[];

describe('chart specs', () => {
  it('rounds numbers to 4 significant digits and leaves integers and strings alone', () => {
    assert.deepEqual(c.roundRows([{ a: 0.123456789, b: 62337, s: 'x', d: 1234.5678 }]), [
      { a: 0.1235, b: 62337, s: 'x', d: 1235 },
    ]);
  });

  it('sequenceChart draws (t, value) lines coloured by series', () => {
    const s = c.sequenceChart(toRows(sequenceFrame({ input: [1.23456, 2], target: [3, 4] })), {
      title: 'Sample 123',
      yTitle: 'height',
    }) as Any;
    assert.equal(s.title, 'Sample 123');
    assert.equal(s.mark.type, 'line');
    assert.deepEqual(
      [s.encoding.x.field, s.encoding.y.field, s.encoding.color.field],
      ['t', 'value', 'series'],
    );
    assert.equal(s.encoding.y.title, 'height');
    assert.deepEqual(values(s)[0], { t: 0, series: 'input', value: 1.235 });
    assert.equal(values(s).length, 4);
  });

  it('lossChart puts train per batch and valid per epoch on a log scale', () => {
    const rows = toRows(
      historyFrame([
        { step: 1, epoch: 0, split: 'train', loss: 0.9 },
        { step: 1, epoch: 0, split: 'valid', loss: 0.8 },
      ]),
    );
    const s = c.lossChart(rows, { title: 'CNN', subtitle: 'loss' }) as Any;
    assert.deepEqual(s.title, { text: 'CNN', subtitle: 'loss' });
    assert.equal(s.layer.length, 2);
    assert.deepEqual(
      s.layer.map((l: Any) => l.transform[0].filter),
      ["datum.series === 'train'", "datum.series === 'valid'"],
    );
    assert.equal(s.layer[0].encoding.y.scale.type, 'log');
    assert.equal(s.layer[1].mark.point, true);
    const faceted = c.lossChart(
      rows.map((r) => ({ ...r, model: 'cnn' })),
      { title: 'all', facetByModel: true },
    ) as Any;
    assert.equal(faceted.facet.field, 'model');
  });

  it('predictionGrid facets by sample, two columns, in the given order', () => {
    const rows = [84, 701, 27, 493].flatMap((sample) =>
      toRows(sequenceFrame({ input: [0], target: [1] })).map((r) => ({ ...r, sample })),
    );
    const s = c.predictionGrid(rows, { title: 'Test predictions' }) as Any;
    assert.equal(s.facet.field, 'sample');
    assert.deepEqual(s.facet.sort, [84, 701, 27, 493]);
    assert.equal(s.columns, 2);
    assert.deepEqual([...new Set(values(s).map((r) => r.sample))], [84, 701, 27, 493]);
  });

  it('attentionHeatmap: rect, input on x, output on y descending, viridis, 500×500', () => {
    const rows = toRows(
      matrixFrame(
        Array.from({ length: 10_000 }, (_, i) => (i % 101 === 0 ? 0.5 : 0.0050505)),
        100,
      ),
    );
    const s = c.attentionHeatmap(rows, { title: 'Attention, test sample 84' }) as Any;
    assert.equal(s.mark.type, 'rect');
    assert.deepEqual([s.width, s.height], [500, 500]);
    assert.equal(s.encoding.x.field, 'input');
    assert.equal(s.encoding.y.field, 'output');
    assert.equal(s.encoding.y.sort, 'descending');
    assert.equal(s.encoding.color.scale.scheme, 'viridis');
    assert.equal(values(s).length, 10_000);
    assert.deepEqual(values(s)[0], { input: 0, output: 0, attention: 0.5 });
    assert.deepEqual(values(s)[1], { input: 1, output: 0, attention: 0.00505 });
    const sideBySide = c.attentionHeatmap(
      rows.map((r) => ({ ...r, model: 'a' })),
      { title: 't', size: 250, column: 'model' },
    ) as Any;
    assert.equal(sideBySide.facet.field, 'model');
    assert.equal(sideBySide.spec.width, 250);
  });

  it('overfitChart and comparisonChart use log scales', () => {
    const o = c.overfitChart(
      [
        { step: 0, value: 0.97 },
        { step: 1000, value: 0.016 },
      ],
      { title: 'overfit' },
    ) as Any;
    assert.equal(o.encoding.y.scale.type, 'log');
    const cmp = c.comparisonChart([{ model: 'cnn', split: 'valid', value: 0.067 }], {
      title: 'all',
    }) as Any;
    assert.equal(cmp.mark.type, 'bar');
    assert.equal(cmp.encoding.y.scale.type, 'log');
    assert.equal(cmp.encoding.xOffset.field, 'split');
  });

  it('sweep charts: heatmap over kernel × key channels, loss vs params, learning curves', () => {
    const h = c.sweepHeatmap([{ kernelSize: 3, keyChannels: 8, value: 0.01234567 }], {
      title: 'sweep',
    }) as Any;
    assert.deepEqual([h.encoding.x.field, h.encoding.y.field], ['keyChannels', 'kernelSize']);
    assert.equal(h.layer[0].encoding.color.scale.scheme, 'viridis');
    assert.deepEqual(values(h), [{ kernelSize: 3, keyChannels: 8, value: 0.01235 }]);
    const p = c.lossVsParams([{ model: 'cnn', params: 62337, value: 0.06, label: 'k5' }], {
      title: 'p',
    }) as Any;
    assert.equal(p.encoding.x.scale.type, 'log');
    const l = c.learningCurves([{ epoch: 1, label: 'k5', value: 0.1 }], { title: 'l' }) as Any;
    assert.equal(l.encoding.color.field, 'label');
  });

  it('every spec compiles with vega-lite without errors', () => {
    const seq = toRows(sequenceFrame({ input: [0, 1], target: [1, 0] }));
    const specs = [
      c.sequenceChart(seq, { title: 'a' }),
      c.lossChart(toRows(historyFrame([{ step: 1, epoch: 0, split: 'train', loss: 1 }])), {
        title: 'b',
      }),
      c.predictionGrid(
        seq.map((r) => ({ ...r, sample: 1 })),
        { title: 'c' },
      ),
      c.overfitChart([{ step: 0, value: 1 }], { title: 'd' }),
      c.attentionHeatmap(toRows(matrixFrame([1, 0, 0, 1], 2)), { title: 'e' }),
      c.comparisonChart([{ model: 'cnn', split: 'train', value: 0.1 }], { title: 'f' }),
      c.sweepHeatmap([{ kernelSize: 3, keyChannels: 8, value: 0.1 }], { title: 'g' }),
      c.lossVsParams([{ model: 'cnn', params: 10, value: 0.1, label: 'x' }], { title: 'h' }),
      c.learningCurves([{ epoch: 0, label: 'x', value: 0.1 }], { title: 'i' }),
    ];
    for (const s of specs) assert.ok(compile(s).spec.marks, JSON.stringify(s.title));
  });
});
