// Patching results of several models side by side (src/analysis/patching-rows.ts).
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { patchRatio, patchingRows } from '../../src/analysis/patching-rows';

const results = {
  a: [
    { patch: 'unpatched', mse: 0.001, moved: 0 },
    { patch: 'uniform', mse: 1, moved: 0.5 },
  ],
  b: [
    { patch: 'unpatched', mse: 0.002, moved: 0 },
    { patch: 'uniform', mse: 0.5, moved: 0.4 },
  ],
};

describe('patching rows', () => {
  it('puts each model in a column and the floor last', () => {
    // Bug caught: taking model b's numbers from model a's list, or dropping the floor row.
    assert.deepEqual(patchingRows(results, 0.0002), [
      { patch: 'unpatched', a: 0.001, b: 0.002 },
      { patch: 'uniform', a: 1, b: 0.5 },
      { patch: 'noise floor', a: 0.0002, b: 0.0002 },
    ]);
  });

  it('refuses models patched differently', () => {
    assert.throws(
      () => patchingRows({ ...results, c: [results.a[1], results.a[0]] }),
      /model 'c' has other patches/,
    );
  });

  it('divides one patch by another, model by model', () => {
    // Bug caught: the ratio upside down.
    assert.deepEqual(patchRatio(results, 'uniform', 'unpatched'), { a: 1000, b: 250 });
    assert.throws(() => patchRatio(results, 'ideal', 'unpatched'), /no patch 'ideal'/);
  });
});
