// The ReLU gradient on native TensorFlow, registered through tfjs's public kernel registry.
//
// Why: tfjs computes it as dy·step(x), and tfjs-node builds `step` out of six
// TensorFlow ops (IsNan, Greater, two fills, two Selects), each a pass over the activations.
// That cost more than the convolution it follows (5 ms against 3.5 ms on [128, 100, 64]).
// TensorFlow's own ReluGrad does it in one pass: dy where x > 0, else 0. It is registered here
// as a kernel of the 'tensorflow' backend only; on every other backend the gradient is still
// dy·step(x). Both give the same numbers (ReluGrad writes +0 where dy·0 may give −0).
import * as tf from '@tensorflow/tfjs';
import { TensorFlowBackend, TfOps } from './ops';

/** Kernel name of TensorFlow's ReluGrad, registered for the 'tensorflow' backend only. */
export const NATIVE_RELU_GRAD = 'ExploringAttentionReluGrad';

let reluRouted = false;

/** Makes the ReLU gradient use TensorFlow's ReluGrad on the 'tensorflow' backend (see the header). */
export function routeReluGrad(): void {
  if (reluRouted) return;
  reluRouted = true;
  tf.registerKernel({
    kernelName: NATIVE_RELU_GRAD,
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, backend }) => {
      const op = new TfOps(backend as unknown as TensorFlowBackend);
      const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
      return op.one('ReluGrad', [op.T], [dy, x]);
    },
  });
  tf.registerGradient({
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      const g = dy as tf.Tensor;
      const native =
        x.dtype === 'float32' &&
        g.dtype === 'float32' &&
        tf.getKernel(NATIVE_RELU_GRAD, tf.getBackend()) !== undefined;
      return {
        x: () =>
          native
            ? (tf.engine().runKernel(NATIVE_RELU_GRAD, { dy: g, x }) as tf.Tensor)
            : tf.mul(g, tf.cast(tf.step(x), 'float32')), // tfjs's own gradient
      };
    },
  });
}
