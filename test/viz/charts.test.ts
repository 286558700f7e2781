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

  it('sequenceChart draws (t, value) lines coloured by series, with shaded shape spans', () => {
    const s = c.sequenceChart(toRows(sequenceFrame({ input: [1.23456, 2], target: [3, 4] })), {
      title: 'Sample 123',
      yTitle: 'height',
      spans: [{ label: 'B1', kind: 'box', start: 3, end: 9 }],
    }) as Any;
    assert.equal(s.title, 'Sample 123');
    const [band, label, lines] = s.layer;
    assert.equal(band.mark.type, 'rect');
    assert.deepEqual(band.data.values, [{ label: 'B1', kind: 'box', start: 3, end: 9 }]);
    assert.equal(label.encoding.text.field, 'label');
    assert.equal(lines.mark.type, 'line');
    assert.deepEqual(
      [lines.encoding.x.field, lines.encoding.y.field, lines.encoding.color.field],
      ['t', 'value', 'series'],
    );
    assert.equal(lines.encoding.y.title, 'height');
    assert.deepEqual(lines.data.values[0], { t: 0, series: 'input', value: 1.235 });
    assert.equal(lines.data.values.length, 4);
    assert.equal((c.sequenceChart([], { title: 'no spans' }) as Any).layer.length, 1);
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

  it('overfitChart uses a log scale', () => {
    const o = c.overfitChart(
      [
        { step: 0, value: 0.97 },
        { step: 1000, value: 0.016 },
      ],
      { title: 'overfit' },
    ) as Any;
    assert.equal(o.encoding.y.scale.type, 'log');
  });

  it('sweepHeatmap: darkest is best, text colour follows the cell, key channels unrotated', () => {
    const rows = [
      { kernelSize: 3, keyChannels: 8, value: 0.04 },
      { kernelSize: 9, keyChannels: 96, value: 0.025 },
      { kernelSize: 5, keyChannels: 96, value: 0.046 },
    ];
    const h = c.sweepHeatmap(rows, { title: 'sweep' }) as Any;
    assert.deepEqual([h.encoding.x.field, h.encoding.y.field], ['keyChannels', 'kernelSize']);
    assert.equal(h.encoding.x.axis.labelAngle, 0);
    const scale = h.layer[0].encoding.color.scale;
    assert.equal(scale.scheme, 'viridis'); // viridis runs dark → light, so the lowest loss is darkest
    assert.equal(scale.reverse, undefined);
    assert.deepEqual(scale.domain, [0.025, 0.046]);
    // White on the dark part of the scale (below 45% of the log range), black above it.
    const text = h.layer[1].encoding.color;
    assert.equal(text.condition.value, 'white');
    assert.equal(text.value, 'black');
    const split = Number(text.condition.test.replace('datum.value < ', ''));
    assert.equal(split, 0.03289); // exp(ln 0.025 + 0.45 · (ln 0.046 − ln 0.025))
    assert.deepEqual(values(h)[0], { kernelSize: 3, keyChannels: 8, value: 0.04 });
  });

  it('scoreboardChart shows every value: losses on a log axis, parameters and seconds as labelled dots', () => {
    const s = c.scoreboardChart(
      {
        losses: [
          { model: 'cnn', split: 'valid', value: 0.067123 },
          { model: 'attention', split: 'valid', value: 0.000887 },
        ],
        models: [
          {
            model: 'cnn',
            params: 62337,
            seconds: 15.19,
            backend: 'tfjs-node',
            valid: 0.067,
            speed: '15.2 s',
          },
          {
            model: 'attention',
            params: 58177,
            seconds: 15.3,
            backend: 'tfjs-node',
            valid: 0.00089,
            speed: '15.3 s',
          },
        ],
      },
      { title: 'scores', order: ['attention', 'cnn'] },
    ) as Any;
    const [losses, params, speed] = s.hconcat;
    assert.equal(losses.layer[0].mark.type, 'point');
    assert.equal(losses.layer[0].encoding.x.scale.type, 'log');
    assert.deepEqual(losses.layer[0].encoding.y.sort, ['attention', 'cnn']);
    assert.deepEqual(losses.layer[0].data.values[0], {
      model: 'cnn',
      split: 'valid',
      value: 0.06712,
    });
    assert.equal(losses.layer[1].mark.type, 'text');
    assert.equal(params.layer[1].encoding.text.field, 'params');
    assert.equal(speed.layer[1].encoding.text.field, 'speed');
  });

  it('batchLeakChart: one panel per model in the given order, symlog with ticks below 1', () => {
    const rows = ['lstm-blog', 'cnn'].flatMap((model) =>
      [0, 1, 2].map((position) => ({
        model,
        position,
        change: model === 'cnn' && position ? 0 : 1 / (position + 1),
      })),
    );
    const s = c.batchLeakChart(rows, { title: 'leak', order: ['lstm-blog', 'cnn'] }) as Any;
    assert.equal(s.facet.row.field, 'model');
    assert.deepEqual(s.facet.row.sort, ['lstm-blog', 'cnn']);
    assert.equal(s.spec.encoding.y.scale.type, 'symlog');
    assert.deepEqual(s.spec.encoding.y.axis.values, [0, 0.001, 0.01, 0.1, 1]);
    assert.deepEqual(values(s)[1], { model: 'lstm-blog', position: 1, change: 0.5 });
  });

  it('attentionHeatmap side by side: one shared colour scale, panels in the given order', () => {
    const rows = ['without', 'with'].flatMap((model) =>
      toRows(matrixFrame([0.6, 0.4, 0.07, 0.93], 2)).map((r) => ({ ...r, model })),
    );
    const s = c.attentionHeatmap(rows, {
      title: 't',
      column: 'model',
      order: ['without', 'with'],
      scale: { type: 'sqrt' },
    }) as Any;
    assert.deepEqual(s.facet.sort, ['without', 'with']);
    assert.equal(s.resolve.scale.color, 'shared');
    assert.equal(s.spec.encoding.color.scale.type, 'sqrt');
  });

  it('attentionPairing: the map with the sample above and beside it, a slider over the samples', () => {
    const parts = {
      coded: [0, 1].flatMap((index) => [
        { index, output: 0, codes: '0z' },
        { index, output: 1, codes: 'Z0' },
      ]),
      lines: [0, 1].flatMap((index) => [
        { index, t: 0, input: 0.12345, target: 0.5 },
        { index, t: 1, input: 1, target: 0.5 },
      ]),
      series: ['input', 'target'],
      spans: [{ index: 0, label: 'T1', kind: 'triangle', start: 0, end: 1 }],
      blocks: [{ index: 0, relation: 'own', x0: -0.5, x1: 1.5, y0: -0.5, y1: 1.5 }],
      samples: [
        { index: 0, sample: 84 },
        { index: 1, sample: 7 },
      ],
    };
    const s = c.attentionPairing(parts, { title: 'pairs', initial: 1 }) as Any;
    assert.deepEqual(s.params[0].bind, {
      input: 'range',
      min: 0,
      max: 1,
      step: 1,
      name: 'sample # ',
    });
    assert.equal(s.params[0].value, 1);
    const [top, row] = s.vconcat;
    const [heat, side] = row.hconcat;
    assert.equal(top.width, heat.width); // the lines sit on the map's input axis
    assert.equal(side.height, heat.height); // the input beside it on the output axis
    const cells = heat.layer[0];
    assert.deepEqual(cells.transform[0], { filter: 'datum.index === pick' });
    assert.deepEqual(cells.encoding.x.scale.domain, [-0.5, 99.5]);
    assert.equal(cells.encoding.color.scale.type, 'sqrt');
    const lines = top.layer.find((l: Any) => l.mark.type === 'line');
    assert.deepEqual(lines.transform[1], { fold: ['input', 'target'], as: ['series', 'value'] });
    assert.deepEqual(lines.data.values[0], { index: 0, t: 0, input: 0.123, target: 0.5 });
    // One sample: no slider.
    const one = c.attentionPairing(
      { ...parts, samples: [{ index: 0, sample: 84 }] },
      { title: 'one' },
    ) as Any;
    assert.equal(one.params[0].bind, undefined);
  });

  it('predictionGrid: target black and thick, input grey and dashed, each model its own colour', () => {
    const rows = toRows(
      sequenceFrame({ input: [0], target: [1], cnn: [0.5], attention: [0.9] }),
    ).map((r) => ({ ...r, sample: 84 }));
    const s = c.predictionGrid(rows, { title: 'p' }) as Any;
    const enc = s.spec.encoding;
    assert.deepEqual(enc.color.scale.domain, ['input', 'target', 'cnn', 'attention']);
    assert.deepEqual(enc.color.scale.range, ['#a3a3a3', '#1b1b1b', '#4c78a8', '#f58518']);
    assert.deepEqual(enc.strokeDash.condition, [
      { test: 'datum.series === "input"', value: [4, 3] },
    ]);
    assert.equal(enc.strokeWidth.condition[1].value, 2.6);
    assert.equal(s.spec.params[0].bind, 'legend');
  });

  it('pairMassChart: quartiles per kind for each measure, a dashed rule at the ideal', () => {
    const rows = ['a', 'b'].flatMap((measure) =>
      ['triangle', 'box'].map((kind) => ({
        kind,
        measure,
        min: 0.1,
        q1: 0.3,
        median: 0.41234,
        q3: 0.5,
        max: 0.9,
      })),
    );
    const s = c.pairMassChart(rows, {
      title: 'm',
      measures: [
        { name: 'a', ideal: 1 },
        { name: 'b', ideal: 0.5 },
      ],
    }) as Any;
    assert.equal(s.hconcat.length, 2);
    assert.deepEqual(s.hconcat[1].layer[4].data.values, [{ ideal: 0.5 }]);
    assert.equal(s.hconcat[0].data.values[0].median, 0.412);
  });

  it('sweep charts: loss vs params, learning curves with a legend toggle', () => {
    const p = c.lossVsParams([{ model: 'cnn', params: 62337, value: 0.06, label: 'k5' }], {
      title: 'p',
    }) as Any;
    assert.equal(p.encoding.x.scale.type, 'log');
    const l = c.learningCurves([{ epoch: 1, label: 'k5', value: 0.1 }], { title: 'l' }) as Any;
    assert.equal(l.encoding.color.field, 'label');
    assert.equal(l.params[0].bind, 'legend');
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
      c.scoreboardChart(
        {
          losses: [{ model: 'cnn', split: 'train', value: 0.1 }],
          models: [
            { model: 'cnn', params: 10, seconds: 1, backend: 'cpu', valid: 0.1, speed: '1 s' },
          ],
        },
        { title: 'f' },
      ),
      c.sweepHeatmap(
        [
          { kernelSize: 3, keyChannels: 8, value: 0.1 },
          { kernelSize: 5, keyChannels: 8, value: 0.2 },
        ],
        { title: 'g' },
      ),
      c.batchLeakChart([{ model: 'cnn', position: 0, change: 1 }], { title: 'j' }),
      c.attentionPairing(
        {
          coded: [{ index: 0, output: 0, codes: '0z' }],
          lines: [{ index: 0, t: 0, input: 0, target: 1 }],
          series: ['input', 'target'],
          spans: [{ index: 0, label: 'B1', kind: 'box', start: 0, end: 0 }],
          blocks: [{ index: 0, relation: 'own', x0: -0.5, x1: 0.5, y0: -0.5, y1: 0.5 }],
          samples: [{ index: 0, sample: 1 }],
        },
        { title: 'k' },
      ),
      c.pairMassChart([{ kind: 'box', measure: 'a', min: 0, q1: 0, median: 0, q3: 1, max: 1 }], {
        title: 'l',
        measures: [{ name: 'a', ideal: 1 }],
      }),
      c.sequenceChart(seq, {
        title: 'm',
        spans: [{ label: 'T1', kind: 'triangle', start: 0, end: 1 }],
      }),
      c.lossVsParams([{ model: 'cnn', params: 10, value: 0.1, label: 'x' }], { title: 'h' }),
      c.learningCurves([{ epoch: 0, label: 'x', value: 0.1 }], { title: 'i' }),
    ];
    for (const s of specs) assert.ok(compile(s).spec.marks, JSON.stringify(s.title));
  });
});
