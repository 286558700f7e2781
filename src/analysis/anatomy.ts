// The attention layer taken apart (notebook 04): why a kernel-size-1 conv is a per-position
// linear map, the fact that lets Q, K and V be written as matMuls.
import * as tf from '@tensorflow/tfjs';

const shapeOf = (t: tf.Tensor) => `[${t.shape.join(', ')}]`;

/** A kernel-size-1 conv and a per-position linear map give the same numbers: the largest difference. */
export function convEqualsLinear(
  batch = 2,
  length = 100,
  cin = 64,
  cout = 96,
): { maxAbsDiff: number; convShape: string; linearShape: string } {
  return tf.tidy(() => {
    const x = tf.randomNormal([batch, length, cin], 0, 1, 'float32', 4) as tf.Tensor3D;
    const w = tf.randomNormal([cin, cout], 0, 0.1, 'float32', 5) as tf.Tensor2D;
    const conv = tf.conv1d(x, w.reshape([1, cin, cout]) as tf.Tensor3D, 1, 'same');
    const linear = tf.matMul(x.reshape([batch * length, cin]), w).reshape([batch, length, cout]);
    return {
      maxAbsDiff: tf.max(tf.abs(tf.sub(conv, linear))).dataSync()[0],
      convShape: shapeOf(conv),
      linearShape: shapeOf(linear),
    };
  });
}
