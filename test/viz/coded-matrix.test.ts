// The compact text form of attention maps (src/viz/coded-matrix.ts).
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeRow, codedMatrixRows, decodeSymbol } from '../../src/viz/coded-matrix';

describe('coded matrices', () => {
  it('codes weights as sqrt-spaced symbols that decode to within a step', () => {
    assert.equal(codeRow([0, 1, 0.25, 2, -1]), '0Z' + codeRow([0.25]) + 'Z0');
    for (const w of [0, 0.0001, 0.01, 0.1, 0.25, 0.5, 0.88, 1]) {
      const back = decodeSymbol(codeRow([w]));
      const step = (2 * Math.sqrt(w) + 1 / 61) / 61; // the spacing of (k/61)² around w
      assert.ok(Math.abs(back - w) <= step / 2 + 1e-12, `${w} → ${back}`);
    }
  });

  it('one row per output position, tagged with the extra columns', () => {
    assert.deepEqual(codedMatrixRows([0, 1, 1, 0], 2, { index: 3 }), [
      { index: 3, output: 0, codes: '0Z' },
      { index: 3, output: 1, codes: 'Z0' },
    ]);
    assert.throws(() => codedMatrixRows([0, 1, 2], 2), /expected 4 values/);
  });
});
