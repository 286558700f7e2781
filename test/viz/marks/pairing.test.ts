// The attention pairing view (src/viz/marks/pairing.ts): the map with the sample above and
// beside it, and a slider over samples; the spec compiles.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { attentionPairing } from '../../../src/viz/marks/pairing';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('attention pairing', () => {
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
    const s = attentionPairing(parts, { title: 'pairs', initial: 1 }) as Any;
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
    const one = attentionPairing(
      { ...parts, samples: [{ index: 0, sample: 84 }] },
      { title: 'one' },
    ) as Any;
    assert.equal(one.params[0].bind, undefined);
    assert.ok(compile(s as never).spec);
    assert.ok(compile(one as never).spec);
  });
});
