// The CLI's benchmark command: training speed per model and backend (see train/bench.ts).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { UsageError, choiceFlag, intFlag, parseFlags } from '../runtime/args';
import { BACKENDS, BACKEND_ENV, initBackend } from '../runtime/backend';
import { ROOT } from '../runtime/paths';
import { MODEL_KINDS, assertModelKind } from '../models/configs';
import { BenchRow, bench, tweakTiming } from '../train/bench';
import { profileOps } from '../train/op-profile';
import { recipeFit } from '../train/recipes';
import { sweepEstimate } from '../train/sweep-estimate';
import { timeToTarget } from '../train/time-to-target';
import { Out } from './flags';

export const benchCommand: Record<string, (args: string[], out: Out) => Promise<void>> = {
  async bench(args, out) {
    const v = parseFlags(args, {
      models: { type: 'string' },
      backend: { type: 'string' },
      'all-backends': { type: 'boolean' },
      steps: { type: 'string' },
      tweak: { type: 'boolean' },
      ops: { type: 'boolean' },
      'time-to-target': { type: 'boolean' },
      'sweep-estimate': { type: 'boolean' },
      recipe: { type: 'string' },
    });
    const recipe = typeof v.recipe === 'string' ? v.recipe : 'fast';
    recipeFit(recipe); // an unknown recipe is bad input, before any work
    if (v.recipe !== undefined && !v['time-to-target'] && !v['sweep-estimate'])
      throw new UsageError('--recipe applies to --time-to-target and --sweep-estimate only');
    const both = v['time-to-target'] && v['sweep-estimate'];
    for (const alone of ['time-to-target', 'sweep-estimate'] as const)
      if (v[alone] && (v['all-backends'] || v.ops || v.tweak || both))
        throw new UsageError(
          `--${alone} runs alone: not with --all-backends, --ops, --tweak or the other estimate`,
        );
    const names =
      typeof v.models === 'string' ? v.models.split(',').map((m) => m.trim()) : MODEL_KINDS;
    const models = names.map(assertModelKind);
    const steps = intFlag(v, 'steps', 10, 1);
    if (v['all-backends'] && v.backend)
      throw new UsageError('give --backend or --all-backends, not both');
    const backend = choiceFlag(v, 'backend', BACKENDS);
    if (v.ops && v['all-backends'])
      throw new UsageError(
        '--ops profiles one backend: give --backend or neither, not --all-backends',
      );
    if (v.tweak && v['all-backends'])
      throw new UsageError(
        '--tweak times one backend: give --backend or neither, not --all-backends',
      );
    const emit = (r: BenchRow) =>
      out(
        `${r.model.padEnd(14)} ${r.backend.padEnd(10)} ${String(r.params).padStart(7)} params  epoch ${r.epochS.toFixed(1).padStart(7)} s  ${r.gflops.toFixed(1).padStart(6)} GFLOP/s (matMul ${r.matmulGflops.toFixed(1)})  cpu ${(1000 * r.cpuStepS).toFixed(0)} ms/step  load ${r.load.toFixed(1)}  rss ${r.rssMb.toFixed(0)} MB`,
        {
          model: r.model,
          backend: r.backend,
          params: r.params,
          samples: r.samples,
          epoch_s: r.epochS,
          step_s: r.stepS,
          cpu_step_s: r.cpuStepS,
          steps: r.steps,
          load: r.load,
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
            cpuStepS: j.cpu_step_s,
            matmulGflops: j.matmul_gflops,
            rssMb: j.rss_mb,
            genS: j.gen_s,
          });
        }
      }
      return;
    }
    const info = await initBackend({ force: backend, quiet: true });
    if (v.ops) {
      // Where each model's training step goes, op by op, instead of the speed table.
      for (const kind of models) {
        const p = profileOps(kind, info.name, { steps: Math.max(steps, 5) });
        out(
          `${kind} on ${p.backend}: step ${p.stepMs.toFixed(1)} ms, ${p.opsMs.toFixed(1)} ms in ${p.callsPerStep.toFixed(0)} ops, ${(p.stepMs - p.opsMs).toFixed(1)} ms outside them  load ${p.load.toFixed(1)}`,
          {
            model: kind,
            backend: p.backend,
            step_ms: p.stepMs,
            ops_ms: p.opsMs,
            calls: p.callsPerStep,
            load: p.load,
          },
        );
        for (const r of p.rows.slice(0, 15))
          out(
            `  ${r.op.padEnd(28)} ${r.msPerStep.toFixed(2).padStart(8)} ms ${r.callsPerStep.toFixed(0).padStart(5)} calls ${(100 * r.share).toFixed(1).padStart(5)}%`,
            {
              model: kind,
              op: r.op,
              ms_per_step: r.msPerStep,
              calls_per_step: r.callsPerStep,
              share: r.share,
            },
          );
      }
      return;
    }
    if (v['sweep-estimate']) {
      const e = sweepEstimate(recipe);
      for (const p of e.points)
        out(
          `  ${p.kind} ${JSON.stringify(p.config)}: ${(1000 * p.stepS).toFixed(1)} ms/step, ${p.seconds.toFixed(0)} s`,
          { recipe: e.recipe, kind: p.kind, config: p.config, step_s: p.stepS, seconds: p.seconds },
        );
      out(
        `notebook 7's ${e.points.length}-point sweep at recipe ${e.recipe}, full data: ${(e.totalS / 60).toFixed(1)} min of training steps (estimated from measured steps)  load ${e.load.toFixed(1)}`,
        { recipe: e.recipe, points: e.points.length, total_s: e.totalS, load: e.load },
      );
      return;
    }
    if (v['time-to-target']) {
      const t = await timeToTarget(recipe, info.name);
      const curve = t.epochs
        .map((e) => `${e.valid.toExponential(2)}@${e.seconds.toFixed(0)}s`)
        .join(' ');
      out(
        `time to valid ≤ ${t.target} (attention, full data, recipe ${t.recipe}) on ${t.backend}: ${t.seconds === undefined ? 'not reached' : `${t.seconds.toFixed(0)} s, epoch ${t.epoch}`}  [${curve}]  load ${t.load.toFixed(1)}`,
        {
          recipe: t.recipe,
          backend: t.backend,
          target: t.target,
          seconds: t.seconds ?? null,
          epoch: t.epoch ?? null,
          epochs: t.epochs,
          load: t.load,
        },
      );
      return;
    }
    for (const row of bench(models, info.name, {
      maxSteps: steps,
      budgetS: info.name === 'cpu' ? 1 : 30,
    }))
      emit(row);
    if (v.tweak) {
      const t = tweakTiming(info.name);
      const epochs = t.epochS.reduce((a, b) => a + b, 0);
      out(
        `tweak (${t.command}) on ${t.backend}: ${t.totalS.toFixed(1)} s = start-up ${t.startupS.toFixed(1)} + data ${t.dataS.toFixed(2)} + build ${t.buildS.toFixed(2)} + 5 epochs ${epochs.toFixed(1)} (${t.epochS.map((e) => e.toFixed(1)).join(', ')}) + test and save ${t.otherS.toFixed(1)}  load ${t.load.toFixed(1)}`,
        {
          tweak: t.command,
          backend: t.backend,
          total_s: t.totalS,
          startup_s: t.startupS,
          data_s: t.dataS,
          build_s: t.buildS,
          epoch_s: t.epochS,
          other_s: t.otherS,
          load: t.load,
        },
      );
    }
  },
};
