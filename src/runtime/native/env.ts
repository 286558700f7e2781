// What the native backend (tfjs-node) is told before TensorFlow starts, and the one TensorFlow
// op it routes a gradient to. TensorFlow reads its thread and oneDNN settings once, when the
// binding loads and creates its eager context, so `prepareTensorFlow()` runs just before that
// (backend.ts). A variable the user has set always wins; only missing ones get the defaults.
//
// What was measured (2 cores, load 5-9 from other jobs; `bench`, median step and process CPU):
//   TF_NUM_INTRAOP_THREADS  1 was 1.5-2× slower in wall time than 2 (same CPU time); 3 matched 2.
//   TF_NUM_INTEROP_THREADS  1 and 2 measured the same: eager ops run on the calling thread, so
//                           the inter-op pool sits idle either way.
//   TF_ENABLE_ONEDNN_OPTS   0 cost the CNN 1.6× (Eigen's convolutions instead of oneDNN's).
// So threads default to the CPU count (TensorFlow's own choice, written down here), and oneDNN
// is left to TensorFlow, which turns it on for CPUs like this one (AVX512_VNNI or AMX).
//
// The ReLU gradient: tfjs computes it as dy·step(x), and tfjs-node builds `step` out of six
// TensorFlow ops (IsNan, Greater, two fills, two Selects), each a pass over the activations.
// That cost more than the convolution it follows (5 ms against 3.5 ms on [128, 100, 64]).
// TensorFlow's own ReluGrad does it in one pass: dy where x > 0, else 0. It is registered here
// as a kernel of the 'tensorflow' backend only; on every other backend the gradient is still
// dy·step(x). Both give the same numbers (ReluGrad writes +0 where dy·0 may give −0).
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';

export interface TfEnvSetting {
  name: string;
  value: string;
  /** 'user' when the variable was already set, else 'default'. */
  source: 'user' | 'default';
}

/** The defaults, by variable, for a machine with `cpus` CPUs. */
export function tfEnvDefaults(cpus: number): Record<string, string> {
  return {
    TF_NUM_INTRAOP_THREADS: String(cpus), // one per CPU; 1 halves the speed (see the header)
    TF_NUM_INTEROP_THREADS: String(cpus), // idle for eager ops; TensorFlow's own default
  };
}

/** The settings TensorFlow will start with: the user's where set, else the defaults. */
export function tfEnvSettings(
  env: NodeJS.ProcessEnv = process.env,
  cpus: number = os.availableParallelism(),
): TfEnvSetting[] {
  return Object.entries(tfEnvDefaults(cpus)).map(([name, value]) =>
    env[name] !== undefined && env[name] !== ''
      ? { name, value: env[name]!, source: 'user' }
      : { name, value, source: 'default' },
  );
}

/** Kernel name of TensorFlow's ReluGrad, registered for the 'tensorflow' backend only. */
export const NATIVE_RELU_GRAD = 'ExploringAttentionReluGrad';

interface NativeBackendLike {
  binding: { TF_ATTR_TYPE: number; TF_FLOAT: number };
  executeSingleOutput(
    name: string,
    attrs: { name: string; type: number; value: unknown }[],
    inputs: tf.TensorInfo[],
  ): tf.Tensor;
}

let reluRouted = false;

/** Makes the ReLU gradient use TensorFlow's ReluGrad on the 'tensorflow' backend (see the header). */
export function routeReluGrad(): void {
  if (reluRouted) return;
  reluRouted = true;
  tf.registerKernel({
    kernelName: NATIVE_RELU_GRAD,
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, backend }) => {
      const be = backend as unknown as NativeBackendLike;
      const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
      const attrs = [{ name: 'T', type: be.binding.TF_ATTR_TYPE, value: be.binding.TF_FLOAT }];
      return be.executeSingleOutput('ReluGrad', attrs, [dy, x]);
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

/**
 * Sets the missing TensorFlow variables to the defaults and routes the ReLU gradient. Call it
 * before tfjs-node loads; returns what TensorFlow will start with.
 */
export function prepareTensorFlow(env: NodeJS.ProcessEnv = process.env): TfEnvSetting[] {
  const settings = tfEnvSettings(env);
  for (const s of settings) if (s.source === 'default') env[s.name] = s.value;
  routeReluGrad();
  return settings;
}
