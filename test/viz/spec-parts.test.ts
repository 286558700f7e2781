// The pieces every spec shares (src/viz/spec-parts.ts): rounding, titles, first-seen order and
// the series encoding in the palette.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstSeen, header, roundRows, seriesEncoding } from '../../src/viz/spec-parts';

describe('spec parts', () => {
  it('rounds numbers to 4 significant digits and leaves integers and strings alone', () => {
    assert.deepEqual(roundRows([{ a: 0.123456789, b: 62337, s: 'x', d: 1234.5678 }]), [
      { a: 0.1235, b: 62337, s: 'x', d: 1235 },
    ]);
    assert.deepEqual(roundRows([{ a: 0.123456789 }], 2), [{ a: 0.12 }]);
  });

  it('header: the schema, and a title object only when there is a subtitle', () => {
    assert.equal(header({ title: 't' }).title, 't');
    assert.deepEqual(header({ title: 't', subtitle: ['a', 'b'] }).title, {
      text: 't',
      subtitle: ['a', 'b'],
    });
    assert.match(header({ title: 't' }).$schema, /vega-lite\/v5/);
  });

  it('firstSeen: distinct values in the order they first appear', () => {
    assert.deepEqual(firstSeen([{ m: 'b' }, { m: 'a' }, { m: 'b' }, { m: 7 }], 'm'), ['b', 'a', 7]);
  });

  it('seriesEncoding: dash and width only where a series differs from a plain model line', () => {
    const e = seriesEncoding(['input', 'target', 'cnn'], { legendTitle: 'pick' });
    assert.equal(e.color.title, 'pick');
    assert.deepEqual(e.color.scale.domain, ['input', 'target', 'cnn']);
    assert.deepEqual(e.strokeDash, {
      condition: [{ test: 'datum.series === "input"', value: [4, 3] }],
      value: [1, 0],
    });
    assert.deepEqual(
      e.strokeWidth.condition?.map((c) => c.value),
      [1.3, 2.6],
    );
  });
});
