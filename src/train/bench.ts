// The training-speed benchmark behind `exploring-attention bench`: per model, the median time of
// a training step at batch 128 (after a warm-up), scaled to one epoch of 20,000 samples; the
// effective GFLOP/s by the formula below; the same backend's plain matMul GFLOP/s as a ceiling;
// peak memory; and the time to generate the full 25,000 + 1,000 samples.
//
// FLOPs per sample, forward (a multiply-add counts 2); training counts 3× forward (backward ≈ 2×):
//   conv1d        2·L·k·Cin·Cout                      (L = 100 positions)
//   attention     2·L·Cin·(2·key + Cout) + 2·L²·key + 2·L²·Cout
//   LSTM          per step 2·(in + H)·4H per direction; blog LSTM: 1 step per sample, seq: L steps
//   dense         2·in·out per application
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_DATA, SEQ_LENGTH, generateDataset } from '../data/task';
import { batchTensors, loadDataset } from '../data/dataset';
import { Learner } from './learner';
import {
  AttentionConfig,
  BuiltModel,
  CnnConfig,
  LstmBlogConfig,
  LstmSeqConfig,
  ModelKind,
  buildModel,
} from '../models/build';

export const EPOCH_SAMPLES = 20_000;
export const BATCH = 128;

export function forwardFlopsPerSample(m: BuiltModel): number {
  const L = SEQ_LENGTH;
  const conv = (k: number, cin: number, cout: number) => 2 * L * k * cin * cout;
  if (m.kind === 'cnn') {
    const c = m.config as CnnConfig;
    let f = 0;
    for (let i = 0; i < c.depth; i++)
      f += conv(
        c.kernelSize,
        i === 0 ? c.inChannels : c.channels,
        i === c.depth - 1 ? 1 : c.channels,
      );
    return f;
  }
  if (m.kind === 'attention') {
    const c = m.config as AttentionConfig;
    const attn =
      2 * L * c.channels * (2 * c.keyChannels + c.channels) +
      2 * L * L * c.keyChannels +
      2 * L * L * c.channels;
    return (
      conv(c.kernelSize, c.inChannels, c.channels) +
      2 * conv(c.kernelSize, c.channels, c.channels) +
      conv(c.kernelSize, c.channels, 1) +
      attn
    );
  }
  if (m.kind === 'lstm-blog') {
    const c = m.config as LstmBlogConfig;
    return 2 * (L + c.hidden) * 4 * c.hidden + 2 * c.hidden * L;
  }
  const c = m.config as LstmSeqConfig;
  const dirs = c.bidirectional ? 2 : 1;
  return L * dirs * 2 * (c.inChannels + c.hidden) * 4 * c.hidden + L * 2 * dirs * c.hidden;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Plain [n, n] · [n, n] matMul GFLOP/s on the active backend: the ceiling for the models. */
export function matmulGflops(n = 1024, reps = 5): number {
  const a = tf.randomUniform([n, n]);
  const b = tf.randomUniform([n, n]);
  const times: number[] = [];
  for (let r = 0; r <= reps; r++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    if (r > 0) times.push((performance.now() - t0) / 1000);
    c.dispose();
  }
  tf.dispose([a, b]);
  return (2 * n ** 3) / median(times) / 1e9;
}

export interface BenchRow {
  model: ModelKind;
  backend: string;
  params: number;
  samples: number;
  /** Median step time × steps per epoch of `samples` samples. */
  epoch_s: number;
  step_s: number;
  steps: number;
  gflops: number;
  matmul_gflops: number;
  /** Peak resident memory of the process so far. */
  rss_mb: number;
  gen_s: number;
}

/** Times training steps of one model: one warm-up, then up to `maxSteps` (stopping after `budgetS`). */
export function benchModel(
  kind: ModelKind,
  opts: { maxSteps: number; budgetS: number },
): { params: number; stepS: number; steps: number; flops: number } {
  const data = loadDataset({ nTrain: 640, nTest: 10 }, { log: () => {} }).dataset;
  const built = buildModel(kind);
  const learner = new Learner(built, data);
  const { x, y } = batchTensors(
    data,
    'train',
    Int32Array.from({ length: BATCH }, (_, i) => i),
  );
  learner.trainStep(x, y);
  const times: number[] = [];
  const start = performance.now();
  while (
    times.length < opts.maxSteps &&
    (times.length < 1 || (performance.now() - start) / 1000 < opts.budgetS)
  ) {
    const t0 = performance.now();
    learner.trainStep(x, y);
    times.push((performance.now() - t0) / 1000);
  }
  const out = {
    params: built.model.countParams(),
    stepS: median(times),
    steps: times.length,
    flops: 3 * forwardFlopsPerSample(built),
  };
  tf.dispose([x, y]);
  learner.optimizer.dispose();
  built.model.dispose();
  return out;
}

/** Benchmarks the given models on the active backend. */
export function bench(
  models: readonly ModelKind[],
  backend: string,
  opts: { maxSteps?: number; budgetS?: number } = {},
): BenchRow[] {
  const t0 = performance.now();
  generateDataset({ ...DEFAULT_DATA });
  const genS = (performance.now() - t0) / 1000;
  const ceiling = matmulGflops(backend === 'cpu' ? 256 : 1024, backend === 'cpu' ? 2 : 5);
  const stepsPerEpoch = Math.ceil(EPOCH_SAMPLES / BATCH);
  return models.map((kind) => {
    const r = benchModel(kind, { maxSteps: opts.maxSteps ?? 10, budgetS: opts.budgetS ?? 30 });
    return {
      model: kind,
      backend,
      params: r.params,
      samples: EPOCH_SAMPLES,
      epoch_s: r.stepS * stepsPerEpoch,
      step_s: r.stepS,
      steps: r.steps,
      gflops: (r.flops * BATCH) / r.stepS / 1e9,
      matmul_gflops: ceiling,
      rss_mb: process.resourceUsage().maxRSS / 1024,
      gen_s: genS,
    };
  });
}
