// The SelfAttention layer (src/models/layers/attention.ts): the blog's layer when heads = 1, and
// seed 004's heads, local window and position tables (sinusoidal, binary) at Q and K, each
// against a plain tfjs version.
import '../../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeOnBackends } from '../../backends';
import {
  SELF_ATTENTION_DEFAULTS,
  SelfAttention,
  SelfAttentionArgs,
} from '../../../src/models/layers/attention';
import { torchUniform } from '../../../src/models/layers/init';
import {
  assertClose,
  assertNoLeak,
  assertSameGrads,
  assertValues,
  layerGrads,
  maxDiff,
  plainGrads,
  savedAndLoaded,
} from './check';

/** A per-position linear map as a broadcast batched matMul. */
function perPosition(x: tf.Tensor, w: tf.Tensor): tf.Tensor3D {
  return tf.matMul(x as tf.Tensor3D, tf.tile(tf.expandDims(w, 0), [x.shape[0], 1, 1]));
}

/** The sinusoidal table from tfjs ops, independently of positions.ts. */
function positionsReference(length: number, channels: number): tf.Tensor {
  return tf.tidy(() => {
    const p = tf.reshape(tf.range(0, length), [length, 1]);
    const k = tf.range(0, channels);
    const pair = tf.floor(tf.div(k, 2));
    const angle = tf.div(p, tf.pow(10000, tf.div(tf.mul(2, pair), channels))); // [L, C]
    const even = tf.equal(tf.mod(k, 2), 0);
    return tf.where(tf.tile(tf.expandDims(even, 0), [length, 1]), tf.sin(angle), tf.cos(angle));
  });
}

/** The binary table from tfjs ops: channel k < 7 holds floor(p / 2^k) mod 2, the rest 0. */
function bitsReference(length: number, channels: number): tf.Tensor {
  return tf.tidy(() => {
    const p = tf.reshape(tf.range(0, length), [length, 1]);
    const k = tf.range(0, channels);
    const bit = tf.mod(tf.floor(tf.div(p, tf.pow(2, k))), 2); // [L, C]
    return tf.mul(bit, tf.cast(tf.less(k, 7), 'float32'));
  });
}

/**
 * The layer written plainly: one head at a time from channel slices, the window as a band matrix
 * with −∞ outside it, and the position table added to the input of Q and K.
 */
function plainAttention(
  opts: {
    heads: number;
    scaled: boolean;
    window: number;
    positions: 'sinusoidal' | 'binary' | false;
  },
  returnScores = false,
) {
  return (x: tf.Tensor, wq: tf.Tensor, wk: tf.Tensor, wv: tf.Tensor): tf.Tensor => {
    const [b, l, cin] = x.shape;
    const table = opts.positions === 'binary' ? bitsReference : positionsReference;
    const xa = opts.positions ? tf.add(x, table(l, cin)) : x;
    const q = perPosition(xa, wq);
    const k = perPosition(xa, wk);
    const v = perPosition(x, wv);
    const dk = wq.shape[1]! / opts.heads;
    const dv = wv.shape[1]! / opts.heads;
    const outs: tf.Tensor[] = [];
    const scores: tf.Tensor[] = [];
    for (let n = 0; n < opts.heads; n++) {
      const qn = tf.slice(q, [0, 0, n * dk], [b, l, dk]);
      const kn = tf.slice(k, [0, 0, n * dk], [b, l, dk]);
      const vn = tf.slice(v, [0, 0, n * dv], [b, l, dv]);
      let s = tf.matMul(qn, kn, false, true); // [b, L, L]
      if (opts.scaled) s = tf.div(s, Math.sqrt(dk));
      if (opts.window > 0) {
        const band = tf.linalg.bandPart(tf.ones([l, l]), opts.window, opts.window);
        const inside = tf.tile(tf.expandDims(tf.cast(band, 'bool'), 0), [b, 1, 1]);
        s = tf.where(inside, s, tf.fill(s.shape, -Infinity));
      }
      const a = tf.softmax(s);
      scores.push(a);
      outs.push(tf.matMul(a, vn));
    }
    return returnScores ? tf.stack(scores, 1) : tf.concat(outs, 2);
  };
}

function built(args: SelfAttentionArgs, x: tf.Tensor): SelfAttention {
  const layer = new SelfAttention(args);
  tf.dispose(layer.apply(x) as tf.Tensor);
  return layer;
}

describeOnBackends('SelfAttention', () => {
  describe('SelfAttention with one head (the walk-through)', () => {
    let x: tf.Tensor3D;
    before(() => {
      x = tf.randomNormal([2, 10, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
    });

    it("reproduces the blog's layer exactly: same weights, same numbers", () => {
      const layer = built({ keyChannels: 6, outChannels: 3, seed: 2, name: 'attn' }, x);
      assert.deepEqual(
        layer.weights.map((w) => [w.originalName, w.shape]),
        [
          ['attn/query', [4, 6]],
          ['attn/key', [4, 6]],
          ['attn/value', [4, 3]],
        ],
      );
      assert.equal(layer.countParams(), 4 * 6 * 2 + 4 * 3);
      const [wq, wk, wv] = layer.getWeights();
      // The initialisers are PyTorch's Conv1d default, seeded s, s + 1, s + 2 as before.
      [wq, wk, wv].forEach((w, i) =>
        assert.equal(maxDiff(w, torchUniform(4, 2 + i).apply(w.shape)), 0),
      );
      // The blog's formula as the layer computed it before heads existed: 2-D matMul projections.
      const project = (w: tf.Tensor) =>
        tf.reshape(tf.matMul(tf.reshape(x, [20, 4]), w), [2, 10, w.shape[1]!]) as tf.Tensor3D;
      const blogA = tf.softmax(tf.matMul(project(wq), project(wk), false, true));
      const blogY = tf.matMul(blogA, project(wv));
      assert.equal(maxDiff(layer.apply(x) as tf.Tensor, blogY), 0);
      assert.equal(maxDiff(layer.attention(x), tf.expandDims(blogA, 1)), 0);
      assert.equal(maxDiff(layer.meanAttention(x), blogA), 0);
    });

    it('has softmax rows summing to 1, shape [batch, 1, L, L]', () => {
      const layer = built({ keyChannels: 6, seed: 1 }, x);
      const a = layer.attention(x);
      assert.deepEqual(a.shape, [2, 1, 10, 10]);
      assertClose(tf.sum(a, -1), tf.ones([2, 1, 10]));
      assert.ok(tf.min(a).dataSync()[0] >= 0);
    });

    it('scales by 1/√key only when asked', () => {
      const plain = built({ keyChannels: 9, seed: 3 }, x);
      const scaled = built({ keyChannels: 9, seed: 3, scaled: true }, x);
      scaled.setWeights(plain.getWeights());
      const logits = tf.tidy(() => tf.log(plain.attention(x)));
      // softmax(z/3) ∝ exp(z/3): rescaling plain's log-probabilities and renormalising gives scaled's.
      assertClose(scaled.attention(x), tf.softmax(tf.div(logits, 3)), 1e-4);
    });
  });

  describe('SelfAttention heads, window and positions', () => {
    it('gives exact values on a tiny input: two one-channel heads, with and without a window', () => {
      const x = tf.tensor3d([
        [
          [1, 0],
          [0, 1],
          [1, 1],
        ],
      ]); // [1, 3, 2]
      const eye = tf.eye(2);
      const layer = (window: number) => {
        const l = built({ keyChannels: 2, heads: 2, window }, x);
        l.setWeights([eye, eye, eye]); // head n sees channel n only, in q, k and v
        return l;
      };
      const e = Math.E;
      const [full, half, third] = [(2 * e) / (2 * e + 1), e / (e + 1), 2 / 3];
      // Head 0: q = k = v = (1, 0, 1). Rows 0 and 2 weight positions 0, 2 by e, position 1 by 1.
      // Head 1: q = k = v = (0, 1, 1). Row 0 has all-zero scores: the mean of v, 2/3.
      assertValues(layer(0).apply(x) as tf.Tensor, [
        [
          [full, third],
          [third, full],
          [full, full],
        ],
      ]);
      // window 1: rows 0 and 2 lose the far end, row 1 still sees all three positions.
      assertValues(layer(1).apply(x) as tf.Tensor, [
        [
          [half, 0.5],
          [third, full],
          [half, 1],
        ],
      ]);
    });

    it('splits heads by channel blocks in one tensor: matches a loop over heads, values and gradients', () => {
      const x = tf.randomNormal([2, 7, 8], 0, 1, 'float32', 11);
      const cases: Pick<SelfAttentionArgs, 'heads' | 'scaled' | 'window' | 'positionEncoding'>[] = [
        { heads: 1 },
        { heads: 2, scaled: true },
        { heads: 3, window: 2 },
        { heads: 2, scaled: true, window: 1, positionEncoding: 'sinusoidal' },
        { heads: 3, window: 2, positionEncoding: 'binary' },
      ];
      cases.forEach((c, n) => {
        const layer = built({ keyChannels: 6, outChannels: 6, seed: 20 + n, ...c }, x);
        const opts = {
          heads: c.heads ?? 1,
          scaled: c.scaled ?? false,
          window: c.window ?? 0,
          positions: c.positionEncoding !== 'none' && (c.positionEncoding ?? false),
        };
        const weights = layer.getWeights() as [tf.Tensor, tf.Tensor, tf.Tensor];
        const what = JSON.stringify(c);
        assertClose(
          layer.apply(x) as tf.Tensor,
          plainAttention(opts)(x, ...weights),
          1e-5,
          `${what} outputs`,
        );
        assertClose(
          layer.attention(x),
          plainAttention(opts, true)(x, ...weights),
          1e-5,
          `${what} attention`,
        );
        assertSameGrads(
          layerGrads(layer, x, 30 + n),
          plainGrads(plainAttention(opts), x, weights, 30 + n),
          ['x', 'query', 'key', 'value'].map((w) => `${w} ${what}`),
        );
      });
    });

    it('with window ≥ L − 1 equals no window, exactly', () => {
      const x = tf.randomNormal([1, 100, 4], 0, 1, 'float32', 12);
      const none = built({ keyChannels: 4, heads: 2, seed: 5 }, x);
      for (const window of [99, 150]) {
        const wide = built({ keyChannels: 4, heads: 2, seed: 5, window }, x);
        assert.equal(maxDiff(wide.apply(x) as tf.Tensor, none.apply(x) as tf.Tensor), 0);
      }
    });

    it('with window 1 lets a position attend only to itself and its two neighbours', () => {
      const x = tf.randomNormal([2, 8, 4], 0, 1, 'float32', 13);
      const a = built({ keyChannels: 4, heads: 2, seed: 6, window: 1 }, x).attention(x);
      const band = tf.linalg.bandPart(tf.ones([8, 8]), 1, 1); // 1 on |i − j| ≤ 1
      assert.equal(
        tf.max(tf.mul(a, tf.sub(1, band))).dataSync()[0],
        0,
        'weight outside the window',
      );
      assert.ok(tf.min(tf.add(a, tf.sub(1, band))).dataSync()[0] > 0, 'a neighbour gets no weight');
      assertClose(tf.sum(a, -1), tf.ones([2, 2, 8]));
    });

    it('with sinusoidal positions tells equal contents at different positions apart', () => {
      const x = tf.tile(tf.randomNormal([1, 1, 4], 0, 1, 'float32', 14), [1, 6, 1]); // 6 equal steps
      const args = { keyChannels: 4, seed: 7 };
      const rows = (a: tf.Tensor) =>
        tf.tidy(
          () => tf.max(tf.abs(tf.sub(a, tf.slice(a, [0, 0, 0, 0], [1, 1, 1, 6])))).dataSync()[0],
        );
      assert.equal(rows(built(args, x).attention(x)), 0, 'without positions every row is the same');
      const withPositions = built({ ...args, positionEncoding: 'sinusoidal' }, x);
      assert.ok(rows(withPositions.attention(x)) > 1e-3, 'with positions the rows differ');
      // The values carry content only: with equal contents every output row is the same.
      const y = withPositions.apply(x) as tf.Tensor;
      assertClose(y, tf.tile(tf.slice(y, [0, 0, 0], [1, 1, 4]), [1, 6, 1]));
    });

    it('with binary positions also tells equal contents apart, and attends differently from sinusoidal', () => {
      const x = tf.tile(tf.randomNormal([1, 1, 8], 0, 1, 'float32', 18), [1, 6, 1]); // 6 equal steps
      const args = { keyChannels: 4, seed: 7 };
      const bits = built({ ...args, positionEncoding: 'binary' }, x);
      const sines = built({ ...args, positionEncoding: 'sinusoidal' }, x);
      const a = bits.attention(x);
      const rowSpread = tf.max(tf.abs(tf.sub(a, tf.slice(a, [0, 0, 0, 0], [1, 1, 1, 6]))));
      assert.ok(rowSpread.dataSync()[0] > 1e-3, 'with binary positions the rows differ');
      assert.ok(maxDiff(a, sines.attention(x)) > 1e-3, 'binary and sinusoidal tables differ');
      // Only channels 0..6 carry the bits: a layer whose Q and K read channel 7 alone sees none.
      const only7 = tf.concat([tf.zeros([7, 4]), tf.ones([1, 4])], 0); // [8, 4]
      bits.setWeights([only7, only7, bits.getWeights()[2]]);
      assertClose(bits.attention(x), tf.fill([1, 1, 6, 6], 1 / 6));
    });

    it('averages the heads in meanAttention', () => {
      const x = tf.randomNormal([2, 5, 6], 0, 1, 'float32', 15);
      const layer = built({ keyChannels: 6, heads: 3, seed: 8 }, x);
      assert.deepEqual(layer.attention(x).shape, [2, 3, 5, 5]);
      assertClose(layer.meanAttention(x), tf.mean(layer.attention(x), 1));
    });
  });

  describe('SelfAttention contract', () => {
    it('defaults to the walk-through: one head, no window, no positions, unscaled', () => {
      const config = new SelfAttention({ keyChannels: 4 }).getConfig();
      assert.deepEqual(
        {
          heads: config.heads,
          window: config.window,
          positionEncoding: config.positionEncoding,
          scaled: config.scaled,
        },
        SELF_ATTENTION_DEFAULTS,
      );
      assert.deepEqual(SELF_ATTENTION_DEFAULTS, {
        heads: 1,
        window: 0,
        positionEncoding: 'none',
        scaled: false,
      });
    });

    it('survives getConfig → fromConfig and a save/load with binary positions too', async () => {
      const layer = new SelfAttention({ keyChannels: 4, positionEncoding: 'binary', seed: 3 });
      const config = layer.getConfig();
      assert.equal(config.positionEncoding, 'binary');
      const copy = SelfAttention.fromConfig(SelfAttention, config) as SelfAttention;
      assert.deepEqual(copy.getConfig(), config);
      const x = tf.randomNormal([2, 9, 8], 0, 1, 'float32', 19);
      const { before, after } = await savedAndLoaded(layer, x);
      assert.equal(maxDiff(before, after), 0);
    });

    it('survives getConfig → fromConfig and a model save/load, and reports its output shape', async () => {
      const args: SelfAttentionArgs = {
        keyChannels: 6,
        outChannels: 4,
        heads: 2,
        scaled: true,
        window: 3,
        positionEncoding: 'sinusoidal',
        seed: 4,
        name: 'attn',
      };
      const layer = new SelfAttention(args);
      const config = layer.getConfig();
      for (const [k, v] of Object.entries(args)) assert.deepEqual(config[k], v, k);
      assert.ok(tf.serialization.SerializationMap.getMap().classNameMap.SelfAttention);
      const copy = SelfAttention.fromConfig(SelfAttention, config) as SelfAttention;
      assert.deepEqual(copy.getConfig(), config);
      assert.deepEqual(copy.computeOutputShape([null, 100, 64]), [null, 100, 4]);
      const x = tf.randomNormal([2, 9, 4], 0, 1, 'float32', 16);
      const { before, after, loaded } = await savedAndLoaded(layer, x);
      assert.ok(loaded.layers.some((l) => l instanceof SelfAttention));
      assert.equal(maxDiff(before, after), 0);
    });

    it('refuses bad settings with the field named', () => {
      const bad: [Partial<SelfAttentionArgs>, RegExp][] = [
        [{ keyChannels: 0 }, /keyChannels must be an integer >= 1, got 0/],
        [{ keyChannels: 2.5 }, /keyChannels must be an integer >= 1/],
        [{ heads: 0 }, /heads must be an integer >= 1, got 0/],
        [{ heads: 4 }, /keyChannels \(6\) must divide by heads \(4\)/],
        [{ heads: 2, outChannels: 5 }, /outChannels \(5\) must divide by heads \(2\)/],
        [{ window: -1 }, /window must be an integer >= 0/],
        [{ window: 1.5 }, /window must be an integer >= 0/],
        [
          { positionEncoding: 'learned' as 'none' },
          /positionEncoding must be one of none, sinusoidal, binary, got 'learned'/,
        ],
      ];
      for (const [args, message] of bad)
        assert.throws(() => new SelfAttention({ keyChannels: 6, ...args }), message);
      // Seven position bits need seven input channels, known when the layer is built.
      assert.throws(
        () =>
          new SelfAttention({ keyChannels: 6, positionEncoding: 'binary' }).apply(
            tf.zeros([1, 4, 6]),
          ),
        /positionEncoding 'binary' needs at least 7 input channels for its 7 position bits, got 6/,
      );
      // Without outChannels the value channels are the input's, known only when the layer is built.
      assert.throws(
        () => new SelfAttention({ keyChannels: 6, heads: 2 }).apply(tf.zeros([1, 4, 3])),
        /outChannels \(by default the input's channels\) \(3\) must divide by heads \(2\)/,
      );
    });

    it('states its input rank and channels, and refuses other shapes', () => {
      const x = tf.zeros([2, 10, 4]);
      const layer = new SelfAttention({ keyChannels: 3 });
      assert.throws(() => layer.attention(x), /not built yet/);
      assert.throws(() => layer.apply(tf.zeros([10, 4])), /expected ndim=3, found ndim=2/);
      layer.apply(x);
      assert.throws(
        () => layer.apply(tf.zeros([2, 10, 5])),
        /expected axis 2 of input shape to have value 4/,
      );
      assert.throws(
        () => layer.attention(tf.zeros([2, 10, 5])),
        /expects \[batch, length, 4\] inputs, got shape \[2,10,5\]/,
      );
    });

    it('leaves no tensors behind: forward, attention maps and gradients', () => {
      const x = tf.randomNormal([2, 6, 8], 0, 1, 'float32', 17);
      for (const positionEncoding of ['sinusoidal', 'binary'] as const) {
        const layer = new SelfAttention({
          keyChannels: 4,
          heads: 2,
          window: 1,
          positionEncoding,
          seed: 9,
        });
        assertNoLeak(() => {
          tf.dispose([layer.apply(x) as tf.Tensor, layer.attention(x), layer.meanAttention(x)]);
          tf.dispose(layerGrads(layer, x, 1));
        });
      }
    });
  });
});
