// IEEE half-precision (float16) conversion for weights stored at half the bytes (snapshots.ts).
// tfjs decodes float16 weight files (io.decodeWeights with quantization 'float16') but has no
// encoder, so both directions live here; the test checks this decoder against tfjs's.
// float16: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits: a relative rounding error
// of at most 2⁻¹¹ (≈ 4.9e-4) for |x| in [6.1e-5, 65504], subnormals below, ±Infinity above.

/** Float32 → float16 bits, rounding to nearest even (overflow gives ±Infinity). */
export function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) {
    const x = bits[i];
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    const e = exp - 127 + 15; // the float16 exponent
    let mant = x & 0x7fffff;
    if (exp === 0xff) out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
    else if (e >= 0x1f) out[i] = sign | 0x7c00;
    else {
      let shift = 13; // drop 13 of float32's 23 mantissa bits
      let h = (e << 10) | (mant >> 13);
      if (e <= 0) {
        if (e < -10) {
          out[i] = sign; // below half the smallest subnormal: 0
          continue;
        }
        mant |= 0x800000; // subnormal: the implicit 1 becomes explicit
        shift = 14 - e;
        h = mant >> shift;
      }
      const rest = mant & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rest > half || (rest === half && h & 1)) h++; // a carry into the exponent is right
      out[i] = sign | h;
    }
  }
  return out;
}

/** Float16 bits → float32 values. */
export function fromFloat16(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i];
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 0x1f;
    const m = h & 0x3ff;
    out[i] =
      e === 0
        ? s * m * 2 ** -24
        : e === 31
          ? m
            ? NaN
            : s * Infinity
          : s * (1 + m / 1024) * 2 ** (e - 15);
  }
  return out;
}

/** A byte payload as float16 bits (copied: a file's payload may start at an odd offset). */
export function bitsOf(payload: Uint8Array): Uint16Array {
  const bits = new Uint16Array(payload.byteLength / 2);
  new Uint8Array(bits.buffer).set(payload);
  return bits;
}

/** Cuts a flat array of several weights' values into one array per weight. */
export function cut(flat: Float32Array, sizes: readonly number[]): Float32Array[] {
  let o = 0;
  return sizes.map((n) => flat.subarray(o, (o += n)));
}
