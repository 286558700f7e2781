// The `exploring-attention` command line. Each subcommand prints a short human summary, or
// with --json one JSON object per line for scripts. Bad arguments get the usage and exit 2.
// node's util.parseArgs does the parsing: strict (unknown flags are errors) and dependency-free.
import { spawnSync } from 'node:child_process';
import { ROOT } from './runtime/paths';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BACKENDS, initBackend } from './runtime/backend';
import { BenchRow, bench } from './train/bench';
import { inputChannels } from './data/task';
import { loadDataset } from './data/dataset';
import { MODEL_KINDS, ModelKind, assertModelKind, buildModel, summary } from './models/build';
import { PROFILE_ENV, Profile, getProfile } from './train/profiles';
import { terminalProgress } from './train/progress';
import { reproduce } from './train/reproduce';
import { summaryFile, trainOrLoad } from './train/runs';
import { grid, runSweep } from './train/sweep';

export class UsageError extends Error {}

const USAGE = `usage: exploring-attention <command> [options]

commands:
  generate --train N --test N [--seed S] [--group-by-locations] [--positional-encoding] [--json]
      build (or load from data/cache/) a dataset; prints train, test, mean, std, rejected, seconds
  backend [--json]
      print the backend in use and why each faster one was not used (EA_BACKEND forces one: ${BACKENDS.join(', ')})
  summary --model M [--kernel-size K] [--key-channels C] [--json]
      layers, output shapes and parameter count of a model (M: ${MODEL_KINDS.join(', ')})
  train --model M [--profile P | --train N --test N --epochs E] [--kernel-size K] [--key-channels C]
        [--seed S] [--group-by-locations] [--positional-encoding] [--retrain] [--json]
      train a model (or reuse its saved run in data/models/) and print its losses and epoch times

  sweep --model M --kernel-sizes 3,5,7 [--key-channels 16,32] [--epochs E] [--train N] [--json]
      train a grid of configs (resumable: finished points are never retrained); one line per grid point

  bench [--models cnn,attention,…] [--backend B | --all-backends] [--steps N] [--json]
      training speed per model and backend: epoch seconds, effective and matMul GFLOP/s, memory
  reproduce [--profile P] [--retrain] [--only 01,05]
      run every notebook headless (nbclient + tslab), write them back with outputs, the figures to
      data/figures/ and per-model results to data/results/summary.json; default profile: full

profiles (P): full (the blog's sizes), quick, smoke; the default is $${PROFILE_ENV} or full.`;

type Values = Record<string, string | boolean | undefined>;

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean' }>): Values {
  try {
    return parseArgs({
      args,
      options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values as Values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A whole number from a flag, or the fallback when the flag is absent. */
function int(v: Values, name: string, fallback: number, min?: number): number;
function int(v: Values, name: string, fallback: undefined, min?: number): number | undefined;
function int(v: Values, name: string, fallback: number | undefined, min = 0): number | undefined {
  const raw = v[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isInteger(n))
    throw new UsageError(`--${name} must be a whole number, got '${raw}'`);
  if (n < min) throw new UsageError(`--${name} must be >= ${min}, got ${n}`);
  return n;
}

/** The profile named by --profile, else `fallback` (undefined: EA_PROFILE, then full). */
function profileOf(v: Values, fallback?: string): Profile {
  try {
    return getProfile(typeof v.profile === 'string' ? v.profile : fallback);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function model(v: Values): ModelKind {
  if (typeof v.model !== 'string') throw new UsageError('--model is required');
  try {
    return assertModelKind(v.model);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Model overrides from --kernel-size / --key-channels, only for the models that have them. */
function overrides(kind: ModelKind, v: Values): Record<string, number> {
  const out: Record<string, number> = {};
  const k = int(v, 'kernel-size', undefined, 1);
  const c = int(v, 'key-channels', undefined, 1);
  if (k !== undefined) {
    if (kind !== 'cnn' && kind !== 'attention')
      throw new UsageError(`--kernel-size applies to cnn and attention, not ${kind}`);
    out.kernelSize = k;
  }
  if (c !== undefined) {
    if (kind !== 'attention')
      throw new UsageError(`--key-channels applies to attention only, not ${kind}`);
    out.keyChannels = c;
  }
  return out;
}

type Out = (human: string, json: object) => void;

const commands: Record<string, (args: string[], out: Out) => Promise<void>> = {
  async generate(args, out) {
    const v = parse(args, {
      train: { type: 'string' },
      test: { type: 'string' },
      seed: { type: 'string' },
      'group-by-locations': { type: 'boolean' },
      'positional-encoding': { type: 'boolean' },
    });
    const nTrain = int(v, 'train', 25_000, 2);
    const nTest = int(v, 'test', 1_000, 1);
    const seed = int(v, 'seed', 42, 0);
    const {
      dataset: d,
      seconds,
      source,
      file,
    } = loadDataset({
      nTrain,
      nTest,
      seed,
      groupByLocations: !!v['group-by-locations'],
      positionalEncoding: !!v['positional-encoding'],
    });
    const r = {
      train: d.train.n,
      test: d.test.n,
      mean: d.mean,
      std: d.std,
      rejected: d.rejected,
      seconds,
      source,
      file,
    };
    out(
      `${r.train} train + ${r.test} test samples (${source}, ${seconds.toFixed(2)} s): mean ${d.mean.toFixed(4)}, std ${d.std.toFixed(4)}, ${d.rejected} draws rejected\n${file}`,
      r,
    );
  },

  async backend(args, out) {
    parse(args, {});
    const info = await initBackend({ quiet: true });
    out(info.summary, {
      backend: info.name,
      tf_backend: info.tfName,
      forced: info.forced,
      skipped: info.skipped,
    });
  },

  async summary(args, out) {
    const v = parse(args, {
      model: { type: 'string' },
      'kernel-size': { type: 'string' },
      'key-channels': { type: 'string' },
    });
    const kind = model(v);
    await initBackend({ quiet: true });
    const s = summary(buildModel(kind, overrides(kind, v)));
    const lines = s.layers.map(
      (l) =>
        `  ${l.name.padEnd(16)} ${l.type.padEnd(14)} [${l.outputShape.map((d) => d ?? 'batch').join(', ')}]`.padEnd(
          60,
        ) + String(l.params).padStart(8),
    );
    out(
      [
        `${kind}: ${s.params.toLocaleString('en')} parameters`,
        ...lines,
        ...(s.note ? [s.note] : []),
      ].join('\n'),
      { model: kind, params: s.params, layers: s.layers, note: s.note },
    );
  },

  async train(args, out) {
    const v = parse(args, {
      model: { type: 'string' },
      profile: { type: 'string' },
      train: { type: 'string' },
      test: { type: 'string' },
      epochs: { type: 'string' },
      seed: { type: 'string' },
      'kernel-size': { type: 'string' },
      'key-channels': { type: 'string' },
      retrain: { type: 'boolean' },
      'group-by-locations': { type: 'boolean' },
      'positional-encoding': { type: 'boolean' },
    });
    const kind = model(v);
    const profile = profileOf(v);
    const nTrain = int(v, 'train', profile.nTrain, 2);
    const nTest = int(v, 'test', profile.nTest, 1);
    const epochs = int(v, 'epochs', profile.epochs, 0);
    const seed = int(v, 'seed', 0, 0);
    const positionalEncoding = !!v['positional-encoding'];
    if (positionalEncoding && kind === 'lstm-blog')
      throw new UsageError(
        '--positional-encoding does not apply to lstm-blog (its input is one 100-step row per sample)',
      );
    const config = {
      ...overrides(kind, v),
      seed,
      ...(positionalEncoding ? { inChannels: inputChannels({ positionalEncoding }) } : {}),
    };
    await initBackend();
    const data = { nTrain, nTest, groupByLocations: !!v['group-by-locations'], positionalEncoding };
    const run = await trainOrLoad({
      kind,
      config,
      data,
      train: { epochs },
      retrain: !!v.retrain,
      profile: profile.name,
      onProgress: terminalProgress(kind),
    });
    const r = run.record;
    out(
      `${kind} (${r.params} params, ${run.source === 'saved' ? 'saved run' : `trained on ${r.backend}`}): train ${r.trainLoss.toFixed(5)}, valid ${r.validLoss.toFixed(5)}, test ${r.testLoss.toFixed(5)}`,
      {
        model: kind,
        params: r.params,
        backend: r.backend,
        profile: r.profile,
        epochs: r.train.epochs,
        train_loss: r.trainLoss,
        valid_loss: r.validLoss,
        test_loss: r.testLoss,
        epoch_s: r.epochSeconds,
        source: run.source,
        config: r.config,
      },
    );
  },
};

function intList(v: Values, name: string): number[] | undefined {
  const raw = v[name];
  if (raw === undefined) return undefined;
  const parts = String(raw)
    .split(',')
    .map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1))
    throw new UsageError(
      `--${name} must be a comma-separated list of positive whole numbers, got '${raw}'`,
    );
  return parts.map(Number);
}

commands.sweep = async (args, out) => {
  const v = parse(args, {
    model: { type: 'string' },
    'kernel-sizes': { type: 'string' },
    'key-channels': { type: 'string' },
    epochs: { type: 'string' },
    train: { type: 'string' },
    test: { type: 'string' },
    profile: { type: 'string' },
  });
  const kind = model(v);
  const profile = profileOf(v);
  const axes: Record<string, number[]> = {};
  const ks = intList(v, 'kernel-sizes');
  const cs = intList(v, 'key-channels');
  if (ks) axes.kernelSize = ks;
  if (cs) {
    if (kind !== 'attention')
      throw new UsageError(`--key-channels applies to attention only, not ${kind}`);
    axes.keyChannels = cs;
  }
  if (!ks && !cs) throw new UsageError('give at least one of --kernel-sizes and --key-channels');
  if (ks && kind !== 'cnn' && kind !== 'attention')
    throw new UsageError(`--kernel-sizes applies to cnn and attention, not ${kind}`);
  const data = {
    nTrain: int(v, 'train', profile.sweepTrain, 2),
    nTest: int(v, 'test', profile.nTest, 1),
  };
  const train = { epochs: int(v, 'epochs', profile.sweepEpochs, 1) };
  await initBackend();
  await runSweep(grid(kind, axes as never), {
    data,
    train,
    profile: profile.name,
    progress: (p, i, n, eta) => (
      process.stderr.write(
        `[${i + 1}/${n}] ${p.label}${eta ? `, about ${Math.round(eta / 60)} min left` : ''}\n`,
      ),
      terminalProgress(p.label)
    ),
    onPoint: (r) => {
      const last = r.epochs[r.epochs.length - 1];
      out(
        r.status === 'done'
          ? `${r.label}: ${r.params} params, valid ${last.valid.toPrecision(4)}, test ${r.testLoss!.toPrecision(4)}, ${r.seconds.toFixed(0)} s`
          : `${r.label}: FAILED: ${r.error}`,
        {
          label: r.label,
          model: r.kind,
          config: r.config,
          status: r.status,
          error: r.error,
          params: r.params,
          train_loss: last?.train,
          valid_loss: last?.valid,
          test_loss: r.testLoss,
          seconds: r.seconds,
          backend: r.backend,
        },
      );
    },
  });
};

commands.reproduce = async (args, out) => {
  const v = parse(args, {
    profile: { type: 'string' },
    retrain: { type: 'boolean' },
    only: { type: 'string' },
  });
  const profile = profileOf(v, 'full');
  const t0 = performance.now();
  const only = typeof v.only === 'string' ? v.only.split(',').map((s) => s.trim()) : undefined;
  const code = await reproduce({
    profile,
    retrain: !!v.retrain,
    only,
    log: (s) => process.stderr.write(s + '\n'),
  });
  if (code !== 0) throw new Error(`a notebook failed (see above); exit code ${code}`);
  const seconds = (performance.now() - t0) / 1000;
  out(`reproduced the ${profile.name} profile in ${(seconds / 60).toFixed(1)} min`, {
    profile: profile.name,
    seconds,
    summary: summaryFile(),
  });
};

commands.bench = async (args, out) => {
  const v = parse(args, {
    models: { type: 'string' },
    backend: { type: 'string' },
    'all-backends': { type: 'boolean' },
    steps: { type: 'string' },
  });
  const models = (
    typeof v.models === 'string' ? v.models.split(',').map((m) => m.trim()) : [...MODEL_KINDS]
  ).map((m) => {
    try {
      return assertModelKind(m);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  });
  const steps = int(v, 'steps', 10, 1);
  if (v['all-backends'] && v.backend)
    throw new UsageError('give --backend or --all-backends, not both');
  if (typeof v.backend === 'string' && !(BACKENDS as readonly string[]).includes(v.backend))
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, got '${v.backend}'`);
  const emit = (r: BenchRow) =>
    out(
      `${r.model.padEnd(10)} ${r.backend.padEnd(10)} ${String(r.params).padStart(7)} params  epoch ${r.epoch_s.toFixed(1).padStart(7)} s  ${r.gflops.toFixed(1).padStart(6)} GFLOP/s (matMul ${r.matmul_gflops.toFixed(1)})  rss ${r.rss_mb.toFixed(0)} MB`,
      r,
    );
  if (v['all-backends']) {
    // One child process per backend: a process holds one tfjs backend, and tfjs-node cannot be unloaded.
    for (const b of BACKENDS) {
      const child = spawnSync(
        process.execPath,
        [
          path.join(ROOT, 'bin', 'exploring-attention.js'),
          'bench',
          '--backend',
          b,
          '--json',
          '--models',
          models.join(','),
          '--steps',
          String(b === 'cpu' ? 1 : steps),
        ],
        { encoding: 'utf8', env: { ...process.env, EA_BACKEND: b, EA_QUIET: '1' } },
      );
      if (child.status !== 0) {
        const why = child.stderr.trim().split('\n').pop();
        out(`${b}: not available (${why})`, { backend: b, available: false, error: why });
        continue;
      }
      for (const line of child.stdout.trim().split('\n').filter(Boolean)) emit(JSON.parse(line));
    }
    return;
  }
  const info = await initBackend({
    force: typeof v.backend === 'string' ? v.backend : undefined,
    quiet: true,
  });
  const budgetS = info.name === 'cpu' ? 1 : 30;
  for (const row of bench(models, info.name, { maxSteps: steps, budgetS })) emit(row);
};

/** Runs the CLI; resolves to the exit code. */
export async function main(
  argv: string[],
  io: { stdout?: (s: string) => void; stderr?: (s: string) => void } = {},
): Promise<number> {
  const stdout = io.stdout ?? ((s: string) => process.stdout.write(s + '\n'));
  const stderr = io.stderr ?? ((s: string) => process.stderr.write(s + '\n'));
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    (cmd ? stdout : stderr)(USAGE);
    return cmd ? 0 : 2;
  }
  const run = commands[cmd];
  if (!run) {
    stderr(`unknown command '${cmd}'\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help')) {
    stdout(USAGE);
    return 0;
  }
  const json = rest.includes('--json');
  try {
    await run(rest, (human, obj) => stdout(json ? JSON.stringify(obj) : human));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      stderr(`exploring-attention ${cmd}: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    stderr(`exploring-attention ${cmd}: ${(err as Error).message}`);
    return 1;
  }
}
