// Positions at the model's input (src/models/layers/position-channels.ts): a fixed 7-channel
// table concatenated after the input's channels; 'binary' is exactly the data option's input.
import '../../setup';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeOnBackends } from '../../backends';
import { loadDataset, batchTensors } from '../../../src/data/dataset';
import {
  INPUT_POSITION_CHANNELS,
  PositionChannels,
} from '../../../src/models/layers/position-channels';
import { binaryPositions, sinusoidalPositions } from '../../../src/models/layers/positions';
import { assertNoLeak, assertValues, maxDiff, savedAndLoaded } from './check';

const quiet = { log: () => {} };

describeOnBackends('PositionChannels', () => {
  it('appends the 7 binary bits after the input channels, the same for every sample', () => {
    const x = tf.tensor3d([
      [[5], [6], [7]],
      [[8], [9], [10]],
    ]); // [2, 3, 1]
    const y = new PositionChannels({ encoding: 'binary' }).apply(x) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 3, 8]);
    const bits = [
      [0, 0, 0, 0, 0, 0, 0],
      [1, 0, 0, 0, 0, 0, 0],
      [0, 1, 0, 0, 0, 0, 0],
    ];
    assertValues(y, [
      [5, 6, 7].map((v, p) => [v, ...bits[p]]),
      [8, 9, 10].map((v, p) => [v, ...bits[p]]),
    ]);
  });

  it("with 'sinusoidal' appends 7 channels of the Transformer formula (d = 7)", () => {
    const x = tf.randomNormal([2, 100, 3], 0, 1, 'float32', 1);
    const y = new PositionChannels({ encoding: 'sinusoidal' }).apply(x) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 100, 3 + INPUT_POSITION_CHANNELS]);
    assert.equal(maxDiff(tf.slice(y, [0, 0, 0], [2, 100, 3]), x), 0, 'the input passes unchanged');
    const table = tf.slice(y, [1, 0, 3], [1, 100, 7]);
    assert.equal(maxDiff(table, tf.expandDims(sinusoidalPositions(100, 7), 0)), 0);
    assert.ok(maxDiff(table, tf.expandDims(binaryPositions(100, 7), 0)) > 0.5, 'not the bits');
  });

  it("with 'binary' on the bare sequence gives exactly the data option's input: values and channel order", () => {
    const opts = { nTrain: 40, nTest: 5 };
    const bare = loadDataset(opts, quiet).dataset;
    const withBits = loadDataset({ ...opts, positionalEncoding: true }, quiet).dataset;
    const idx = [0, 3, 7, 11];
    const x1 = batchTensors(bare, 'train', idx).x; // [4, 100, 1]
    const x8 = batchTensors(withBits, 'train', idx).x; // [4, 100, 8]: value, then bit k in 1 + k
    const y = new PositionChannels({ encoding: 'binary' }).apply(x1) as tf.Tensor;
    assert.deepEqual(y.shape, x8.shape);
    assert.equal(maxDiff(y, x8), 0);
  });

  it('survives getConfig → fromConfig and a model save/load, and reports its output shape', async () => {
    const layer = new PositionChannels({ encoding: 'binary', name: 'positions' });
    const config = layer.getConfig();
    assert.equal(config.encoding, 'binary');
    assert.ok(tf.serialization.SerializationMap.getMap().classNameMap.PositionChannels);
    const copy = PositionChannels.fromConfig(PositionChannels, config) as PositionChannels;
    assert.deepEqual(copy.getConfig(), config);
    assert.deepEqual(copy.computeOutputShape([null, 100, 1]), [null, 100, 8]);
    const x = tf.randomNormal([2, 9, 2], 0, 1, 'float32', 2);
    const { before, after, loaded } = await savedAndLoaded(layer, x);
    assert.equal(layer.countParams(), 0);
    assert.ok(loaded.layers.some((l) => l instanceof PositionChannels));
    assert.equal(maxDiff(before, after), 0);
  });

  it('refuses an unknown encoding, naming it', () => {
    assert.throws(
      () => new PositionChannels({ encoding: 'none' as 'binary' }),
      /encoding must be one of sinusoidal, binary, got 'none'/,
    );
    assert.throws(
      () => new PositionChannels({ encoding: 'binary' }).apply(tf.zeros([3, 1])),
      /ndim=3/,
    );
  });

  it('leaves no tensors behind', () => {
    const x = tf.randomNormal([2, 6, 1], 0, 1, 'float32', 3);
    const layer = new PositionChannels({ encoding: 'sinusoidal' });
    assertNoLeak(() => tf.dispose(layer.apply(x) as tf.Tensor));
  });
});
