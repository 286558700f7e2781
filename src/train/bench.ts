// The training-speed benchmark behind `exploring-attention bench`: per model, the median time of
// a training step at batch 128 (after a warm-up, over at least 2 s of steps), scaled to one epoch
// of 20,000 samples; the effective GFLOP/s by the formula below; the same backend's plain matMul
// GFLOP/s as a ceiling; the process CPU time per step and the load average (the machine is often
// shared); peak memory; and the time to generate the full 25,000 + 1,000 samples. `tweakTiming`
// times what a user waits for when trying a change: a whole 5-epoch attention run, phase by phase.
//
// FLOPs per sample, forward (a multiply-add counts 2); training counts 3× forward (backward ≈ 2×):
//   conv1d        2·L·k·Cin·Cout                      (L = 100 positions)
//   attention     2·L·Cin·(2·key + Cout) + 2·L²·key + 2·L²·Cout
//   LSTM          per step 2·(in + H)·4H per direction; blog LSTM: 1 step per sample, seq: L steps
//   dense         2·in·out per application
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_DATA, SEQ_LENGTH, generateDataset } from '../data/task';
import { BuiltModel, buildModel } from '../models/build';
import {
  AttentionConfig,
  CnnConfig,
  LstmBlogConfig,
  LstmSeqConfig,
  ModelKind,
} from '../models/configs';
import { BACKEND_ENV } from '../runtime/backend';
import { ROOT } from '../runtime/paths';
import { DEFAULT_FIT } from './learner';
import { median } from '../runtime/stats';
import { timeTrainSteps } from './step-timer';

/** One epoch of the walk-through: 25,000 samples less the 20% validation hold-out. */
export const EPOCH_SAMPLES = 20_000;
const BATCH = DEFAULT_FIT.batchSize;

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
  if (m.kind === 'lstm-seq') {
    const c = m.config as LstmSeqConfig;
    const dirs = c.bidirectional ? 2 : 1;
    return L * dirs * 2 * (c.inChannels + c.hidden) * 4 * c.hidden + L * 2 * dirs * c.hidden;
  }
  return NaN; // notebook 08's variants have no FLOP formula: their GFLOP/s column stays empty
}

/** Plain [n, n] · [n, n] matMul GFLOP/s on the active backend: the ceiling for the models. */
export function matmulGflops(n = 1024, reps = 9): number {
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
  epochS: number;
  stepS: number;
  /** Process CPU seconds per step (all threads). */
  cpuStepS: number;
  steps: number;
  /** One-minute load average when the row's timing ended. */
  load: number;
  gflops: number;
  matmulGflops: number;
  /** Peak resident memory of the process so far. */
  rssMb: number;
  genS: number;
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
  const ceiling = matmulGflops(backend === 'cpu' ? 256 : 1024, backend === 'cpu' ? 2 : 9);
  const perEpoch = Math.ceil(EPOCH_SAMPLES / BATCH);
  return models.map((kind) => {
    let flops = 0;
    const r = timeTrainSteps(kind, {
      maxSteps: opts.maxSteps ?? 10,
      budgetS: opts.budgetS ?? 30,
      // Steady state: warm up for 1 s, then time at least 2 s (a 10-step median of a 10 ms step
      // measured mostly V8's first, unoptimised passes and whatever else the machine was doing).
      warmupSeconds: backend === 'cpu' ? 0 : 1,
      minSeconds: backend === 'cpu' ? 0 : 2,
      inspect: (m) => (flops = 3 * forwardFlopsPerSample(m)),
    });
    return {
      model: kind,
      backend,
      params: r.params,
      samples: EPOCH_SAMPLES,
      epochS: r.stepS * perEpoch,
      stepS: r.stepS,
      cpuStepS: r.cpuStepS,
      steps: r.steps,
      load: r.load,
      gflops: (flops * BATCH) / r.stepS / 1e9,
      matmulGflops: ceiling,
      rssMb: process.resourceUsage().maxRSS / 1024,
      genS,
    };
  });
}

/** The phases of a 5-epoch tweak run; seconds. */
export interface TweakTiming {
  backend: string;
  /** The command that was timed. */
  command: string;
  /** Node, the TypeScript loader, tfjs and the backend, up to the first op: `backend --json`. */
  startupS: number;
  /** Reading the 25,000 + 1,000 samples from the dataset cache. */
  dataS: number;
  /** Building the model. */
  buildS: number;
  /** Each epoch: training and validation. */
  epochS: number[];
  /** The rest: the test loss, saving the run, exit. */
  otherS: number;
  /** Wall time of the whole train command. */
  totalS: number;
  load: number;
}

/** The tweak that notebook 05 suggests trying: the attention model with 32 key channels. */
export const TWEAK_ARGS = [
  'train',
  '--model',
  'attention',
  '--key-channels',
  '32',
  '--epochs',
  '5',
  '--profile',
  'full',
  '--retrain',
  '--json',
];

/**
 * Times a whole 5-epoch tweak of the attention model at full size, in child processes on
 * `backend`, with a throwaway data folder whose dataset cache is filled first (a user's cache
 * is warm after the first run). Start-up is timed on its own (`backend --json`), the cache read
 * is reported by `generate`, the build is timed here; the epochs come from the run's record.
 */
export function tweakTiming(backend: string): TweakTiming {
  const cli = path.join(ROOT, 'bin', 'exploring-attention.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-tweak-'));
  const env = { ...process.env, EA_DATA_DIR: dir, EA_QUIET: '1', [BACKEND_ENV]: backend };
  const run = (args: string[]) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0)
      throw new Error(`\`${args.join(' ')}\` failed: ${r.stderr.trim().split('\n').pop()}`);
    return { seconds, json: JSON.parse(r.stdout.trim().split('\n').pop()!) };
  };
  try {
    run(['generate', '--json']); // fills the cache
    const startupS = run(['backend', '--json']).seconds;
    const cached = run(['generate', '--json']).json as { seconds: number; source: string };
    if (cached.source !== 'cache') throw new Error('the dataset cache was not used');
    const t0 = performance.now();
    buildModel('attention', { keyChannels: 32 }).model.dispose();
    const buildS = (performance.now() - t0) / 1000;
    const train = run(TWEAK_ARGS);
    const epochS = (train.json as { epoch_s: number[] }).epoch_s;
    const accounted = startupS + cached.seconds + buildS + epochS.reduce((a, b) => a + b, 0);
    return {
      backend,
      command: `exploring-attention ${TWEAK_ARGS.join(' ')}`,
      startupS,
      dataS: cached.seconds,
      buildS,
      epochS,
      otherS: Math.max(0, train.seconds - accounted),
      totalS: train.seconds,
      load: os.loadavg()[0],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
