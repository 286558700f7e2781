// `npm run reproduce`: runs every notebook headless through the Jupyter protocol (nbclient in
// .venv, the project's tslab kernel), writes each back with its outputs, writes the figures to
// data/figures/ and the per-model results to data/results/summary.json. Trained models are
// reused from data/models/ unless --retrain is given, so a second run only redraws.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BackendInfo, initBackend } from '../runtime/backend';
import { DEFAULT_DATA } from '../data/task';
import { ModelKind, WALKTHROUGH_KINDS } from '../models/configs';
import { PROFILE_ENV, Profile } from './profiles';
import { hasSavedRun, planRun } from './runs';
import { stepsPerEpoch, timeTrainSteps } from './step-timer';
import { summaryFile } from './summary-file';
import { ROOT } from '../runtime/paths';

export function notebooks(): string[] {
  const dir = path.join(ROOT, 'notebooks');
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d\d_.*\.ipynb$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Seconds per epoch of each model on the active backend, from a few timed steps (+10% for validation). */
export function estimateEpochSeconds(
  profile: Profile,
  kinds: readonly ModelKind[],
): Partial<Record<ModelKind, number>> {
  const steps = stepsPerEpoch(profile.nTrain, DEFAULT_DATA.validFraction);
  return Object.fromEntries(
    kinds.map((kind) => [
      kind,
      timeTrainSteps(kind, { maxSteps: 2, budgetS: 60 }).stepS * steps * 1.1,
    ]),
  );
}

function fmtDuration(s: number): string {
  return s < 90
    ? `${Math.round(s)} s`
    : s < 5400
      ? `${Math.round(s / 60)} min`
      : `${(s / 3600).toFixed(1)} h`;
}

export interface ReproduceOptions {
  profile: Profile;
  retrain: boolean;
  only?: string[];
  log: (s: string) => void;
}

/** Runs the notebooks; resolves to the runner's exit code. */
function runNotebooks(files: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const py = path.join(ROOT, '.venv', 'bin', 'python');
  if (!fs.existsSync(py))
    throw new Error(
      `${py} is missing: run \`npm install\` (or \`npm run setup:python\`) to create the project's Jupyter virtualenv`,
    );
  return new Promise((resolve, reject) => {
    const child = spawn(
      py,
      [path.join(ROOT, 'scripts', 'run_notebooks.py'), '--timeout', '14400', ...files],
      { cwd: ROOT, env, stdio: 'inherit' },
    );
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

export async function reproduce(opts: ReproduceOptions): Promise<number> {
  const { profile, log } = opts;
  const backend: BackendInfo = await initBackend({ quiet: true });
  log(backend.summary);
  // Only the models without a saved run will train; timing steps of the others would be wasted
  // (minutes each on the pure-JS backend).
  const toTrain = WALKTHROUGH_KINDS.filter(
    (kind) =>
      opts.retrain ||
      !hasSavedRun(
        planRun({
          kind,
          data: { nTrain: profile.nTrain, nTest: profile.nTest },
          fit: { epochs: profile.epochs },
        }),
      ),
  );
  log(
    `profile ${profile.name}: ${profile.nTrain} training samples, ${profile.epochs} epochs per model`,
  );
  if (toTrain.length === 0) {
    log(
      `every model has a saved run in data/models/, so nothing is trained (--retrain trains them again); the try-it cells' small runs train once, into data/tmp/try-it/`,
    );
  } else {
    const estimate = estimateEpochSeconds(profile, toTrain);
    const training = toTrain.reduce((a, k) => a + estimate[k]! * profile.epochs, 0);
    log(
      `to train: ${toTrain.map((k) => `${k} (about ${fmtDuration(estimate[k]!)} per epoch on ${backend.name})`).join(', ')}; about ${fmtDuration(training)} in all`,
    );
    if (training > 4 * 3600)
      log(
        `that is long: \`npm run reproduce -- --profile quick\` (or smoke) runs the same notebooks on less data, or \`npm run setup:native\` builds a much faster backend`,
      );
  }
  let files = notebooks();
  if (opts.only?.length)
    files = files.filter((f) => opts.only!.some((o) => path.basename(f).startsWith(o)));
  const env = { ...process.env, [PROFILE_ENV]: profile.name, EA_RETRAIN: opts.retrain ? '1' : '0' };
  const code = await runNotebooks(files, env);
  if (code !== 0) return code;
  // Each notebook records the runs it shows in summary.json (notebook.ts `train`).
  log(`wrote ${path.relative(ROOT, summaryFile())} and data/figures/`);
  return 0;
}
