// Tables (src/runtime/table.ts): how numbers read, and that float noise prints as 0 so a table
// is the same on every machine.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnScales, formatCell, formatRows, tableHtml } from '../../src/runtime/table';

describe('table', () => {
  it('writes integers with separators and other numbers to 4 significant digits', () => {
    assert.equal(formatCell(62337), '62,337');
    assert.equal(formatCell(0.000887123), '0.0008871');
    assert.equal(formatCell(15.25), '15.25');
    assert.equal(formatCell(Number.NaN), '—');
    assert.equal(formatCell(-0), '0');
    assert.equal(formatCell(null), '');
    assert.equal(formatCell('cnn'), 'cnn');
  });

  it('prints float noise as 0: a value below a millionth of its column', () => {
    // Notebook 06's reorder table: the CNN's change is 0 in exact arithmetic.
    const rows = [
      { model: 'lstm-blog', reorderChange: 0.001852, mse: 0.07949 },
      { model: 'cnn', reorderChange: 1.225e-17, mse: 0.0674 },
    ];
    assert.deepEqual(columnScales(rows, ['reorderChange', 'mse']), {
      reorderChange: 0.001852,
      mse: 0.07949,
    });
    assert.deepEqual(formatRows(rows, ['model', 'reorderChange']), [
      { model: 'lstm-blog', reorderChange: '0.001852' },
      { model: 'cnn', reorderChange: '0' },
    ]);
    // A small value that is not noise keeps its digits, whatever its sign.
    const kept = formatRows([{ v: 1 }, { v: 2e-6 }, { v: -3e-5 }], ['v']).map((r) => r.v);
    assert.deepEqual(kept, ['1', '0.000002000', '-0.00003000']);
    assert.match(tableHtml(rows, ['model', 'reorderChange']), /<td>cnn<\/td><td>0<\/td>/);
  });
});
