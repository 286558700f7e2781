// The `exploring-attention` command line, the project's second front door. Each subcommand
// checks every argument first (a bad one exits 2 with the usage, before the backend starts or
// anything is written), then wires the stages together and prints a short human summary, or
// with --json one JSON object per line for scripts.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ConfigError, checkOneOf } from './runtime/validate';
import { Flags, UsageError, choiceFlag, intFlag, intListFlag, parseFlags } from './runtime/args';
import { BACKENDS, BACKEND_ENV, initBackend } from './runtime/backend';
import { ROOT } from './runtime/paths';
import { DEFAULT_DATA, inputChannels } from './data/task';
import { loadDataset } from './data/dataset';
import { buildModel } from './models/build';
import {
  ATTENTION_PLACEMENTS,
  DEFAULTS,
  MODEL_KINDS,
  ModelKind,
  POSITION_ENCODINGS,
  assertModelKind,
  resolveConfig,
} from './models/configs';
import { summary } from './models/summary';
import { BenchRow, bench } from './train/bench';
import { PROFILE_ENV, Profile, getProfile, profileLabel } from './train/profiles';
import { terminalProgress } from './train/progress';
import { reproduce } from './train/reproduce';
import { planRun, trainOrLoad } from './train/runs';
import { finalLosses } from './train/history';
import { grid, planSweep, runSweep } from './train/sweep';
import { summaryFile } from './train/summary-file';

const MODEL_FLAGS =
  '[--kernel-size K] [--key-channels C] [--heads H] [--window R] [--position-encoding none|sinusoidal] [--scaled] [--residual | --no-residual] [--placement before|after] [--reset-state]';
const USAGE = `usage: exploring-attention <command> [options]

commands:
  generate [--train N] [--test N] [--seed S] [--group-by-locations] [--positional-encoding] [--json]
      build (or load from data/cache/) a dataset; prints train, test, mean, std, rejected, seconds
  backend [--json]
      print the backend in use and why each faster one was not used (${BACKEND_ENV} forces one: ${BACKENDS.join(', ')})
  summary --model M ${MODEL_FLAGS} [--json]
      layers, output shapes and parameter count of a model (M: ${MODEL_KINDS.join(', ')})
  train --model M [--profile P | --train N --test N --epochs E] ${MODEL_FLAGS}
        [--seed S] [--group-by-locations] [--positional-encoding] [--retrain] [--json]
      train a model (or reuse its saved run in data/models/); a killed run resumes from its last epoch
  sweep --model M [--kernel-sizes 3,5,7] [--key-channels 16,32] [--heads 1,2,4] [--window 0,5,10]
        [--epochs E] [--train N] [--json]
      train a grid of configs (resumable: finished points are never retrained); one line per grid point
  bench [--models cnn,attention,…] [--backend B | --all-backends] [--steps N] [--json]
      training speed per model and backend: epoch seconds, effective and matMul GFLOP/s, memory
  reproduce [--profile P] [--retrain] [--only 01,05]
      run every notebook headless (nbclient + tslab), write them back with outputs, the figures to
      data/figures/ and the runs' results to data/results/summary.json; default profile: full

model fields: ${MODEL_KINDS.map((k) => `${k} (${Object.keys(DEFAULTS[k]).join(', ')})`).join('; ')}
profiles (P): full (the blog's sizes), quick, smoke; the default is $${PROFILE_ENV} or full.
exit codes: 0 done, 1 failed while working, 2 bad arguments (nothing was started or written).`;

const MODEL_FLAG_SPEC = {
  model: { type: 'string' },
  'kernel-size': { type: 'string' },
  'key-channels': { type: 'string' },
  heads: { type: 'string' },
  window: { type: 'string' },
  'position-encoding': { type: 'string' },
  scaled: { type: 'boolean' },
  residual: { type: 'boolean' },
  'no-residual': { type: 'boolean' },
  placement: { type: 'string' },
  'reset-state': { type: 'boolean' },
} as const;

function modelKind(v: Flags): ModelKind {
  if (typeof v.model !== 'string') throw new UsageError('--model is required');
  return assertModelKind(v.model);
}

/** The model fields set by flags, each refused for a kind that has no such field. */
function modelOverrides(kind: ModelKind, v: Flags): Record<string, unknown> {
  const given: [string, string, unknown][] = [
    ['kernel-size', 'kernelSize', intFlag(v, 'kernel-size', undefined, 1)],
    ['key-channels', 'keyChannels', intFlag(v, 'key-channels', undefined, 1)],
    ['heads', 'heads', intFlag(v, 'heads', undefined, 1)],
    ['window', 'window', intFlag(v, 'window', undefined, 0)],
    [
      'position-encoding',
      'positionEncoding',
      choiceFlag(v, 'position-encoding', POSITION_ENCODINGS),
    ],
    ['scaled', 'scaled', v.scaled || undefined],
    ['residual', 'residual', v.residual ? true : v['no-residual'] ? false : undefined],
    ['placement', 'placement', choiceFlag(v, 'placement', ATTENTION_PLACEMENTS)],
    ['reset-state', 'carryState', v['reset-state'] ? false : undefined],
  ];
  if (v.residual && v['no-residual'])
    throw new UsageError('give --residual or --no-residual, not both');
  const out: Record<string, unknown> = {};
  for (const [flag, field, value] of given) {
    if (value === undefined) continue;
    if (!(field in DEFAULTS[kind])) {
      throw new ConfigError(
        `--${flag}`,
        `--${flag} does not apply to ${kind} (its fields: ${Object.keys(DEFAULTS[kind]).join(', ')})`,
      );
    }
    out[field] = value;
  }
  return out;
}

function dataFlags(v: Flags, sizes: { nTrain: number; nTest: number }) {
  return {
    nTrain: intFlag(v, 'train', sizes.nTrain, 2),
    nTest: intFlag(v, 'test', sizes.nTest, 1),
    groupByLocations: !!v['group-by-locations'],
    positionalEncoding: !!v['positional-encoding'],
  };
}

const profileOf = (v: Flags, fallback?: string): Profile =>
  getProfile(typeof v.profile === 'string' ? v.profile : fallback);

type Out = (human: string, json: object) => void;

const commands: Record<string, (args: string[], out: Out) => Promise<void>> = {
  async generate(args, out) {
    const v = parseFlags(args, {
      train: { type: 'string' },
      test: { type: 'string' },
      seed: { type: 'string' },
      'group-by-locations': { type: 'boolean' },
      'positional-encoding': { type: 'boolean' },
    });
    const config = {
      ...dataFlags(v, DEFAULT_DATA),
      seed: intFlag(v, 'seed', DEFAULT_DATA.seed, 0),
    };
    const { dataset: d, seconds, source, file } = loadDataset(config);
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
    parseFlags(args, {});
    const info = await initBackend({ quiet: true });
    out(info.summary, {
      backend: info.name,
      tf_backend: info.tfName,
      forced: info.forced,
      skipped: info.skipped,
    });
  },

  async summary(args, out) {
    const v = parseFlags(args, MODEL_FLAG_SPEC);
    const kind = modelKind(v);
    const config = modelOverrides(kind, v);
    resolveConfig(kind, config as never); // every field checked before the backend starts
    await initBackend({ quiet: true });
    const s = summary(buildModel(kind, config as never));
    const lines = s.layers.map(
      (l) =>
        `  ${l.name.padEnd(16)} ${l.type.padEnd(16)} [${l.outputShape.map((d) => d ?? 'batch').join(', ')}]`.padEnd(
          62,
        ) + String(l.params).padStart(8),
    );
    out(
      [
        `${kind}: ${s.params.toLocaleString('en')} parameters`,
        ...lines,
        ...(s.note ? [s.note] : []),
      ].join('\n'),
      {
        model: kind,
        params: s.params,
        layers: s.layers,
        note: s.note,
      },
    );
  },

  async train(args, out) {
    const v = parseFlags(args, {
      ...MODEL_FLAG_SPEC,
      profile: { type: 'string' },
      train: { type: 'string' },
      test: { type: 'string' },
      epochs: { type: 'string' },
      seed: { type: 'string' },
      retrain: { type: 'boolean' },
      'group-by-locations': { type: 'boolean' },
      'positional-encoding': { type: 'boolean' },
    });
    const kind = modelKind(v);
    const profile = profileOf(v);
    const data = dataFlags(v, profile);
    const epochs = intFlag(v, 'epochs', profile.epochs, 1);
    const seed = intFlag(v, 'seed', DEFAULTS[kind].seed, 0);
    const channels = data.positionalEncoding ? { inChannels: inputChannels(data) } : {};
    if (data.positionalEncoding && !('inChannels' in DEFAULTS[kind])) {
      throw new ConfigError(
        '--positional-encoding',
        `--positional-encoding does not apply to ${kind} (its input is one 100-step row per sample)`,
      );
    }
    const plan = planRun({
      kind,
      config: { ...modelOverrides(kind, v), ...channels, seed },
      data,
      fit: { epochs },
      profile: profileLabel(profile, { ...data, epochs }),
    });
    await initBackend();
    const run = await trainOrLoad(plan, {
      retrain: !!v.retrain,
      onProgress: terminalProgress(kind),
    });
    const r = run.record;
    const how =
      run.source === 'saved'
        ? 'saved run'
        : `trained on ${r.backend}${r.resumedFromEpoch ? `, resumed from epoch ${r.resumedFromEpoch}` : ''}`;
    out(
      `${kind} (${r.params} params, ${how}): train ${r.trainLoss.toFixed(5)}, valid ${r.validLoss.toFixed(5)}, test ${r.testLoss.toFixed(5)}`,
      {
        model: kind,
        params: r.params,
        backend: r.backend,
        profile: r.profile,
        epochs: r.fit.epochs,
        train_loss: r.trainLoss,
        valid_loss: r.validLoss,
        test_loss: r.testLoss,
        epoch_s: r.epochSeconds,
        source: run.source,
        resumed_from_epoch: run.source === 'saved' ? 0 : r.resumedFromEpoch,
        config: r.config,
      },
    );
  },

  async sweep(args, out) {
    const v = parseFlags(args, {
      model: { type: 'string' },
      'kernel-sizes': { type: 'string' },
      'key-channels': { type: 'string' },
      heads: { type: 'string' },
      window: { type: 'string' },
      epochs: { type: 'string' },
      train: { type: 'string' },
      test: { type: 'string' },
      profile: { type: 'string' },
    });
    const kind = modelKind(v);
    const profile = profileOf(v);
    const lists: [string, string, number][] = [
      ['kernel-sizes', 'kernelSize', 1],
      ['key-channels', 'keyChannels', 1],
      ['heads', 'heads', 1],
      ['window', 'window', 0],
    ];
    const axes: Record<string, number[]> = {};
    for (const [flag, field, min] of lists) {
      const values = intListFlag(v, flag, min);
      if (!values) continue;
      if (!(field in DEFAULTS[kind]))
        throw new ConfigError(`--${flag}`, `--${flag} does not apply to ${kind}`);
      axes[field] = values;
    }
    if (Object.keys(axes).length === 0)
      throw new UsageError(
        'give at least one of --kernel-sizes, --key-channels, --heads, --window',
      );
    const data = {
      nTrain: intFlag(v, 'train', profile.sweepTrain, 2),
      nTest: intFlag(v, 'test', profile.nTest, 1),
    };
    const fit = { epochs: intFlag(v, 'epochs', profile.sweepEpochs, 1) };
    const label = profileLabel(
      profile,
      { ...data, ...fit },
      { nTrain: profile.sweepTrain, epochs: profile.sweepEpochs },
    );
    const points = grid(kind, axes as never);
    const opts = { data, fit, profile: label };
    planSweep(points, opts); // every point checked: a bad value anywhere trains nothing
    await initBackend();
    await runSweep(points, {
      ...opts,
      progress: (p, i, n, eta) => {
        process.stderr.write(
          `[${i + 1}/${n}] ${p.label}${eta ? `, about ${Math.round(eta / 60)} min left` : ''}\n`,
        );
        return terminalProgress(p.label);
      },
      onPoint: (r) => {
        const last = r.status === 'done' ? finalLosses(r.epochs) : undefined;
        out(
          last
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
  },

  async reproduce(args, out) {
    const v = parseFlags(args, {
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
  },

  async bench(args, out) {
    const v = parseFlags(args, {
      models: { type: 'string' },
      backend: { type: 'string' },
      'all-backends': { type: 'boolean' },
      steps: { type: 'string' },
    });
    const names =
      typeof v.models === 'string' ? v.models.split(',').map((m) => m.trim()) : MODEL_KINDS;
    const models = names.map(assertModelKind);
    const steps = intFlag(v, 'steps', 10, 1);
    if (v['all-backends'] && v.backend)
      throw new UsageError('give --backend or --all-backends, not both');
    const backend = choiceFlag(v, 'backend', BACKENDS);
    const emit = (r: BenchRow) =>
      out(
        `${r.model.padEnd(14)} ${r.backend.padEnd(10)} ${String(r.params).padStart(7)} params  epoch ${r.epochS.toFixed(1).padStart(7)} s  ${r.gflops.toFixed(1).padStart(6)} GFLOP/s (matMul ${r.matmulGflops.toFixed(1)})  rss ${r.rssMb.toFixed(0)} MB`,
        {
          model: r.model,
          backend: r.backend,
          params: r.params,
          samples: r.samples,
          epoch_s: r.epochS,
          step_s: r.stepS,
          steps: r.steps,
          gflops: r.gflops,
          matmul_gflops: r.matmulGflops,
          rss_mb: r.rssMb,
          gen_s: r.genS,
        },
      );
    if (v['all-backends']) {
      // One child process per backend: a process holds one tfjs backend, and tfjs-node cannot be unloaded.
      for (const b of BACKENDS) {
        const argv = [
          path.join(ROOT, 'bin', 'exploring-attention.js'),
          'bench',
          '--backend',
          b,
          '--json',
          '--models',
          models.join(','),
          '--steps',
          String(b === 'cpu' ? 1 : steps),
        ];
        const child = spawnSync(process.execPath, argv, {
          encoding: 'utf8',
          env: { ...process.env, [BACKEND_ENV]: b, EA_QUIET: '1' },
        });
        if (child.status !== 0) {
          const why = child.stderr.trim().split('\n').pop();
          out(`${b}: not available (${why})`, { backend: b, available: false, error: why });
          continue;
        }
        for (const line of child.stdout.trim().split('\n').filter(Boolean)) {
          const j = JSON.parse(line);
          emit({
            ...j,
            epochS: j.epoch_s,
            stepS: j.step_s,
            matmulGflops: j.matmul_gflops,
            rssMb: j.rss_mb,
            genS: j.gen_s,
          });
        }
      }
      return;
    }
    const info = await initBackend({ force: backend, quiet: true });
    for (const row of bench(models, info.name, {
      maxSteps: steps,
      budgetS: info.name === 'cpu' ? 1 : 30,
    }))
      emit(row);
  },
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
    // A bad backend name in the environment is bad input too: refuse it before any work.
    if (process.env[BACKEND_ENV]) checkOneOf(BACKEND_ENV, process.env[BACKEND_ENV], BACKENDS);
    await run(rest, (human, obj) => stdout(json ? JSON.stringify(obj) : human));
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      stderr(`exploring-attention ${cmd}: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    stderr(`exploring-attention ${cmd}: ${(err as Error).message}`);
    return 1;
  }
}
