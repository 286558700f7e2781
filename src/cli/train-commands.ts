// The CLI's commands that train: one run (resumable), a sweep (every point checked first), and
// the whole reproduction through the notebooks.
import { ConfigError } from '../runtime/validate';
import { UsageError, intFlag, intListFlag, parseFlags } from '../runtime/args';
import { initBackend } from '../runtime/backend';
import { inputChannels } from '../data/task';
import { DEFAULTS } from '../models/configs';
import { finalLosses } from '../train/history';
import { profileLabel } from '../train/profiles';
import { recipeFit } from '../train/recipes';
import { terminalProgress } from '../train/progress';
import { reproduce } from '../train/reproduce';
import { planRun, trainOrLoad } from '../train/runs';
import { summaryFile } from '../train/summary-file';
import { grid, planSweep, runSweep } from '../train/sweep';
import {
  MODEL_FLAG_SPEC,
  Out,
  SIZE_FLAG_SPEC,
  dataFlags,
  modelKind,
  modelOverrides,
  profileOf,
} from './flags';

export const trainCommands: Record<string, (args: string[], out: Out) => Promise<void>> = {
  async train(args, out) {
    const v = parseFlags(args, {
      ...MODEL_FLAG_SPEC,
      ...SIZE_FLAG_SPEC,
      seed: { type: 'string' },
      recipe: { type: 'string' },
      retrain: { type: 'boolean' },
      'group-by-locations': { type: 'boolean' },
      'positional-encoding': { type: 'boolean' },
    });
    const kind = modelKind(v);
    const profile = profileOf(v);
    const data = dataFlags(v, profile);
    const recipe = typeof v.recipe === 'string' ? v.recipe : 'blog';
    const recipeEpochs = recipeFit(recipe).epochs; // also refuses an unknown recipe, before any work
    const epochs = intFlag(v, 'epochs', recipeEpochs ?? profile.epochs, 1);
    const seed = intFlag(v, 'seed', DEFAULTS[kind].seed, 0);
    const channels = data.positionalEncoding ? { inChannels: inputChannels(data) } : {};
    if (data.positionalEncoding && !('inChannels' in DEFAULTS[kind])) {
      throw new ConfigError(
        '--positional-encoding',
        `--positional-encoding does not apply to ${kind} (its input is one 100-step row per sample)`,
      );
    }
    const overrides = modelOverrides(kind, v);
    if (data.positionalEncoding && overrides.positionAt === 'input') {
      throw new UsageError(
        "give --positional-encoding (the data's 7 position bits) or --position-at input (the model's 7 position channels), not both",
      );
    }
    const plan = planRun({
      kind,
      config: { ...overrides, ...channels, seed },
      data,
      fit: { epochs },
      recipe,
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
      ...SIZE_FLAG_SPEC,
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
};
