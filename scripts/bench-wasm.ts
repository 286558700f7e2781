/**
 * Throwaway benchmark of training steps on the (patched) wasm backend.
 *
 *   node --import tsx scripts/bench-wasm.ts [--threads N] [--profile]
 *        [--kernels BatchMatMul,Conv2DBackpropInput,Conv2DBackpropFilter | --kernels none]
 *        [--models cnn,attention,lstm,bilstm] [--steps N]
 *
 * --kernels picks which kernels src/runtime/wasm/ replaces ("before" runs:
 * `--kernels Conv2DBackpropFilter`, the minimum for conv training to run at all).
 * --profile wraps every wasm kernel with a timer and prints where a step's time goes.
 * The models here are plain tf.layers ones (their LSTM is tfjs's own, which the LstmScan
 * kernels do not serve); the project's models are timed by `exploring-attention bench
 * --backend wasm`, and profiled op by op by `bench --ops`.
 *
 * FLOP accounting (multiply-add = 2 FLOPs), per sample, forward:
 *   conv1d layer        2 · L · k · Cin · Cout
 *   linear map          2 · rows · in · out
 *   attention scores    2 · L · L · dk        (Q Kᵀ)
 *   attention output    2 · L · L · dv        (A V)
 *   LSTM step           2 · (F + U) · 4U      (+ elementwise work, not counted)
 * A training step counts 3 × forward (backward ≈ 2 × forward: one product for
 * the input gradient, one for the weight gradient). Elementwise ops, softmax,
 * the loss and Adam are not counted, so GFLOP/s is "useful matmul-ish work/s".
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import * as wasmPkg from '@tensorflow/tfjs-backend-wasm';
import {
  initWasmBackend,
  PATCHABLE_KERNELS,
  type PatchableKernel,
} from '../src/runtime/wasm/index';

// ---------------------------------------------------------------------------
// CLI

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const threads = Number(arg('threads') ?? 1);
const profile = process.argv.includes('--profile');
const kernelsArg = arg('kernels');
const kernels: PatchableKernel[] =
  kernelsArg == null
    ? [...PATCHABLE_KERNELS]
    : kernelsArg === 'none'
      ? []
      : (kernelsArg.split(',') as PatchableKernel[]);
const models = (arg('models') ?? 'cnn,attention,lstm').split(',');
const stepsArg = arg('steps');

// ---------------------------------------------------------------------------
// Timing helpers

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface KernelStat {
  calls: number;
  ms: number;
}
const kernelStats = new Map<string, KernelStat>();
let profiling = false;

function instrumentKernels(): void {
  for (const config of tf.getKernelsForBackend('wasm')) {
    const inner = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        if (!profiling) return inner(args);
        const t0 = performance.now();
        const r = inner(args);
        const dt = performance.now() - t0;
        const s = kernelStats.get(config.kernelName) ?? { calls: 0, ms: 0 };
        s.calls++;
        s.ms += dt;
        kernelStats.set(config.kernelName, s);
        return r;
      },
    });
  }
}

function printProfile(steps: number, stepMs: number): void {
  const rows = [...kernelStats.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((p, [, s]) => p + s.ms, 0) / steps;
  const calls = rows.reduce((p, [, s]) => p + s.calls, 0) / steps;
  console.log(
    `    per-kernel time per step (${steps} steps profiled; step ${stepMs.toFixed(1)} ms, ` +
      `kernels ${total.toFixed(1)} ms in ${calls.toFixed(0)} calls, JS/engine overhead ` +
      `${(stepMs - total).toFixed(1)} ms = ${((1000 * (stepMs - total)) / calls).toFixed(1)} us/call):`,
  );
  for (const [name, s] of rows.slice(0, 14)) {
    console.log(
      `      ${name.padEnd(22)} ${(s.ms / steps).toFixed(2).padStart(9)} ms  ` +
        `${(s.calls / steps).toFixed(0).padStart(6)} calls  ${((100 * s.ms) / steps / stepMs).toFixed(1).padStart(5)}%`,
    );
  }
}

async function benchStep(
  name: string,
  flopsPerStep: number,
  step: () => Promise<void>,
  opts: { warmup: number; steps: number },
): Promise<{ ms: number; gflops: number }> {
  for (let i = 0; i < opts.warmup; i++) await step();
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < opts.steps; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  const ms = median(times);
  const gflops = flopsPerStep / ms / 1e6;
  const cpuMs = (cpu.user + cpu.system) / 1000 / opts.steps;
  console.log(
    `  ${name}: median step ${ms.toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, ` +
      `process CPU ${cpuMs.toFixed(1)} ms/step), ${(flopsPerStep / 1e9).toFixed(3)} GFLOP/step -> ` +
      `${gflops.toFixed(2)} GFLOP/s`,
  );
  if (profile) {
    kernelStats.clear();
    profiling = true;
    const n = Math.max(2, Math.min(opts.steps, 5));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await step();
    const stepMs = (performance.now() - t0) / n;
    profiling = false;
    printProfile(n, stepMs);
  }
  return { ms, gflops };
}

function matMulCeiling(M: number, K: number, N: number, reps = 7): number {
  const a = tf.randomNormal([M, K]);
  const b = tf.randomNormal([K, N]);
  for (let i = 0; i < 2; i++) tf.matMul(a, b).dispose();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    times.push(performance.now() - t0);
    c.dispose();
  }
  tf.dispose([a, b]);
  const ms = median(times);
  const g = (2 * M * K * N) / ms / 1e6;
  console.log(
    `  plain matMul [${M},${K}]x[${K},${N}]: ${ms.toFixed(2)} ms -> ${g.toFixed(2)} GFLOP/s`,
  );
  return g;
}

// ---------------------------------------------------------------------------
// Models

const L = 100;
const BATCH = 128;

function convStack(input: tf.SymbolicTensor, filters: number[]): tf.SymbolicTensor {
  let h = input;
  filters.forEach((f, i) => {
    h = tf.layers
      .conv1d({
        filters: f,
        kernelSize: 5,
        padding: 'same',
        activation: i < filters.length - 1 ? 'relu' : 'linear',
      })
      .apply(h) as tf.SymbolicTensor;
  });
  return h;
}

function buildCnn(): tf.LayersModel {
  const input = tf.input({ shape: [L, 1] });
  return tf.model({ inputs: input, outputs: convStack(input, [64, 64, 64, 64, 1]) });
}

/** softmax(Q Kᵀ) V with Q, K, V per-position linear maps without bias. */
class SelfAttention extends tf.layers.Layer {
  static className = 'BenchSelfAttention';
  private wq!: tf.LayerVariable;
  private wk!: tf.LayerVariable;
  private wv!: tf.LayerVariable;
  constructor(private readonly keyDim: number) {
    super({});
  }
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = (inputShape as tf.Shape)[2] as number;
    const init = tf.initializers.glorotUniform({});
    this.wq = this.addWeight('wq', [c, this.keyDim], 'float32', init);
    this.wk = this.addWeight('wk', [c, this.keyDim], 'float32', init);
    this.wv = this.addWeight('wv', [c, c], 'float32', init);
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [b, l, c] = x.shape as number[];
      const x2 = tf.reshape(x, [b * l, c]);
      const q = tf.reshape(tf.matMul(x2, this.wq.read()), [b, l, this.keyDim]);
      const k = tf.reshape(tf.matMul(x2, this.wk.read()), [b, l, this.keyDim]);
      const v = tf.reshape(tf.matMul(x2, this.wv.read()), [b, l, c]);
      const a = tf.softmax(tf.matMul(q, k, false, true));
      return tf.matMul(a, v);
    });
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), keyDim: this.keyDim };
  }
}

function buildAttention(): tf.LayersModel {
  const input = tf.input({ shape: [L, 1] });
  let h = convStack(input, [64, 64]);
  h = tf.layers.reLU().apply(h) as tf.SymbolicTensor; // convStack leaves its last layer linear
  h = new SelfAttention(96).apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
  const out = convStack(h, [64, 1]);
  return tf.model({ inputs: input, outputs: out });
}

function buildLstm(): tf.LayersModel {
  const input = tf.input({ shape: [128, 100] });
  const h = tf.layers.lstm({ units: 128, returnSequences: true }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 100 }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function buildBiLstm(units: number): tf.LayersModel {
  const input = tf.input({ shape: [L, 1] });
  const h = tf.layers
    .bidirectional({
      layer: tf.layers.lstm({ units, returnSequences: true }) as tf.RNN,
      mergeMode: 'concat',
    })
    .apply(input) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1 }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

async function trainSteps(
  name: string,
  model: tf.LayersModel,
  xShape: number[],
  flopsPerStep: number,
  steps: number,
): Promise<{ ms: number; gflops: number }> {
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const yShape = model.outputs[0].shape.map((d, i) => (i === 0 ? xShape[0] : (d as number)));
  const x = tf.randomNormal(xShape);
  const y = tf.randomNormal(yShape);
  const r = await benchStep(
    name,
    flopsPerStep,
    async () => {
      await model.trainOnBatch(x, y);
    },
    { warmup: 2, steps },
  );
  tf.dispose([x, y]);
  return r;
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  await initWasmBackend({ threads, kernels });
  if (profile) instrumentKernels();
  console.log(
    `wasm backend: threads=${wasmPkg.getThreadsCount()}, patched kernels=[${kernels.join(',')}], ` +
      `node ${process.version}, ${os.cpus().length} CPUs, loadavg ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}`,
  );

  const summary: string[] = [];
  const convFwd = (cin: number, cout: number): number => 2 * L * 5 * cin * cout;

  if (models.includes('cnn')) {
    console.log('\nCNN: conv1d k5 same 1->64->64->64->64->1, batch 128, L 100');
    const ceil = matMulCeiling(BATCH * L, 5 * 64, 64);
    const fwd = convFwd(1, 64) + 3 * convFwd(64, 64) + convFwd(64, 1);
    const r = await trainSteps(
      'train step',
      buildCnn(),
      [BATCH, L, 1],
      3 * fwd * BATCH,
      Number(stepsArg ?? 10),
    );
    summary.push(
      `cnn        ${(r.ms / 1000).toFixed(3)} s/step  ${r.gflops.toFixed(1)} GFLOP/s  ` +
        `(ceiling ${ceil.toFixed(1)}, ratio ${(r.gflops / ceil).toFixed(2)})`,
    );
  }
  if (models.includes('attention')) {
    console.log(
      '\nAttention model: conv 1->64, conv 64->64, attention(64, key 96), conv 64->64, conv 64->1',
    );
    const ceil = matMulCeiling(BATCH * L, 5 * 64, 64);
    const fwd =
      convFwd(1, 64) +
      2 * convFwd(64, 64) +
      convFwd(64, 1) +
      2 * L * 64 * (96 + 96 + 64) +
      2 * L * L * 96 +
      2 * L * L * 64;
    const r = await trainSteps(
      'train step',
      buildAttention(),
      [BATCH, L, 1],
      3 * fwd * BATCH,
      Number(stepsArg ?? 10),
    );
    summary.push(
      `attention  ${(r.ms / 1000).toFixed(3)} s/step  ${r.gflops.toFixed(1)} GFLOP/s  ` +
        `(ceiling ${ceil.toFixed(1)}, ratio ${(r.gflops / ceil).toFixed(2)})`,
    );
  }
  if (models.includes('lstm')) {
    console.log('\nBlog LSTM: lstm(128) on [1, 128 steps, 100] + dense(100) per step, batch 1');
    const ceilGemm = matMulCeiling(BATCH, 100 + 128, 512);
    const ceilVec = matMulCeiling(1, 100 + 128, 512, 51);
    const fwd = 128 * (2 * (100 + 128) * 4 * 128 + 2 * 128 * 100);
    const r = await trainSteps(
      'train step',
      buildLstm(),
      [1, 128, 100],
      3 * fwd,
      Number(stepsArg ?? 10),
    );
    summary.push(
      `lstm       ${(r.ms / 1000).toFixed(3)} s/step  ${r.gflops.toFixed(2)} GFLOP/s  ` +
        `(GEMM ceiling ${ceilGemm.toFixed(1)}, batch-1 matvec ${ceilVec.toFixed(1)}, ` +
        `ratio to GEMM ${(r.gflops / ceilGemm).toFixed(3)})`,
    );
  }
  if (models.includes('bilstm')) {
    const U = 64;
    console.log(
      `\nSequence LSTM: bidirectional lstm(${U}) on [128, 100 steps, 1] + dense(1), batch 128`,
    );
    const ceil = matMulCeiling(BATCH, 1 + U, 4 * U);
    const fwd = BATCH * (2 * L * 2 * (1 + U) * 4 * U + L * 2 * 2 * U);
    const r = await trainSteps(
      'train step',
      buildBiLstm(U),
      [BATCH, L, 1],
      3 * fwd,
      Number(stepsArg ?? 5),
    );
    summary.push(
      `bilstm${U}   ${(r.ms / 1000).toFixed(3)} s/step  ${r.gflops.toFixed(2)} GFLOP/s  ` +
        `(ceiling ${ceil.toFixed(1)} at [128,${1 + U}]x[${1 + U},${4 * U}], ratio ${(r.gflops / ceil).toFixed(3)})`,
    );
  }
  console.log('\nsummary (threads=' + wasmPkg.getThreadsCount() + '):\n  ' + summary.join('\n  '));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
