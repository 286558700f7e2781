// The replacements for an attention matrix (src/analysis/patches.ts), on a hand-made batch: each
// must give the map it promises, for the right sample and head.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { idealAttention } from '../../src/analysis/ideal';
import { PatchBatch } from '../../src/analysis/patching';
import {
  anchorColumnsPatch,
  awayFromEdgesPatch,
  edgeCellsPatch,
  idealPatch,
  identityPatch,
  knockOutPatch,
  shuffledPatch,
  standardPatches,
  uniformPatch,
  unpatched,
} from '../../src/analysis/patches';
import { SEQ_LENGTH, Shape } from '../../src/data/task';
import { SHAPES, datasetOf } from './fixtures';

const L = SEQ_LENGTH;
const CELLS = L * L;
/** SHAPES and SHAPES with the triangles swapped: two samples whose ideal maps differ. */
const OTHER: Shape[] = [SHAPES[1], { c: 85, h: 9, w: 7 }, SHAPES[2], SHAPES[3]];
const ds = datasetOf([SHAPES, OTHER, SHAPES, OTHER, SHAPES]);

/** A batch of the given samples with `heads` heads; each sample and head has its own learned map. */
function batch(samples = [0, 1], heads = 2, calls: Int32Array[] = []): PatchBatch {
  const mapsOf = (idx: Int32Array) =>
    tf.tidy(() => {
      const seeds = Array.from(idx).flatMap((s) =>
        Array.from({ length: heads }, (_, h) => 10 * s + h),
      );
      // Logits sin(0.37·k·(seed + 1)): different for every sample and head, the same every call.
      const logits = (seed: number) =>
        tf.tensor2d(
          Float32Array.from({ length: CELLS }, (_, k) => 3 * Math.sin(0.37 * k * (seed + 1))),
          [L, L],
        );
      const maps = seeds.map((seed) => tf.softmax(logits(seed)));
      return tf.stack(maps).reshape([idx.length, heads, L, L]) as tf.Tensor4D;
    });
  const idx = Int32Array.from(samples);
  return {
    samples: idx,
    shapes: samples.map((s) => (s % 2 ? OTHER : SHAPES)),
    learned: mapsOf(idx),
    data: ds,
    attentionFor: (i) => {
      calls.push(i);
      return mapsOf(i);
    },
  };
}

const rowOf = (a: Float32Array, sample: number, head: number, heads: number, i: number) =>
  Array.from(
    a.subarray(((sample * heads + head) * L + i) * L, ((sample * heads + head) * L + i + 1) * L),
  );

describe('patches', () => {
  it('unpatched, uniform and identity give the learned map, 1/100 and the identity', () => {
    const b = batch();
    const own = unpatched().replace(b);
    assert.deepEqual(own.dataSync(), b.learned.dataSync());
    const u = uniformPatch().replace(b);
    assert.deepEqual(u.shape, [2, L, L]);
    assert.ok(Array.from(u.dataSync()).every((v) => Math.abs(v - 0.01) < 1e-9));
    const e = identityPatch().replace(b).dataSync();
    assert.equal(e[CELLS + 7 * L + 7], 1);
    assert.equal(e[CELLS + 7 * L + 8], 0);
    tf.dispose([own, u, b.learned]);
  });

  it("the ideal goes to each sample's own rows, on every head, only on the rows asked", () => {
    // Bug caught: giving every sample the first sample's ideal, or one head only.
    const b = batch();
    const all = idealPatch().replace(b);
    const a = all.dataSync() as Float32Array;
    const ideal1 = idealAttention(OTHER);
    assert.deepEqual(rowOf(a, 1, 1, 2, 28), Array.from(ideal1.subarray(28 * L, 29 * L)));
    assert.deepEqual(
      rowOf(a, 0, 0, 2, 28),
      Array.from(idealAttention(SHAPES).subarray(28 * L, 29 * L)),
    );
    const boxes = idealPatch('boxes').replace(b);
    assert.equal(idealPatch('boxes').name, 'ideal on box rows');
    const bx = boxes.dataSync() as Float32Array;
    const learned = b.learned.dataSync() as Float32Array;
    assert.deepEqual(rowOf(bx, 1, 0, 2, 50), Array.from(ideal1.subarray(50 * L, 51 * L))); // B1
    assert.deepEqual(rowOf(bx, 1, 0, 2, 10), rowOf(learned, 1, 0, 2, 10)); // floor in OTHER
    assert.deepEqual(rowOf(bx, 1, 0, 2, 30), rowOf(learned, 1, 0, 2, 30)); // T1 in OTHER
    const floor = idealPatch('floor').replace(b).dataSync() as Float32Array;
    assert.deepEqual(
      rowOf(floor, 0, 1, 2, 95),
      Array.from(idealAttention(SHAPES).subarray(95 * L, 96 * L)),
    );
    assert.deepEqual(rowOf(floor, 0, 1, 2, 50), rowOf(learned, 0, 1, 2, 50));
    tf.dispose([all, boxes, b.learned]);
  });

  it("shuffled gives each sample another sample's map, by a seeded cycle over the test split", () => {
    const calls: Int32Array[] = [];
    const b = batch([0, 1, 2, 3, 4], 1, calls);
    const p = shuffledPatch(7);
    const got = p.replace(b);
    const pi = Array.from(calls[0]);
    assert.deepEqual([...pi].sort(), [0, 1, 2, 3, 4], 'a permutation of the test split');
    pi.forEach((t, s) => assert.notEqual(t, s, `sample ${s} keeps its own map`));
    const again: Int32Array[] = [];
    shuffledPatch(7)
      .replace(batch([0, 1, 2, 3, 4], 1, again))
      .dispose();
    assert.deepEqual(Array.from(again[0]), pi, 'the same seed, the same cycle');
    const other: Int32Array[] = [];
    shuffledPatch(8)
      .replace(batch([0, 1, 2, 3, 4], 1, other))
      .dispose();
    assert.notDeepEqual(Array.from(other[0]), pi);
    // The map handed back is the model's map of π(s).
    const want = b.attentionFor(Int32Array.from(pi));
    assert.deepEqual(got.dataSync(), want.dataSync());
    tf.dispose([got, want, b.learned]);
  });

  it('knock-outs choose their cells per sample and head and renormalise', () => {
    const b = batch();
    const seen: [number, number][] = [];
    const p = knockOutPatch('column 3', (a, shapes, sample) => {
      seen.push([sample, shapes[1].c]);
      const m = new Uint8Array(CELLS);
      for (let i = 0; i < L; i++) m[i * L + 3 + sample] = 1;
      return m;
    });
    const out = p.replace(b).dataSync() as Float32Array;
    assert.deepEqual(seen, [
      [0, 30],
      [0, 30],
      [1, 85],
      [1, 85],
    ]);
    assert.equal(rowOf(out, 1, 1, 2, 9)[4], 0);
    assert.ok(rowOf(out, 1, 1, 2, 9)[3] > 0);
    const sum = rowOf(out, 0, 1, 2, 9).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(sum - 1) < 1e-5);
    for (const patch of [edgeCellsPatch(), anchorColumnsPatch(3), awayFromEdgesPatch(1)]) {
      const t = patch.replace(b);
      assert.deepEqual(t.shape, [2, 2, L, L], patch.name);
      t.dispose();
    }
    b.learned.dispose();
  });

  it('the standard patches have distinct names, unpatched first', () => {
    const names = standardPatches().map((p) => p.name);
    assert.equal(names[0], 'unpatched');
    assert.equal(new Set(names).size, names.length);
  });
});
