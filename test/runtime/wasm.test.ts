/**
 * The patched wasm kernels (src/wasm-kernels.ts) against the pure-JS `cpu`
 * backend: forward values and gradients for conv1d, batched matMul with every
 * transpose combination, an attention block, one LSTM step, and the smaller
 * kernels (slicing, concat, reverse, sum, comparisons, tanh); plus heap growth
 * inside a kernel and the threaded build in a child process.
 *
 * Run: node --import tsx --test test/wasm-kernels.test.ts
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initWasmBackend } from '../../src/runtime/wasm/index';
import { wasmLstmAvailable } from '../../src/runtime/wasm/lstm';
import { jsLstmScan, lstmScan } from '../../src/models/layers/lstm';

type Arrays = Float32Array[];

/** Deterministic pseudo-random values in [-1, 1). */
function rand(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Runs `fn` on a backend and returns its outputs as plain arrays. */
async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<Arrays> {
  await tf.setBackend(backend);
  return tf
    .tidy(() => fn())
    .map((t) => {
      const v = t.dataSync() as Float32Array;
      t.dispose();
      return Float32Array.from(v);
    });
}

function assertClose(
  actual: Arrays,
  expected: Arrays,
  what: string,
  rtol = 1e-4,
  atol = 1e-5,
): void {
  assert.equal(actual.length, expected.length, `${what}: number of outputs`);
  for (let k = 0; k < expected.length; k++) {
    const a = actual[k];
    const e = expected[k];
    assert.equal(a.length, e.length, `${what}[${k}]: size`);
    let scale = 0;
    for (let i = 0; i < e.length; i++) scale = Math.max(scale, Math.abs(e[i]));
    let worst = 0;
    let at = -1;
    for (let i = 0; i < e.length; i++) {
      const d = Math.abs(a[i] - e[i]);
      if (!(d <= worst)) {
        worst = d;
        at = i;
      } // also catches NaN
    }
    assert.ok(
      worst <= atol + rtol * scale,
      `${what}[${k}]: max |diff| ${worst} at ${at} (wasm ${a[at]}, cpu ${e[at]}, scale ${scale})`,
    );
  }
}

async function compare(
  what: string,
  fn: () => tf.Tensor[],
  rtol?: number,
  atol?: number,
): Promise<void> {
  const expected = await on('cpu', fn);
  const actual = await on('wasm', fn);
  assertClose(actual, expected, what, rtol, atol);
}

before(async () => {
  await initWasmBackend(); // wasm + patchWasmKernels()
});

describe('conv1d forward and gradients', () => {
  const cases: Array<[number, number, number, 'same' | 'valid']> = [];
  for (const k of [1, 3, 5, 7])
    for (const [ci, co] of [
      [1, 8],
      [8, 8],
    ])
      cases.push([k, ci, co, 'same']);
  cases.push([4, 8, 8, 'same'], [3, 8, 8, 'valid'], [5, 1, 8, 'valid']);
  for (const [k, ci, co, pad] of cases) {
    test(`kernel ${k}, ${ci}->${co}, '${pad}'`, async () => {
      const B = 3;
      const L = 17;
      const fn = (): tf.Tensor[] => {
        const x = tf.tensor3d(rand(B * L * ci, 1 + k), [B, L, ci]);
        const w = tf.tensor3d(rand(k * ci * co, 2 + k), [k, ci, co]);
        const lOut = pad === 'same' ? L : L - k + 1;
        const r = tf.tensor3d(rand(B * lOut * co, 3 + k), [B, lOut, co]);
        const f = (xx: tf.Tensor, ww: tf.Tensor): tf.Tensor =>
          tf.sum(tf.mul(tf.conv1d(xx as tf.Tensor3D, ww as tf.Tensor3D, 1, pad), r));
        const [dx, dw] = tf.grads(f)([x, w]);
        return [tf.conv1d(x, w, 1, pad), dx, dw];
      };
      await compare(`conv1d k=${k} ${ci}->${co} ${pad}`, fn);
    });
  }

  test('conv2d 3x3 same (the 2-D path of the same kernels)', async () => {
    const fn = (): tf.Tensor[] => {
      const x = tf.tensor4d(rand(2 * 6 * 7 * 3, 11), [2, 6, 7, 3]);
      const w = tf.tensor4d(rand(3 * 3 * 3 * 5, 12), [3, 3, 3, 5]);
      const r = tf.tensor4d(rand(2 * 6 * 7 * 5, 13), [2, 6, 7, 5]);
      const f = (xx: tf.Tensor, ww: tf.Tensor): tf.Tensor =>
        tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 1, 'same'), r));
      const [dx, dw] = tf.grads(f)([x, w]);
      return [dx, dw];
    };
    await compare('conv2d 3x3', fn);
  });

  test('unsupported Conv2DBackpropFilter attributes throw a clear error', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 1, 8, 2]) as tf.Tensor4D;
    const w = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    const strided = (ww: tf.Tensor): tf.Tensor =>
      tf.sum(tf.conv2d(x, ww as tf.Tensor4D, 2, 'valid'));
    assert.throws(() => tf.grad(strided)(w), /only NHWC, stride 1, dilation 1/);
    tf.dispose([x, w]);
  });
});

describe('batched matMul, every transpose combination', () => {
  const M = 30;
  const K = 40;
  const N = 25;
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      const aShape = (batch: number[]): number[] => [...batch, ...(tA ? [K, M] : [M, K])];
      const bShape = (batch: number[]): number[] => [...batch, ...(tB ? [N, K] : [K, N])];
      const layouts: Array<[string, number[], number[]]> = [
        ['batch 3 x batch 3', [3], [3]],
        ['rank 4 [2,3]', [2, 3], [2, 3]],
        ['batch 3 x shared', [3], []],
        ['shared x batch 3', [], [3]],
        ['2-D', [], []],
      ];
      for (const [name, ba, bb] of layouts) {
        test(`tA=${tA} tB=${tB} ${name}`, async () => {
          const fn = (): tf.Tensor[] => {
            const sa = aShape(ba);
            const sb = bShape(bb);
            const a = tf.tensor(
              rand(
                sa.reduce((p, s) => p * s, 1),
                21,
              ),
              sa,
            );
            const b = tf.tensor(
              rand(
                sb.reduce((p, s) => p * s, 1),
                22,
              ),
              sb,
            );
            const y = tf.matMul(a, b, tA, tB);
            // tfjs-core 4.22 cannot differentiate a broadcast batch matMul
            // (its gradient keeps the broadcast batch dim) on any backend.
            if (ba.length !== bb.length) return [y];
            const r = tf.tensor(rand(y.size, 23), y.shape);
            const [da, db] = tf.grads((aa: tf.Tensor, bb2: tf.Tensor) =>
              tf.sum(tf.mul(tf.matMul(aa, bb2, tA, tB), r)),
            )([a, b]);
            return [y, da, db];
          };
          await compare(`matMul tA=${tA} tB=${tB} ${name}`, fn);
        });
      }
    }
  }

  test('small batched products (stock-kernel path) and degenerate dims', async () => {
    const fn = (): tf.Tensor[] => {
      const a = tf.tensor3d(rand(4 * 3 * 5, 31), [4, 3, 5]);
      const b = tf.tensor3d(rand(4 * 2 * 5, 32), [4, 2, 5]);
      const v = tf.tensor2d(rand(5, 33), [1, 5]);
      const w = tf.tensor2d(rand(5 * 6, 34), [6, 5]);
      return [
        tf.matMul(a, b, false, true),
        tf.matMul(v, w, false, true),
        tf.matMul(v, v, true, false),
      ];
    };
    await compare('small matMul', fn);
  });

  test('a transposed right operand stays correct across reshapes of the same data', async () => {
    const fn = (): tf.Tensor[] => {
      const a = tf.tensor2d(rand(6 * 8, 41), [6, 8]);
      const w = tf.tensor2d(rand(8 * 12, 42), [12, 8]);
      const y1 = tf.matMul(a, w, false, true); // caches w^T for w's data
      const w2 = tf.reshape(w, [8, 12]); // same data, other shape
      const y2 = tf.matMul(tf.tensor2d(rand(6 * 12, 43), [6, 12]), w2, false, true);
      const y3 = tf.matMul(a, w, false, true); // cache hit again
      return [y1, y2, y3];
    };
    await compare('cached transpose', fn);
  });
});

describe('attention block softmax(Q K^T) V', () => {
  test('forward and full gradient', async () => {
    const B = 2;
    const L = 30;
    const C = 16;
    const D = 24;
    const fn = (): tf.Tensor[] => {
      const x = tf.tensor3d(rand(B * L * C, 51), [B, L, C]);
      const wq = tf.tensor2d(rand(C * D, 52), [C, D]);
      const wk = tf.tensor2d(rand(C * D, 53), [C, D]);
      const wv = tf.tensor2d(rand(C * C, 54), [C, C]);
      const r = tf.tensor3d(rand(B * L * C, 55), [B, L, C]);
      // Per-position linear maps as [B*L, C] x [C, D] (a broadcast 3-D x 2-D
      // tf.matMul has no working gradient in tfjs-core 4.22).
      const proj = (xx: tf.Tensor, w: tf.Tensor): tf.Tensor =>
        tf.reshape(tf.matMul(tf.reshape(xx, [B * L, C]), w), [B, L, w.shape[1] as number]);
      const attn = (xx: tf.Tensor, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor => {
        const Q = proj(xx, q);
        const Kx = proj(xx, k);
        const V = proj(xx, v);
        const A = tf.softmax(tf.matMul(Q, Kx, false, true));
        return tf.matMul(A, V);
      };
      const y = attn(x, wq, wk, wv);
      const grads = tf.grads((xx: tf.Tensor, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
        tf.sum(tf.mul(attn(xx, q, k, v), r)),
      )([x, wq, wk, wv]);
      return [y, ...grads];
    };
    await compare('attention', fn, 2e-4, 1e-5);
  });
});

describe('LSTM', () => {
  test('one training step of tf.layers.lstm', async () => {
    const B = 4;
    const T = 6;
    const F = 3;
    const U = 8;
    const fn = (): tf.Tensor[] => {
      const model = tf.sequential();
      model.add(tf.layers.lstm({ units: U, inputShape: [T, F], returnSequences: true }));
      model.add(tf.layers.dense({ units: 1 }));
      model.setWeights(model.getWeights().map((w, i) => tf.tensor(rand(w.size, 60 + i), w.shape)));
      const x = tf.tensor3d(rand(B * T * F, 70), [B, T, F]);
      const y = tf.tensor3d(rand(B * T, 71), [B, T, 1]);
      const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
      const { value, grads } = tf.variableGrads(
        () => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar,
        vars,
      );
      const out = [value, ...vars.map((v) => grads[v.name])];
      tf.dispose(vars);
      return out;
    };
    await compare('lstm step', fn, 2e-4, 1e-6);
  });
});

describe('whole-sequence LSTM kernels (runtime/wasm/lstm.ts)', () => {
  // On wasm `lstmScan` runs the two kernels; on cpu it is the JS loop over tfjs ops. The
  // reference is jsLstmScan, except for T = 1, whose gradient jsLstmScan cannot take (tfjs's
  // Unpack gradient on an axis of length 1), where lstmScan takes cpu's one-step path too.
  // in = 1 with H = 16 exercises the folded [x, h, 1] GEMM; the others the separate one.
  for (const [d, t, b, cin, h] of [
    [1, 6, 3, 4, 5],
    [2, 7, 2, 3, 4],
    [2, 9, 4, 1, 16],
    [1, 1, 2, 3, 4],
    [1, 12, 1, 10, 8],
  ]) {
    test(`D=${d} T=${t} B=${b} in=${cin} H=${h}: outputs, final states and every gradient`, async () => {
      const fn = (): tf.Tensor[] => {
        const n = (shape: number[], seed: number, scale = 1) =>
          tf.mul(
            tf.tensor(
              rand(
                shape.reduce((p, q) => p * q, 1),
                seed,
              ),
              shape,
            ),
            scale,
          );
        const xs = Array.from({ length: d }, (_, k) => n([t, b, cin], 80 + k) as tf.Tensor3D);
        const args = [
          ...xs,
          n([d, cin, 4 * h], 90, 0.7),
          n([d, h, 4 * h], 91, 0.7),
          n([d, 1, 4 * h], 92, 0.5),
          n([d, b, h], 93),
          n([d, b, h], 94),
        ];
        const scan = tf.getBackend() === 'wasm' || t === 1 ? lstmScan : jsLstmScan;
        const run = (...a: tf.Tensor[]) => {
          const [w, u, bb, h0, c0] = a.slice(d) as tf.Tensor3D[];
          return scan(a.slice(0, d) as tf.Tensor3D[], { w, u, b: bb }, h0, c0);
        };
        const loss = (...a: tf.Tensor[]) => {
          const { ys, h: hT, c } = run(...a);
          return tf.addN([
            tf.sum(tf.mul(ys, n(ys.shape, 95))),
            tf.sum(tf.mul(hT, n(hT.shape, 96))),
            tf.sum(tf.mul(c, n(c.shape, 97))),
          ]) as tf.Scalar;
        };
        const { ys, h: hT, c } = run(...args);
        return [ys, hT, c, ...tf.grads(loss)(args)];
      };
      await compare('lstm scan', fn, 2e-4, 1e-5);
    });
  }

  test('are what the LSTM layers use on wasm, and only there', async () => {
    await tf.setBackend('wasm');
    assert.equal(wasmLstmAvailable(), true);
    await tf.setBackend('cpu');
    assert.equal(wasmLstmAvailable(), false);
  });
});

describe('data-movement and elementwise kernels', () => {
  test('slice, unstack, split, reverse, concat, stack (float32, int32, bool)', async () => {
    const fn = (): tf.Tensor[] => {
      const x = tf.tensor4d(rand(3 * 4 * 5 * 6, 81), [3, 4, 5, 6]);
      const xi = tf.cast(tf.mul(x, 100), 'int32');
      const xb = tf.greater(x, 0);
      const outs: tf.Tensor[] = [];
      for (const t of [x, xi, xb]) {
        outs.push(
          tf.slice(t, [1, 0, 2, 0], [2, 4, 2, 6]), // whole trailing dims -> runs
          tf.slice(t, [0, 1, 1, 2], [3, 2, 3, 3]), // strided everywhere
          tf.slice(t, [2], [1]),
          ...tf.unstack(t, 0),
          ...tf.unstack(t, 2),
          ...tf.unstack(t, 3),
          ...tf.split(t, [1, 3, 2], 3),
          ...tf.split(t, 2, 1),
          tf.reverse(t, 1),
          tf.reverse(t, [0, 3]),
          tf.reverse(t, [1, 2]),
          tf.reverse(t, 3),
          tf.concat([t, t], 0),
          tf.concat([t, tf.slice(t, [0, 0, 0, 1], [3, 4, 5, 2]), t], 3),
          tf.concat([tf.slice(t, [0, 0, 0, 0], [3, 0, 5, 6]), t, t], 1),
          tf.stack([t, t, t], 0),
          tf.stack([t, t], 2),
          tf.stack([t, t], 4),
        );
      }
      return outs.map((o) => tf.cast(o, 'float32'));
    };
    await compare('slicing', fn, 0, 0);
  });

  test('comparisons and logicalAnd (scalar either side, same shape, NaN)', async () => {
    const fn = (): tf.Tensor[] => {
      const x = tf.concat([tf.tensor1d(rand(200, 97)), tf.tensor1d([NaN, 0, 0.5, -0.5])]);
      const y = tf.concat([tf.tensor1d(rand(200, 98)), tf.tensor1d([0, NaN, 0.5, 0.25])]);
      const s = tf.scalar(0.25);
      const xi = tf.cast(tf.mul(x, 10), 'int32');
      const yi = tf.cast(tf.mul(y, 10), 'int32');
      const out: tf.Tensor[] = [];
      for (const [p, q, r] of [
        [x, y, s],
        [xi, yi, tf.scalar(2, 'int32')],
      ] as Array<[tf.Tensor, tf.Tensor, tf.Tensor]>) {
        out.push(
          tf.greaterEqual(p, q),
          tf.greaterEqual(p, r),
          tf.greaterEqual(r, q),
          tf.lessEqual(p, q),
          tf.lessEqual(p, r),
          tf.lessEqual(r, p),
          tf.greater(p, q),
          tf.greater(p, r),
          tf.less(p, q),
          tf.less(r, q),
        );
      }
      const bx = tf.greater(x, 0);
      const by = tf.greater(y, 0);
      out.push(
        tf.logicalAnd(bx, by),
        tf.logicalAnd(bx, tf.scalar(true, 'bool')),
        tf.logicalAnd(tf.scalar(false, 'bool'), by),
        tf.greaterEqual(tf.reshape(x, [2, 102]), tf.tensor2d([[0.1]])),
      );
      return out.map((t) => tf.cast(t, 'float32'));
    };
    await compare('comparisons', fn, 0, 0);
  });

  test('tanh over its whole range', async () => {
    const fn = (): tf.Tensor[] => {
      const x = tf.mul(tf.tensor1d(rand(4001, 95)), 12);
      const small = tf.mul(tf.tensor1d(rand(1001, 96)), 0.1);
      return [
        tf.tanh(x),
        tf.tanh(small),
        tf.tanh(tf.tensor1d([0, -0, 1e-30, -1e-8, 0.0625, -0.0625, 20, -20, 100])),
      ];
    };
    await compare('tanh', fn, 2e-6, 2e-7);
    // relative accuracy near 0
    await tf.setBackend('wasm');
    const v = tf.tanh(tf.tensor1d([1e-6, -3e-5, 1e-3])).dataSync();
    assert.ok(
      Math.abs(v[0] / Math.tanh(1e-6) - 1) < 1e-6 &&
        Math.abs(v[1] / Math.tanh(-3e-5) - 1) < 1e-6 &&
        Math.abs(v[2] / Math.tanh(1e-3) - 1) < 1e-6,
      `tanh near 0: ${Array.from(v)}`,
    );
  });

  test('sum over leading axes (bias gradients) and other reductions', async () => {
    const fn = (): tf.Tensor[] => {
      const x = tf.tensor3d(rand(7 * 9 * 5, 91), [7, 9, 5]);
      return [
        tf.sum(x, [0, 1]),
        tf.sum(x, 0),
        tf.sum(x, [0, 1], true),
        tf.sum(x, [1, 0]),
        tf.sum(x, 2),
        tf.sum(x, [0, 2]),
        tf.sum(x),
        tf.sum(tf.reshape(x, [63, 5]), 0),
        tf.sum(tf.reshape(x, [315, 1]), 0),
      ];
    };
    await compare('sum', fn, 1e-5, 1e-5);
  });

  test('kernels survive wasm heap growth during their own allocations', async () => {
    await tf.setBackend('wasm');
    const heapBytes = (): number =>
      (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
    const ops: Array<[string, (x: tf.Tensor1D) => tf.Tensor]> = [
      ['split', (x) => tf.split(x, 2)[1]],
      ['reverse', (x) => tf.reverse(x)],
      ['concat', (x) => tf.concat([x, x])],
      ['tanh', (x) => tf.tanh(x)],
    ];
    for (const [name, op] of ops) {
      const n = Math.ceil(heapBytes() / 4 / 4) * 2; // input: half the heap
      const x = tf.tidy(() =>
        tf.concat([tf.tensor1d([1]), tf.fill([n - 2], 0.5), tf.tensor1d([2])]),
      ) as tf.Tensor1D;
      const before = heapBytes();
      const y = tf.tidy(() => op(x));
      assert.ok(
        heapBytes() > before,
        `${name}: the heap did not grow, so this case tested nothing`,
      );
      const v = y.dataSync();
      const expect: Record<string, [number, number]> = {
        split: [0.5, 2],
        reverse: [2, 1],
        concat: [1, 2],
        tanh: [Math.tanh(1), Math.tanh(2)],
      };
      const got = [v[0], v[v.length - 1]];
      assert.ok(
        got.every((g, i) => Math.abs(g - expect[name][i]) < 1e-6),
        `${name}: ${got} vs ${expect[name]}`,
      );
      tf.dispose([x, y]);
    }
  });

  test('identity and same-dtype cast share memory safely', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    const z = tf.cast(x, 'float32');
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3]);
    y.dispose();
    assert.deepEqual(Array.from(z.dataSync()), [1, 2, 3]);
    z.dispose();
  });
});

describe('tf.layers models, one training step', () => {
  const run = (build: () => tf.LayersModel, xShape: number[], seed: number) => (): tf.Tensor[] => {
    const model = build();
    model.setWeights(model.getWeights().map((w, i) => tf.tensor(rand(w.size, seed + i), w.shape)));
    const x = tf.tensor(
      rand(
        xShape.reduce((p, q) => p * q, 1),
        seed + 50,
      ),
      xShape,
    );
    const yShape = [xShape[0], ...(model.outputs[0].shape.slice(1) as number[])];
    const y = tf.tensor(
      rand(
        yShape.reduce((p, q) => p * q, 1),
        seed + 51,
      ),
      yShape,
    );
    const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar,
      vars,
    );
    const out = [value, ...vars.map((v) => grads[v.name])];
    tf.dispose(vars);
    return out;
  };

  test('conv1d stack with bias and relu (the CNN, small)', async () => {
    const build = (): tf.LayersModel => {
      const m = tf.sequential();
      m.add(
        tf.layers.conv1d({
          filters: 8,
          kernelSize: 5,
          padding: 'same',
          activation: 'relu',
          inputShape: [20, 1],
        }),
      );
      m.add(tf.layers.conv1d({ filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' }));
      m.add(tf.layers.conv1d({ filters: 1, kernelSize: 5, padding: 'same' }));
      return m;
    };
    await compare('cnn step', run(build, [4, 20, 1], 100), 2e-4, 1e-6);
  });

  test('bidirectional LSTM over the sequence', async () => {
    const build = (): tf.LayersModel => {
      const m = tf.sequential();
      m.add(
        tf.layers.bidirectional({
          layer: tf.layers.lstm({ units: 6, returnSequences: true }) as tf.RNN,
          inputShape: [7, 1],
        }),
      );
      m.add(tf.layers.dense({ units: 1 }));
      return m;
    };
    await compare('bilstm step', run(build, [3, 7, 1], 200), 2e-4, 1e-6);
  });
});

describe('threads in Node', () => {
  test('initWasmBackend({threads: 2}) loads the threaded build and computes correctly', () => {
    const script = `
      const tf = require('@tensorflow/tfjs');
      const wasm = require('@tensorflow/tfjs-backend-wasm');
      const { initWasmBackend } = require(${JSON.stringify(path.join(__dirname, '../../src/runtime/wasm/index'))});
      (async () => {
        await initWasmBackend({ threads: 2 });
        const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
        const b = tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]);
        console.log(JSON.stringify({ threads: wasm.getThreadsCount(), y: Array.from(tf.matMul(a, b).dataSync()) }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: path.join(__dirname, '../..'),
      encoding: 'utf8',
      timeout: 30000,
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() as string);
    assert.equal(out.threads, 2);
    assert.deepEqual(out.y, [4, 5, 10, 11]);
  });
});
