// The weights of one LSTM, in the layout both scans take (the JS loop in lstm.ts and the fused
// native op in native-lstm.ts). Its own file so neither scan imports the other's module for it.
import * as tf from '@tensorflow/tfjs';

/** The weights an LSTM scan reads, for D directions. */
export interface LstmWeights {
  /** [directions, in, 4·hidden] */
  w: tf.Tensor3D;
  /** [directions, hidden, 4·hidden] */
  u: tf.Tensor3D;
  /** [directions, 1, 4·hidden]: the sum of PyTorch's b_ih and b_hh. */
  b: tf.Tensor3D;
}

/** What a scan returns: the outputs [D, T, B, H] and the final states h, c [D, B, H]. */
export interface LstmScanResult {
  ys: tf.Tensor4D;
  h: tf.Tensor3D;
  c: tf.Tensor3D;
}

/** A scan's sizes from its inputs (D × [T, B, in]) and weights: D, hidden, T, B and in. */
export function scanDims(xs: tf.Tensor3D[], wts: LstmWeights) {
  const [d, , h4] = wts.w.shape;
  const [t, b, cin] = xs[0].shape;
  return { d, hidden: h4 / 4, t, b, cin };
}
