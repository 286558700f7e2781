// float16 conversion (src/train/float16.ts): known bit patterns, round-to-nearest-even, the
// relative error bound, and the decoder against tfjs's own float16 weight decoder.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { bitsOf, cut, fromFloat16, toFloat16 } from '../../src/train/float16';

const half = (v: number) => toFloat16(Float32Array.of(v))[0];

describe('float16', () => {
  it('encodes known values, rounding ties to even', () => {
    // Bugs caught: truncating instead of rounding; ties rounded up; subnormals flushed to 0.
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [1 / 3, 0x3555], // 0.333251953125
      [65504, 0x7bff], // the largest finite float16
      [65520, 0x7c00], // halfway to the next: rounds to even, which is Infinity
      [Infinity, 0x7c00],
      [2 ** -14, 0x0400], // the smallest normal
      [2 ** -24, 0x0001], // the smallest subnormal
      [2 ** -25, 0x0000], // half of it: a tie, to the even 0
      [3 * 2 ** -25, 0x0002], // 1.5 subnormal steps: a tie, to the even 2
      [1 + 2 ** -11, 0x3c00], // a tie between 1 and 1 + 2⁻¹⁰: to the even 1
      [1 + 3 * 2 ** -11, 0x3c02], // a tie between 0x3c01 and 0x3c02: to the even 0x3c02
      [1 + 2 ** -11 + 2 ** -20, 0x3c01], // just above the tie: up
    ];
    for (const [v, bits] of cases) assert.equal(half(v), bits, `${v}`);
    assert.ok(Number.isNaN(fromFloat16(Uint16Array.of(half(NaN)))[0]));
  });

  it('round-trips within 2⁻¹¹ relative error over the normal range', () => {
    const values = Float32Array.from({ length: 20_000 }, (_, i) => {
      const mag = 10 ** (-4 + (8 * ((i * 7919) % 20_000)) / 20_000); // 1e-4 … 1e4
      return i % 2 ? mag : -mag;
    });
    const back = fromFloat16(toFloat16(values));
    let worst = 0;
    for (let i = 0; i < values.length; i++)
      worst = Math.max(worst, Math.abs(back[i] - values[i]) / Math.abs(values[i]));
    assert.ok(worst <= 2 ** -11, String(worst));
    assert.ok(worst > 2 ** -12, 'suspiciously exact');
  });

  it("decodes all 65,536 bit patterns as tfjs's float16 weight decoder does", () => {
    // An independent decoder: tf.io.decodeWeights with a float16-quantized weight spec.
    const all = Uint16Array.from({ length: 65_536 }, (_, i) => i);
    const spec = { name: 'w', shape: [65_536], dtype: 'float32' as const };
    const decoded = tf.io.decodeWeights(all.buffer, [
      { ...spec, quantization: { dtype: 'float16' as const } },
    ]);
    const theirs = decoded.w.dataSync();
    const ours = fromFloat16(all);
    for (let i = 0; i < all.length; i++) {
      if (Number.isNaN(theirs[i])) assert.ok(Number.isNaN(ours[i]), `pattern ${i}`);
      else assert.equal(ours[i], theirs[i], `pattern ${i.toString(16)}`);
    }
    tf.dispose(decoded.w);
    // And every finite value decodes to a value that encodes back to the same bits.
    const finite = all.filter((b) => (b & 0x7c00) !== 0x7c00);
    assert.deepEqual(toFloat16(fromFloat16(finite)), finite);
  });

  it('reads bits from a payload at an odd offset, and cuts flat arrays per weight', () => {
    const buf = Buffer.alloc(5);
    buf.writeUInt16LE(0x3c00, 1);
    buf.writeUInt16LE(0xc000, 3);
    assert.deepEqual(bitsOf(buf.subarray(1)), Uint16Array.of(0x3c00, 0xc000));
    const parts = cut(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3, 1]);
    assert.deepEqual(
      parts.map((p) => Array.from(p)),
      [[1, 2], [3, 4, 5], [6]],
    );
  });
});
