// Length generalisation of several models as one table (src/analysis/length-rows.ts).
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LengthRow } from '../../src/analysis/length';
import { lengthTable } from '../../src/analysis/length-rows';

const row = (length: number, loss: number | null, copy: number, reason = ''): LengthRow => ({
  length,
  source: length === 100 ? 'test split' : 'generated',
  samples: 10,
  applicable: loss !== null,
  loss,
  ofCopy: loss === null ? null : loss / copy,
  copy,
  floor: 0.0078125,
  reason,
});

describe('length table', () => {
  it('gives each model its losses and copy shares, n/a with the reason, then the yardsticks', () => {
    // Bug caught: a model's share of the copy error taken against another model's copy error,
    // a not-applicable length shown as 0, or its reason repeated for every length.
    const t = lengthTable({
      a: [row(50, 0.125, 0.5), row(100, 0.0625, 0.25), row(200, 0.125, 0.5)],
      b: [row(50, null, 0.5, 'tied to 100'), row(100, 0.125, 0.5), row(200, null, 0.5, 'again')],
    });
    assert.deepEqual(t, [
      {
        model: 'a',
        'MSE at 50': 0.125,
        'MSE at 100': 0.0625,
        'MSE at 200': 0.125,
        '÷ copy at 50': 0.25,
        '÷ copy at 100': 0.25,
        '÷ copy at 200': 0.25,
        note: '',
      },
      {
        model: 'b',
        'MSE at 50': 'n/a',
        'MSE at 100': 0.125,
        'MSE at 200': 'n/a',
        '÷ copy at 50': 'n/a',
        '÷ copy at 100': 0.25,
        '÷ copy at 200': 'n/a',
        note: 'tied to 100 (likewise at 200)',
      },
      {
        model: 'copy the input',
        'MSE at 50': 0.5,
        'MSE at 100': 0.25,
        'MSE at 200': 0.5,
        '÷ copy at 50': 1,
        '÷ copy at 100': 1,
        '÷ copy at 200': 1,
        note: 'on the test sets drawn for a',
      },
      {
        model: 'noise floor',
        'MSE at 50': 0.0078125,
        'MSE at 100': 0.0078125,
        'MSE at 200': 0.0078125,
        '÷ copy at 50': 0.015625,
        '÷ copy at 100': 0.03125,
        '÷ copy at 200': 0.015625,
        note: 'on the test sets drawn for a',
      },
    ]);
  });

  it('refuses models run at different lengths', () => {
    assert.throws(
      () => lengthTable({ a: [row(50, 0.1, 0.4)], b: [row(200, 0.1, 0.1)] }),
      /model 'b' was run at lengths 200, not 50/,
    );
  });
});
