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
