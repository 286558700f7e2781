// Properties of the generated toy task (src/data/task.ts), checked on every sample of small datasets.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_DATA,
  HEIGHT_MAX,
  HEIGHT_MIN,
  SEQ_LENGTH,
  WIDTH_MAX,
  WIDTH_MIN,
  cleanSequence,
  collides,
  generateDataset,
  heightsValid,
  meanStd,
  shapesOf,
  targetShapes,
  validateDataConfig,
} from '../../src/data/task';

const cfg = { ...DEFAULT_DATA, nTrain: 400, nTest: 100, seed: 7 };
const ds = generateDataset(cfg);
const splits = [ds.pool, ds.test];
const row = (a: Float32Array, i: number) => a.subarray(i * SEQ_LENGTH, (i + 1) * SEQ_LENGTH);

/** Runs of non-zero steps in a noise-free sequence: [start, end) pairs. */
function runs(seq: Float64Array): [number, number][] {
  const out: [number, number][] = [];
  for (let t = 0; t < seq.length; t++) {
    if (seq[t] > 0 && (t === 0 || seq[t - 1] === 0)) out.push([t, t + 1]);
    else if (seq[t] > 0) out[out.length - 1][1] = t + 1;
  }
  return out;
}

describe('toy task generator', () => {
  it('makes the requested number of samples', () => {
    assert.equal(ds.pool.n, 400);
    assert.equal(ds.test.n, 100);
    assert.equal(ds.pool.x.length, 400 * SEQ_LENGTH);
    assert.ok(ds.rejected > 0, 'the rules reject some draws');
  });

  it('puts exactly 2 triangles and 2 boxes in every sample, as 4 separate runs', () => {
    for (const s of splits) {
      for (let i = 0; i < s.n; i++) {
        const shapes = shapesOf(s, i);
        const clean = cleanSequence(shapes);
        const r = runs(clean);
        assert.equal(r.length, 4, `sample ${i} has ${r.length} runs`);
        const flat = r.filter(([a, b]) => new Set(clean.subarray(a, b)).size === 1).length;
        assert.equal(flat, 2, `sample ${i}: boxes are flat, triangles are not`);
      }
    }
  });

  it('draws centres, heights and widths within range', () => {
    for (const s of splits) {
      for (let i = 0; i < s.n; i++) {
        for (const sh of shapesOf(s, i)) {
          assert.ok(sh.c >= WIDTH_MAX / 2 && sh.c <= SEQ_LENGTH - WIDTH_MAX / 2, `centre ${sh.c}`);
          assert.ok(sh.h >= HEIGHT_MIN && sh.h <= HEIGHT_MAX, `height ${sh.h}`);
          assert.ok(sh.w >= WIDTH_MIN && sh.w <= WIDTH_MAX, `width ${sh.w}`);
        }
      }
    }
  });

  it('lets no collision survive', () => {
    for (const s of splits)
      for (let i = 0; i < s.n; i++) assert.equal(collides(shapesOf(s, i)), false);
  });

  it('detects a collision of touching shapes, as the original max-pool rule does', () => {
    const tri = { c: 20, h: 10, w: 6 };
    // Box c=40, w=6 covers steps 38..42. One empty step between shapes is enough…
    assert.equal(
      collides([tri, { ...tri, c: 70 }, { c: 40, h: 5, w: 6 }, { c: 46, h: 5, w: 6 }]),
      false,
    );
    // …but a box on 43..47 touches it, and the pooled signs overlap at step 42.
    assert.equal(
      collides([tri, { ...tri, c: 70 }, { c: 40, h: 5, w: 6 }, { c: 45, h: 5, w: 6 }]),
      true,
    );
  });

  it('keeps triangle heights more than 4 apart, and (the quirk) never checks the boxes', () => {
    let closeBoxes = 0;
    for (const s of splits) {
      for (let i = 0; i < s.n; i++) {
        const [t1, t2, b1, b2] = shapesOf(s, i);
        assert.ok(Math.abs(t1.h - t2.h) > 4);
        if (Math.abs(b1.h - b2.h) <= 4) closeBoxes++;
      }
    }
    assert.ok(closeBoxes > 20, `boxes within 4 of each other should be common, saw ${closeBoxes}`);
  });

  it('adds bounded, centred noise to inputs and targets', () => {
    const resid: number[] = [];
    for (let i = 0; i < ds.pool.n; i++) {
      const shapes = shapesOf(ds.pool, i);
      const cx = cleanSequence(shapes);
      const cy = cleanSequence(targetShapes(shapes, false));
      const x = row(ds.pool.x, i);
      const y = row(ds.pool.y, i);
      for (let t = 0; t < SEQ_LENGTH; t++) {
        resid.push(x[t] - cx[t]);
        assert.ok(Math.abs(x[t] - cx[t]) <= 0.15 + 1e-5 && Math.abs(y[t] - cy[t]) <= 0.15 + 1e-5);
      }
    }
    const { mean, std } = meanStd(Float32Array.from(resid));
    assert.ok(Math.abs(mean) < 0.01, `noise mean ${mean}`);
    assert.ok(
      Math.abs(std - 0.3 / Math.sqrt(12)) < 0.005,
      `noise std ${std} vs uniform's ${0.3 / Math.sqrt(12)}`,
    );
  });

  it('sets each pair to its mean height in the target', () => {
    for (let i = 0; i < ds.pool.n; i++) {
      const shapes = shapesOf(ds.pool, i);
      const y = row(ds.pool.y, i);
      const tri = (shapes[0].h + shapes[1].h) / 2;
      const box = (shapes[2].h + shapes[3].h) / 2;
      // A box's target is flat at the pair mean; a triangle's target peaks at its pair mean.
      for (const [k, want] of [
        [2, box],
        [3, box],
      ] as const) {
        const t = Math.round(shapes[k].c);
        assert.ok(
          Math.abs(y[t] - want) <= 0.15 + 1e-5,
          `box ${k} of sample ${i}: ${y[t]} vs ${want}`,
        );
      }
      const peak = Math.max(
        ...Array.from(y.subarray(Math.ceil(shapes[0].c - 1), Math.floor(shapes[0].c + 1) + 1)),
      );
      assert.ok(
        peak <= tri + 0.15 + 1e-5 && peak >= tri - 0.15 - (2 * tri) / shapes[0].w,
        `triangle peak ${peak} vs ${tri}`,
      );
    }
  });

  it('gives bit-identical data for the same seed and different data for another', () => {
    const again = generateDataset(cfg);
    assert.deepEqual(again.pool.x, ds.pool.x);
    assert.deepEqual(again.test.y, ds.test.y);
    assert.deepEqual(again.validIdx, ds.validIdx);
    const other = generateDataset({ ...cfg, seed: 8 });
    assert.notDeepEqual(other.pool.x, ds.pool.x);
  });

  it('normalises with the mean and std of train inputs and targets together', () => {
    const { mean, std } = meanStd(ds.pool.x, ds.pool.y);
    assert.equal(ds.mean, mean);
    assert.equal(ds.std, std);
  });

  it('splits 80/20 into disjoint train and valid indices', () => {
    assert.equal(ds.validIdx.length, 80);
    assert.equal(ds.trainIdx.length, 320);
    const all = new Set([...ds.trainIdx, ...ds.validIdx]);
    assert.equal(all.size, 400);
  });

  it('groupByLocations averages the two leftmost and the two rightmost shapes', () => {
    const g = generateDataset({ ...cfg, nTrain: 100, nTest: 10, groupByLocations: true });
    for (let i = 0; i < g.pool.n; i++) {
      const shapes = shapesOf(g.pool, i);
      assert.ok(heightsValid(shapes, true));
      const order = shapes
        .map((s, k) => [s.c, k])
        .sort((a, b) => a[0] - b[0])
        .map((p) => p[1]);
      const left = (shapes[order[0]].h + shapes[order[1]].h) / 2;
      const right = (shapes[order[2]].h + shapes[order[3]].h) / 2;
      assert.ok(Math.abs(left - right) > 4);
      const target = targetShapes(shapes, true);
      assert.equal(target[order[0]].h, left);
      assert.equal(target[order[3]].h, right);
    }
  });

  it('rejects bad configs with the field named', () => {
    assert.throws(
      () => validateDataConfig({ ...cfg, nTrain: -5 }),
      /nTrain must be an integer >= 2/,
    );
    assert.throws(() => validateDataConfig({ ...cfg, nTest: 1.5 }), /nTest/);
    assert.throws(() => validateDataConfig({ ...cfg, noiseLevel: NaN }), /noiseLevel/);
    assert.throws(() => validateDataConfig({ ...cfg, validFraction: 1 }), /validFraction/);
  });
});
