// Notebook 9's figures (src/viz/figures/inside.ts): every bar, cell and part must be the number
// it came from, in the order given, and every spec must compile.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { SEQ_LENGTH } from '../../../src/data/task';
import { idealAttention } from '../../../src/analysis/ideal';
import { roleMasses } from '../../../src/analysis/role-masses';
import { toRows } from '../../../src/viz/frames';
import { mapPanelsFigure, patchingFigure, roleMassFigure } from '../../../src/viz/figures/inside';
import { SHAPES, pairMap } from '../../analysis/fixtures';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const L = SEQ_LENGTH;

const RESULTS = [
  { patch: 'unpatched', mse: 0.00084, moved: 0 },
  { patch: 'ideal', mse: 0.33, moved: 0.42 },
  { patch: 'uniform', mse: 1.13, moved: 0.49 },
];

describe('inside figures', () => {
  it('patchingFigure: one bar per patch in the order given, from the axis start, the floor and references as rules', () => {
    const f = patchingFigure(RESULTS, {
      floor: 0.00021,
      references: [{ label: 'CNN', value: 0.069 }],
    });
    assert.deepEqual(toRows(f.frame), RESULTS);
    const spec = f.spec as Any;
    const [bars, floor, cnn] = spec.layer;
    assert.deepEqual(bars.encoding.y.sort, ['unpatched', 'ideal', 'uniform']);
    const bar = bars.layer[0];
    assert.equal(bar.encoding.x.scale.type, 'log');
    // The axis spans the floor (2.1e-4) to above 1.13: 1e-4 … 10; bars start at its left end.
    assert.deepEqual(bar.encoding.x.scale.domain, [1e-4, 10]);
    assert.deepEqual(bar.encoding.x2, { datum: 1e-4 });
    assert.deepEqual(floor.data.values, [{ value: 0.00021, label: 'noise floor' }]);
    assert.deepEqual(floor.mark.strokeDash, [4, 3]);
    assert.deepEqual(cnn.data.values, [{ value: 0.069, label: 'CNN' }]);
    assert.match(spec.title.subtitle[1], /noise floor 0\.00021 · CNN 0\.069/);
    compile(f.spec);
    assert.equal((patchingFigure(RESULTS).spec as Any).layer.length, 1);
    assert.throws(() => patchingFigure([]), /no results/);
  });

  it('mapPanelsFigure: each panel its own map, block-averaged as attention mass per output', () => {
    const a = new Float32Array(L * L);
    a[0 * L + 7] = 1; // outputs 0 and 1 both read input 7: block (0, 6) holds 2 / 2 = 1
    a[1 * L + 7] = 1;
    const b = new Float32Array(L * L).fill(0.25);
    const f = mapPanelsFigure({ raw: a, weighted: b }, { title: 't' });
    const rows = toRows(f.frame);
    assert.equal(rows.length, 2 * 50 * 50);
    assert.deepEqual(rows[3], { panel: 0, output: 0, input: 6, attention: 1 });
    assert.deepEqual(rows[2500 + 3], { panel: 1, output: 0, input: 6, attention: 0.5 });
    const spec = f.spec as Any;
    assert.equal(spec.facet.header.labelExpr, '["raw","weighted"][datum.value]');
    assert.deepEqual(spec.facet.sort, [0, 1]);
    compile(f.spec);
    assert.equal(toRows(mapPanelsFigure({ raw: a }, { title: 't', block: 1 }).frame).length, L * L);
    assert.throws(
      () => mapPanelsFigure({ raw: a }, { title: 't', block: 3 }),
      /block must divide 100/,
    );
    assert.throws(
      () => mapPanelsFigure({ raw: new Float32Array(4) }, { title: 't' }),
      /'raw' has 4 cells/,
    );
  });

  it('roleMassFigure: the parts of each role’s mass per map, summing to 1', () => {
    const learned = roleMasses([pairMap(SHAPES, 0.3, [0.2, 0, 0, 0.4])], [SHAPES]);
    const ideal = roleMasses([idealAttention(SHAPES)], [SHAPES]);
    const f = roleMassFigure({ learned, ideal });
    const rows = toRows(f.frame);
    const bar = (map: string, outputs: string) =>
      Object.fromEntries(
        rows.filter((r) => r.map === map && r.outputs === outputs).map((r) => [r.on, r.mass]),
      );
    const tri = bar('learned', 'triangle outputs');
    assert.ok(Math.abs((tri['own shape'] as number) - 0.63) < 1e-6);
    assert.ok(Math.abs((tri.partner as number) - 0.27) < 1e-6);
    assert.ok(Math.abs((tri.floor as number) - 0.1) < 1e-6);
    const floor = bar('learned', 'floor outputs');
    assert.deepEqual(Object.keys(floor), ['shapes (floor outputs)', 'floor']);
    assert.ok(Math.abs((floor.floor as number) - 0.8) < 1e-6);
    assert.deepEqual(Object.keys(bar('ideal', 'box outputs')), ['own shape', 'partner']);
    for (const map of ['learned', 'ideal'])
      for (const o of ['triangle outputs', 'box outputs', 'floor outputs']) {
        const sum = Object.values(bar(map, o)).reduce((s: number, v) => s + (v as number), 0);
        assert.ok(Math.abs(sum - 1) < 1e-5, `${map} ${o}: ${sum}`);
      }
    compile(f.spec);
    assert.throws(() => roleMassFigure({ learned }, { outputs: ['edges'] }), /no 'edges' row/);
  });
});
