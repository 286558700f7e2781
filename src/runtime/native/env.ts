// What the native backend (tfjs-node) is told before TensorFlow starts. TensorFlow reads its
// thread and oneDNN settings once, when the binding loads and creates its eager context, so
// `prepareTensorFlow()` runs just before that (backend.ts). A variable the user has set always wins; only missing ones get the defaults.
//
// What was measured (2 cores, load 5-9 from other jobs; `bench`, median step and process CPU):
//   TF_NUM_INTRAOP_THREADS  1 was 1.5-2× slower in wall time than 2 (same CPU time); 3 matched 2.
//   TF_NUM_INTEROP_THREADS  1 and 2 measured the same: eager ops run on the calling thread, so
//                           the inter-op pool sits idle either way.
//   TF_ENABLE_ONEDNN_OPTS   0 cost the CNN 1.6× (Eigen's convolutions instead of oneDNN's).
// So threads default to the CPU count (TensorFlow's own choice, written down here), and oneDNN
// is left to TensorFlow, which turns it on for CPUs like this one (AVX512_VNNI or AMX).
//
import * as os from 'node:os';
import { routeReluGrad } from './relu-grad';

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

/**
 * Sets the missing TensorFlow variables to the defaults and routes the ReLU gradient
 * (relu-grad.ts). Call it
 * before tfjs-node loads; returns what TensorFlow will start with.
 */
export function prepareTensorFlow(env: NodeJS.ProcessEnv = process.env): TfEnvSetting[] {
  const settings = tfEnvSettings(env);
  for (const s of settings) if (s.source === 'default') env[s.name] = s.value;
  routeReluGrad();
  return settings;
}
