// Heatmaps (src/viz/marks/heatmaps.ts): the attention family and the sweep grid; every spec
// compiles.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { matrixFrame, toRows } from '../../../src/viz/frames';
import { attentionHeatmap, sweepHeatmap } from '../../../src/viz/marks/heatmaps';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const map = toRows(
  matrixFrame(
    Array.from({ length: 10_000 }, (_, i) => (i % 101 === 0 ? 0.5 : 0.0050505)),
    100,
  ),
);

describe('heatmaps', () => {
  it('attentionHeatmap: rect, input on x, output on y descending, viridis, 500×500', () => {
    const s = attentionHeatmap(map, { title: 'Attention, test sample 84' }) as Any;
    assert.equal(s.mark.type, 'rect');
    assert.deepEqual([s.width, s.height], [500, 500]);
    assert.deepEqual([s.encoding.x.field, s.encoding.y.field], ['input', 'output']);
    assert.equal(s.encoding.y.sort, 'descending');
    assert.equal(s.encoding.color.scale.scheme, 'viridis');
    assert.equal(s.encoding.color.scale.type, 'linear');
    assert.equal(s.data.values.length, 10_000);
    assert.deepEqual(s.data.values[1], { input: 1, output: 0, attention: 0.00505 });
  });

  it('side by side: one shared colour scale, panels in the given order, labelled by number', () => {
    const rows = [0, 1].flatMap((panel) =>
      toRows(matrixFrame([0.6, 0.4, 0.07, 0.93], 2)).map((r) => ({ ...r, panel })),
    );
    const s = attentionHeatmap(rows, {
      title: 't',
      size: 250,
      column: 'panel',
      order: [1, 0],
      labels: ['without', 'with'],
      scale: { type: 'sqrt' },
    }) as Any;
    assert.deepEqual(s.facet.sort, [1, 0]);
    assert.equal(s.facet.header.labelExpr, '["without","with"][datum.value]');
    assert.equal(s.resolve.scale.color, 'shared');
    assert.equal(s.spec.encoding.color.scale.type, 'sqrt');
    assert.equal(s.spec.width, 250);
    assert.equal(s.columns, undefined);
  });

  it('block cells: binned axes with output 0 on top, seamless cells, wrapped panels', () => {
    const rows = ['head 1', 'head 2'].flatMap((head) =>
      [0, 2].flatMap((output) => [0, 2].map((input) => ({ head, output, input, attention: 0.25 }))),
    );
    const s = attentionHeatmap(rows, {
      title: 'heads',
      size: 180,
      column: 'head',
      columns: 4,
      block: 2,
      scale: { type: 'sqrt' },
    }) as Any;
    assert.equal(s.columns, 4);
    assert.deepEqual(s.spec.encoding.x.bin, { step: 2 });
    assert.deepEqual(s.spec.encoding.y.scale.domain, [100, 0]);
    assert.equal(s.spec.mark.binSpacing, 0);
    assert.equal(s.spec.mark.stroke.expr, "scale('color', datum.attention)");
  });

  it('sweepHeatmap: darkest is best, text colour follows the cell, key channels unrotated', () => {
    const rows = [
      { kernelSize: 3, keyChannels: 8, value: 0.04 },
      { kernelSize: 9, keyChannels: 96, value: 0.025 },
      { kernelSize: 5, keyChannels: 96, value: 0.046 },
    ];
    const h = sweepHeatmap(rows, { title: 'sweep' }) as Any;
    assert.deepEqual([h.encoding.x.field, h.encoding.y.field], ['keyChannels', 'kernelSize']);
    assert.equal(h.encoding.x.axis.labelAngle, 0);
    const scale = h.layer[0].encoding.color.scale;
    assert.equal(scale.scheme, 'viridis'); // viridis runs dark → light: the lowest loss is darkest
    assert.deepEqual(scale.domain, [0.025, 0.046]);
    const text = h.layer[1].encoding.color;
    assert.deepEqual([text.condition.value, text.value], ['white', 'black']);
    // exp(ln 0.025 + 0.45 · (ln 0.046 − ln 0.025))
    assert.equal(Number(text.condition.test.replace('datum.value < ', '')), 0.03289);
  });

  it('every heatmap spec compiles', () => {
    const small = toRows(matrixFrame([1, 0, 0, 1], 2));
    const specs = [
      attentionHeatmap(small, { title: 'a' }),
      attentionHeatmap(
        small.map((r) => ({ ...r, panel: 0 })),
        { title: 'b', column: 'panel', labels: ['x'], scale: { type: 'sqrt', max: 1 } },
      ),
      attentionHeatmap(
        small.map((r) => ({ ...r, head: 'head 1' })),
        { title: 'c', column: 'head', columns: 4, block: 2 },
      ),
      sweepHeatmap(
        [
          { kernelSize: 3, keyChannels: 8, value: 0.1 },
          { kernelSize: 5, keyChannels: 8, value: 0.2 },
        ],
        { title: 'd' },
      ),
    ];
    for (const s of specs) assert.ok(compile(s).spec, JSON.stringify(s.title));
  });
});
