// The task at other lengths (src/data/length.ts): at 100 it is task.ts's generator draw for draw;
// at 50 and 200 every sample obeys the task's rules; the tensors use the training normalisation.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  DEFAULT_DATA,
  HEIGHT_MAX,
  HEIGHT_MIN,
  POSITION_BITS,
  WIDTH_MAX,
  WIDTH_MIN,
  generateDataset,
  shapesOf,
} from '../../src/data/task';
import { batchTensors } from '../../src/data/dataset';
import { rngFrom } from '../../src/data/random';
import {
  LengthSplit,
  checkLength,
  cleanSequenceAt,
  collidesAt,
  generateSplitAt,
  lengthTensors,
  lengthTestSet,
} from '../../src/data/length';

const cfg = { ...DEFAULT_DATA, nTrain: 60, nTest: 20, seed: 7 };
const ds = generateDataset(cfg);
const half = cfg.noiseLevel / 2;

/** Checks every sample of a split against the task's rules; returns the largest centre seen. */
function checkRules(split: LengthSplit, groupByLocations: boolean): number {
  const L = split.length;
  let maxCentre = 0;
  for (let i = 0; i < split.n; i++) {
    const shapes = shapesOf(split, i);
    assert.ok(!collidesAt(shapes, L), `sample ${i} has colliding shapes`);
    for (const s of shapes) {
      assert.ok(s.c >= WIDTH_MAX / 2 && s.c <= L - WIDTH_MAX / 2, `centre ${s.c} outside at ${L}`);
      assert.ok(s.h >= HEIGHT_MIN && s.h <= HEIGHT_MAX && s.w >= WIDTH_MIN && s.w <= WIDTH_MAX);
      maxCentre = Math.max(maxCentre, s.c);
    }
    // The pairs whose mean the target draws: by kind, or the two leftmost and two rightmost.
    const order = shapes.map((s, k) => [s.c, k]).sort((a, b) => a[0] - b[0]);
    const pairOf = (k: number) =>
      groupByLocations ? (order.findIndex((o) => o[1] === k) < 2 ? 0 : 1) : k < 2 ? 0 : 1;
    const pairMean = (p: number) =>
      shapes.reduce((a, s, k) => a + (pairOf(k) === p ? s.h : 0), 0) / 2;
    if (!groupByLocations) assert.ok(Math.abs(shapes[0].h - shapes[1].h) > 4);
    shapes.forEach((s, k) => {
      // At the centre step every profile is at its full height, and no other shape is there.
      const t = i * L + Math.round(s.c);
      assert.ok(Math.abs(split.x[t] - s.h) <= half + 1e-5, `input at the centre of shape ${k}`);
      assert.ok(Math.abs(split.y[t] - pairMean(pairOf(k))) <= half + 1e-5, `target of ${k}`);
    });
    const clean = cleanSequenceAt(shapes, L);
    for (let t = 0; t < L; t++) {
      if (clean[t] !== 0) continue; // the floor: noise only, in input and target
      assert.ok(
        Math.abs(split.x[i * L + t]) <= half + 1e-6 && Math.abs(split.y[i * L + t]) <= half + 1e-6,
      );
    }
  }
  return maxCentre;
}

describe('the task at other lengths', () => {
  it("reproduces task.ts's samples draw for draw at length 100", () => {
    // Bug caught: a different draw order or centre range than task.ts's generator.
    const rng = rngFrom(String(cfg.seed));
    const pool = generateSplitAt(cfg.nTrain, rng, cfg, 100).split;
    const test = generateSplitAt(cfg.nTest, rng, cfg, 100).split;
    for (const [got, want] of [
      [pool, ds.pool],
      [test, ds.test],
    ] as const) {
      assert.deepEqual(got.x, want.x);
      assert.deepEqual(got.y, want.y);
      assert.deepEqual(got.shapes, want.shapes);
    }
  });

  it('draws samples of 50 and 200 steps that obey the rules, spread over the whole length', () => {
    // Bugs caught: centres still drawn in (5.5, 94.5) at 200; targets not the pair means.
    const at50 = lengthTestSet(ds, 50, 150);
    const at200 = lengthTestSet(ds, 200, 150);
    assert.equal(at50.x.length, 150 * 50);
    assert.equal(at200.y.length, 150 * 200);
    assert.ok(checkRules(at50, false) <= 44.5);
    assert.ok(checkRules(at200, false) > 150, 'no shape beyond step 150 of 200');
    checkRules(lengthTestSet({ config: { ...cfg, groupByLocations: true } }, 200, 50), true);
  });

  it('gives each length its own fixed samples, the test size by default', () => {
    const a = lengthTestSet(ds, 60);
    assert.equal(a.n, cfg.nTest);
    assert.deepEqual(lengthTestSet(ds, 60).x, a.x);
    assert.notDeepEqual(lengthTestSet(ds, 61).x.subarray(0, 60), a.x.subarray(0, 60));
  });

  it("normalises with the training set's mean and std, as batchTensors does", () => {
    // Bug caught: normalising with the new set's own statistics, or a shifted position channel.
    for (const positionalEncoding of [false, true]) {
      const d = { ...ds, config: { ...ds.config, positionalEncoding } };
      const want = batchTensors(d, 'test', [3, 0, 7]);
      const got = lengthTensors(d, { ...ds.test, length: 100 }, [3, 0, 7]);
      assert.deepEqual(got.x.dataSync(), want.x.dataSync());
      assert.deepEqual(got.y.dataSync(), want.y.dataSync());
      tf.dispose([want.x, want.y, got.x, got.y]);
    }
    const split = lengthTestSet(ds, 200, 2);
    const d = { ...ds, config: { ...ds.config, positionalEncoding: true } };
    const { x, y } = lengthTensors(d, split, [1]);
    assert.deepEqual(x.shape, [1, 200, 1 + POSITION_BITS]);
    const xs = x.dataSync();
    assert.ok(Math.abs(xs[130 * 8] - (split.x[200 + 130] - ds.mean) / ds.std) < 1e-6);
    // Step 130 = 128 + 2: the 7 bits count to 127, so it reads as step 2.
    assert.deepEqual(Array.from(xs.subarray(130 * 8 + 1, 131 * 8)), [0, 1, 0, 0, 0, 0, 0]);
    tf.dispose([x, y]);
    assert.throws(() => lengthTensors(ds, split, [2]), /sample 2 is outside/);
  });

  it('refuses lengths too short to hold the shapes, naming the field', () => {
    assert.throws(() => checkLength(39), /length/);
    assert.throws(() => lengthTestSet(ds, 50.5), /length/);
    assert.equal(checkLength(40), 40);
  });
});
