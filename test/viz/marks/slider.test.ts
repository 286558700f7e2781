// The slider heatmap (src/viz/marks/slider.ts): the range input picks the snapshot drawn, every
// snapshot's cells travel in the spec, and vega itself (headless, no browser) decodes the cells
// of the snapshot the param names.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { decodeSymbol } from '../../../src/viz/coded-matrix';
import type { Row } from '../../../src/viz/frames';
import type { Spec } from '../../../src/viz/spec-parts';
import { SNAPSHOT_PARAM, epochSlider } from '../../../src/viz/marks/slider';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Rows of `count` snapshots at 50 × 50 blocks of 2: snapshot s puts `0.5` on input block s. */
function rows(count: number): Row[] {
  const out: Row[] = [];
  for (let snap = 0; snap < count; snap++)
    for (let o = 0; o < 50; o++)
      for (let i = 0; i < 50; i++)
        out.push({
          snap,
          epoch: snap / 4,
          output: 2 * o,
          input: 2 * i,
          attention: i === snap ? 0.5 : 0.01,
        });
  return out;
}

/**
 * The rows vega draws as cells after its transforms, read from one headless view after it starts
 * and after each move of the param to the next of `moves`, as a user's slider would.
 */
async function drawnCells(spec: Any, moves: readonly number[]): Promise<Any[][]> {
  const compiled = compile(spec as Spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const cells = () => {
    for (const d of compiled.data ?? []) {
      const values = view.data(d.name) as Any[];
      if (values.length && 'x0' in values[0] && 'attention' in values[0]) return values;
    }
    throw new Error('no dataset of cells in the compiled spec');
  };
  try {
    await view.runAsync();
    const out = [cells()];
    for (const m of moves) {
      view.signal(SNAPSHOT_PARAM, m);
      await view.runAsync();
      out.push(cells());
    }
    return out;
  } finally {
    view.finalize();
  }
}

describe('epochSlider', () => {
  it('binds a range input 0…n−1 to the snapshot param, starting on the last snapshot', () => {
    const s = epochSlider(rows(3), { title: 't', block: 2 }) as Any;
    // Bug caught: max = n (a slider position with nothing to draw), or no binding at all.
    assert.deepEqual(s.params, [
      {
        name: SNAPSHOT_PARAM,
        value: 2,
        bind: { input: 'range', min: 0, max: 2, step: 1, name: 'snapshot ' },
      },
    ]);
    assert.deepEqual(s.layer[0].transform[0], { filter: `datum.snap === ${SNAPSHOT_PARAM}` });
    assert.ok(compile(s as Spec).spec);
  });

  it('carries every snapshot as coded rows, one per output block, 50 symbols each', () => {
    const s = epochSlider(rows(3), { title: 't', block: 2 }) as Any;
    const coded = s.layer[0].data.values as Any[];
    assert.equal(coded.length, 3 * 50);
    // Bug caught: snapshots coded from the wrong rows (all alike) or input blocks shifted.
    for (const snap of [0, 1, 2]) {
      const r = coded.find((c) => c.snap === snap && c.output === 7)!;
      assert.equal(r.codes.length, 50);
      assert.ok(Math.abs(decodeSymbol(r.codes[snap]) - 0.5) < 0.01);
      assert.ok(Math.abs(decodeSymbol(r.codes[(snap + 1) % 3]) - 0.01) < 0.003);
    }
  });

  it('vega decodes exactly the chosen snapshot, move after move: cells on their positions', async () => {
    const s = epochSlider(rows(3), { title: 't', block: 2 }) as Any;
    const drawn = await drawnCells(s, [0, 1, 2]);
    [2, 0, 1, 2].forEach((snap, k) => {
      const cells = drawn[k];
      // Bugs caught: the filter ignores the param (3 × 2,500 cells); the symbols are numbered on
      // from the previous snapshot after a move (a window's row_number does that: inputs ≥ 100).
      assert.equal(cells.length, 2500);
      assert.deepEqual(
        [...new Set(cells.map((c) => c.input))].sort((a, b) => a - b),
        Array.from({ length: 50 }, (_, i) => 2 * i),
      );
      const bright = cells.filter((c) => c.attention > 0.4);
      assert.equal(bright.length, 50, `move ${k}`);
      assert.ok(bright.every((c) => c.input === 2 * snap && c.x0 === 2 * snap - 0.5));
      assert.ok(bright.every((c) => c.x1 === 2 * snap + 1.5 && c.y1 - c.y0 === 2));
      assert.deepEqual(
        bright.map((c) => c.output).sort((a, b) => a - b),
        Array.from({ length: 50 }, (_, o) => 2 * o),
      );
      assert.equal(bright[0].inputs, `${2 * snap}–${2 * snap + 1}`);
      assert.ok(Math.abs(bright[0].attention - 0.5) < 0.01);
    });
  });

  it('one colour scale for all snapshots, 0 to the largest value of any', () => {
    const r = rows(2).map((x) =>
      x.snap === 1 && x.attention === 0.5 ? { ...x, attention: 0.8 } : x,
    );
    const s = epochSlider(r, { title: 't', block: 2, initial: 0 }) as Any;
    // Bug caught: the domain from the initial snapshot only (0.5), so later frames saturate.
    assert.deepEqual(s.layer[0].encoding.color.scale.domain, [0, 0.8]);
    assert.equal(s.layer[0].encoding.color.scale.type, 'sqrt');
    assert.equal(s.params[0].value, 0);
  });

  it('the title names the epoch of the snapshot drawn', async () => {
    const s = epochSlider(rows(3), { title: 'Sample 84', subtitle: 'sub', block: 2 }) as Any;
    assert.equal(s.title.subtitle, 'sub');
    const view = new vega.View(vega.parse(compile(s as Spec).spec), { renderer: 'none' });
    try {
      // Bug caught: the label list indexed by something other than the param.
      assert.match(await view.toSVG(), />Sample 84, epoch 0\.5</);
      view.signal(SNAPSHOT_PARAM, 1);
      assert.match(await view.toSVG(), />Sample 84, epoch 0\.25</);
    } finally {
      view.finalize();
    }
  });

  it('one snapshot: no slider, a plain title', () => {
    const s = epochSlider(rows(1), { title: 'one', block: 2 }) as Any;
    assert.deepEqual(s.params, [{ name: SNAPSHOT_PARAM, value: 0 }]);
    assert.equal(s.title, 'one');
    assert.ok(compile(s as Spec).spec);
  });

  it('shape spans become strips outside the map on its own scales', () => {
    const spans = [{ label: 'T1', kind: 'triangle', start: 10, end: 18 }];
    const s = epochSlider(rows(2), { title: 't', block: 2, spans, size: 200 }) as Any;
    assert.equal(s.layer.length, 5);
    const [, topBand, , sideBand] = s.layer;
    // Bug caught: a strip on the map's plotting area (covering cells) or on a scale of its own.
    assert.deepEqual([topBand.encoding.y.value, topBand.encoding.y2.value], [-16, -3]);
    assert.deepEqual([sideBand.encoding.x.value, sideBand.encoding.x2.value], [203, 216]);
    assert.deepEqual(topBand.encoding.x.scale.domain, [-0.5, 99.5]);
    assert.equal(sideBand.encoding.y.scale.reverse, true);
    assert.ok(compile(s as Spec).spec);
  });

  it('refuses an initial snapshot that does not exist', () => {
    assert.throws(() => epochSlider(rows(2), { title: 't', block: 2, initial: 2 }), /initial/);
  });
});
