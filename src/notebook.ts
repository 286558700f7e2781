// The notebooks' front door: each cell stays one idea by calling these. It wires the stages
// together (data → models → train → analysis → viz → runtime output) and adds no logic of its
// own. EA_PROFILE picks the profile; EA_RETRAIN=1 trains again even where a saved run exists.
// A notebook imports from here and from './src/viz/figures' (plus, in notebook 4, the layer it
// teaches): the re-exports at the end are every other name the notebooks use, by stage.
import { BackendInfo, initBackend } from './runtime/backend';
import { TopLevelSpec, showChart } from './runtime/display';
import { cellDisplay, newDisplay } from './runtime/jupyter';
import { Cell, showRows } from './runtime/table';
import { DataConfig } from './data/task';
import { BuiltModel } from './models/build';
import { ModelConfigs, ModelKind } from './models/configs';
import { summary } from './models/summary';
import { FitConfig } from './train/learner';
import { Profile, RunSize, getProfile, profileLabel, sized } from './train/profiles';
import { autoProgress, notebookProgress, terminalProgress } from './train/progress';
import { recipeFit } from './train/recipes';
import { CompareRow, compare } from './train/compare';
import { experiment, experimentOptions } from './train/experiments';
import { variantPlans } from './train/experiment-runs';
import { loadDataset, noiseFloor } from './data/dataset';
import { TrainedRun, planRun, trainOrLoad } from './train/runs';
import { recordSummary } from './train/summary-file';
import { SweepPoint, SweepResult, runSweep } from './train/sweep';
import { attentionOf, predictSamples } from './analysis/inference';
import { Frame, toRows } from './viz/frames';

export interface Session {
  profile: Profile;
  backend: BackendInfo;
  retrain: boolean;
}

let session: Session | undefined;

/** Picks the backend and the profile (once per kernel) and says which. */
export async function start(): Promise<Session> {
  if (!session) {
    const profile = getProfile(); // a bad EA_PROFILE fails here, before the backend starts
    const backend = await initBackend({ quiet: true });
    session = { profile, backend, retrain: process.env.EA_RETRAIN === '1' };
  }
  const p = session.profile;
  const retrain = session.retrain ? ' · retraining (EA_RETRAIN=1)' : '';
  say(
    `**${session.backend.summary}** · profile **${p.name}**: ${p.nTrain.toLocaleString('en')} training samples, ${p.nTest.toLocaleString('en')} test samples, ${p.epochs} epochs${retrain}`,
  );
  return session;
}

/** A line of markdown in a notebook, or plain text elsewhere. */
export function say(markdown: string): void {
  const d = cellDisplay();
  if (d) d.markdown(markdown);
  else console.log(markdown.replace(/\*\*/g, ''));
}

export interface TrainOpts {
  /** The profile's size to train at (default 'main'); `data` and `fit` override it. */
  size?: RunSize;
  data?: Partial<DataConfig>;
  fit?: Partial<FitConfig>;
  retrain?: boolean;
  /** Record the run in data/results/summary.json under this name (and the profile). */
  record?: string;
  /**
   * A "try it" cell's run: saved under data/tmp/try-it/ (git-ignored), and its line leaves out
   * whether it was trained now and how fast, so re-running the notebook writes the same output.
   */
  tryIt?: boolean;
  /**
   * A named training recipe (train/recipes.ts): 'blog', the walk-through's (the default), or
   * 'fast', one-cycle in a few epochs; its epochs replace the size's unless `fit` names them.
   */
  recipe?: string;
}

/**
 * Trains `kind` at the profile's size (or loads the saved run for the exact same configs), with
 * a live progress bar; an interrupted run resumes from its last finished epoch. Override the
 * model with `{ ...DEFAULT_ATTENTION, keyChannels: 32 }` and the schedule with `{ fit: { epochs: 5 } }`.
 */
export async function train<K extends ModelKind>(
  kind: K,
  config: Partial<ModelConfigs[K]> = {},
  opts: TrainOpts = {},
): Promise<TrainedRun<K>> {
  const s = session ?? (await start());
  const p = s.profile;
  const size = sized(p, opts.size ?? 'main');
  const data = { nTrain: size.nTrain, nTest: p.nTest, ...opts.data };
  const recipe = opts.recipe ?? 'blog';
  const fit = { epochs: recipeFit(recipe).epochs ?? size.epochs, ...opts.fit };
  const profile = profileLabel(p, { ...data, epochs: fit.epochs }, size); // else 'custom'
  // A bad config or recipe fails here, before any work.
  const plan = planRun({ kind, config, data, fit, profile, tryIt: opts.tryIt, recipe });
  const run = await trainOrLoad(plan, {
    retrain: opts.retrain ?? s.retrain,
    onProgress: autoProgress(kind),
    log: say,
  });
  if (opts.record) recordSummary(opts.record, run.record, profile);
  const r = run.record;
  const how =
    run.source === 'saved'
      ? 'loaded the saved run'
      : r.resumedFromEpoch
        ? `resumed from epoch ${r.resumedFromEpoch} and finished`
        : 'trained now';
  // No seconds per epoch: a run's wall clock depends on what shared the machine (speeds: bench).
  const on = opts.tryIt ? '' : `, on ${r.backend}`;
  say(
    `${opts.record ?? kind}: ${opts.tryIt ? 'try-it run, kept in data/tmp/try-it/' : how} (${r.params.toLocaleString('en')} parameters, ${r.fit.epochs} epochs${on}) · train ${r.trainLoss.toPrecision(3)} · valid ${r.validLoss.toPrecision(3)} · test ${r.testLoss.toPrecision(3)}`,
  );
  return run;
}

/** Each run's normalised predictions for the given test samples ([samples × 100] each). */
export function predictions(
  runs: Record<string, TrainedRun>,
  samples: readonly number[],
): Record<string, Float32Array> {
  return predictSamples(
    Object.fromEntries(Object.entries(runs).map(([name, r]) => [name, r.learner])),
    samples,
  );
}

/** A run's attention matrices for one test sample, one [100 × 100] per head. */
export function attention(run: TrainedRun, testSample: number): Float32Array[] {
  return attentionOf(run.learner, testSample);
}

/** Shows a figure and saves it under data/figures/<name>. */
export async function show(figure: { spec: TopLevelSpec }, name: string): Promise<void> {
  await showChart(figure.spec, { name });
}

/** A frame or plain rows as a table. */
export function showTable(table: Frame | readonly Record<string, Cell>[]): void {
  if (Array.isArray(table)) showRows(table);
  else showRows(toRows(table as Frame), (table as Frame).columns);
}

/** A model's layers, output shapes and parameters as a table, with its total. */
export function showSummary(built: BuiltModel): void {
  const s = summary(built);
  showRows(
    s.layers.map((l) => ({
      layer: l.name,
      type: l.type,
      'output shape': `[${l.outputShape.map((d) => d ?? 'batch').join(', ')}]`,
      params: l.params,
    })),
  );
  say(
    `**${built.kind}: ${s.params.toLocaleString('en')} parameters**${s.note ? ` · ${s.note}` : ''}`,
  );
}

/**
 * Runs a sweep at the profile's sweep size (`sweepTrain` samples, `sweepEpochs` epochs) with one
 * live display of the point being trained, the points done and the time left. Every point is
 * checked before any trains; finished points are loaded, half-trained ones resume.
 */
export async function sweep(
  points: SweepPoint[],
  opts: { epochs?: number; nTrain?: number; tryIt?: boolean } = {},
): Promise<SweepResult[]> {
  const s = session ?? (await start());
  const p = s.profile;
  const data = { nTrain: opts.nTrain ?? p.sweepTrain, nTest: p.nTest };
  const fit = { epochs: opts.epochs ?? p.sweepEpochs };
  const profile = profileLabel(
    p,
    { ...data, epochs: fit.epochs },
    { nTrain: p.sweepTrain, epochs: p.sweepEpochs },
  );
  let failed = 0;
  let display: ReturnType<typeof newDisplay>;
  const t0 = performance.now();
  const results = await runSweep(points, {
    data,
    fit,
    profile,
    tryIt: opts.tryIt,
    log: say,
    progress: (point, i, n, eta) => {
      const left = eta ? `; about ${Math.round(eta / 60)} min left for the sweep` : '';
      const label = `grid point ${i + 1}/${n} (${i} done${failed ? `, ${failed} failed` : ''}): ${point.label}${left}`;
      display ??= newDisplay();
      return display ? notebookProgress(label, 500, display) : terminalProgress(label);
    },
    onPoint: (r) => {
      if (r.status === 'failed') failed++;
    },
  });
  const took = (performance.now() - t0) / 1000 / 60;
  const trained = results.reduce((a, r) => a + r.seconds, 0) / 60;
  const done = results.filter((r) => r.status === 'done').length;
  const backends = [...new Set(results.map((r) => r.backend))].join(', '); // as recorded
  const times = opts.tryIt
    ? 'kept in data/tmp/try-it/'
    : `this call took ${took.toFixed(1)} min, training them all took ${trained.toFixed(1)} min on ${backends}`;
  say(
    `sweep: ${results.length} points (${done} done, ${failed} failed), ${data.nTrain.toLocaleString('en')} samples and ${fit.epochs} epochs each; ${times}`,
  );
  return results;
}

/** A named seeded comparison as trained or loaded: its rows and the noise floor of its data. */
export interface Comparison {
  name: string;
  question: string;
  rows: CompareRow[];
  floor: number;
}

/**
 * Trains (or loads) a named seeded comparison (train/experiments.ts) at the profile's size, the
 * same runs `exploring-attention compare --set NAME` makes, and says what was loaded or trained.
 * The floor is seed 0's data's (the draws' floors differ by well under 1%).
 */
export async function comparison(name: string): Promise<Comparison> {
  const s = session ?? (await start());
  const e = experiment(name); // an unknown name fails here, before any work
  const opts = experimentOptions(name, s.profile);
  const sources = new Set<string>();
  const rows = await compare(e.variants, {
    ...opts,
    retrain: s.retrain,
    log: say,
    onRun: (_v, _s, source) => sources.add(source),
  });
  const floor = noiseFloor(loadDataset(opts.data, { log: () => {} }).dataset);
  const seeds = (opts.seeds as readonly number[]).length;
  const how = sources.has('trained') ? 'trained now' : 'loaded the saved runs';
  const first = rows[0];
  const epochs = first
    ? Math.max(
        ...rows
          .filter((r) => r.variant === first.variant && r.seed === first.seed)
          .map((r) => r.epoch),
      )
    : 0;
  say(
    `${name}: ${e.variants.length} variants × ${seeds} seeds, recipe ${opts.recipe} (${epochs} epochs, ${(opts.data?.nTrain ?? 0).toLocaleString('en')} samples; a seed moves the weights, the batch order and the data draw): ${how}`,
  );
  return { name, question: e.question, rows, floor };
}

/**
 * The trained models of one variant of a named comparison, one per seed (the runs `comparison`
 * trains or loads, with the same keys), for analyses that need the models and not only their
 * losses: patching, other lengths.
 */
export async function comparisonRuns(name: string, variant: string): Promise<TrainedRun[]> {
  const s = session ?? (await start());
  const plans = variantPlans(name, variant, s.profile); // a bad name fails here, before any work
  const runs: TrainedRun[] = [];
  for (const { plan } of plans)
    runs.push(await trainOrLoad(plan, { retrain: s.retrain, log: say }));
  const how = runs.some((r) => r.source === 'trained') ? 'trained now' : 'loaded the saved runs';
  const seeds = plans.map((p) => p.seed).join(', ');
  const tests = runs.map((r) => r.record.testLoss.toPrecision(3)).join(', ');
  say(`${name} · ${variant}, seeds ${seeds}: ${how} · test ${tests}`);
  return runs;
}

// ---- what the notebooks use from the stages, re-exported unchanged ----------------------------
export { BLOG_SAMPLES, HEATMAP_SAMPLE } from './data/samples';
export { loadDataset, noiseFloor };
export { shapesOf } from './data/task';
export { buildModel } from './models/build';
export { DEFAULT_ATTENTION, DEFAULT_CNN } from './models/configs';
export type { Profile, RunSize } from './train/profiles';
export { overfitOrLoad } from './train/overfit';
export { RECIPES, recipeSearch } from './train/recipes';
export type { RunRecord, TrainedRun } from './train/runs';
export { replaySnapshots, snapshotsOrTrain } from './train/snapshots';
export { grid } from './train/sweep';
export { convEqualsLinear } from './analysis/anatomy';
export { attentionByShape } from './analysis/attention-by-shape';
export {
  boxEdges,
  brightestCellRows,
  partnerMassOf,
  partnerMassRows,
  roleReadsOf,
  topInputRows,
  topInputs,
} from './analysis/attention-cells';
export { attentionMaps, shapeMassOf, shapeMassSummary } from './analysis/attention-stats';
export { batchLeak } from './analysis/batch-leak';
export { reorderEffect } from './analysis/batch-order';
export { blindLoss, contentOnlyLoss, empiricalBlindLoss } from './analysis/blind';
export { errorByRole, heightErrorByDistance } from './analysis/errors';
export { shapeHeights } from './analysis/heights';
export { poolingWeights } from './analysis/inference';
export { lengthGeneralisation } from './analysis/length';
export { lengthTable } from './analysis/length-rows';
export { outOfReach, partnerDistances } from './analysis/partners';
export { bestAndWorst } from './analysis/ranking';
export { sweepMeans } from './analysis/sweep-stats';
// notebook 9, inside the attention: the ideal map, role masses, patching, value-weighted maps
export { idealAttention, idealOf, idealScore } from './analysis/ideal';
export { pairReadSummary, pairReads, roleMasses, roleMassesOf } from './analysis/role-masses';
export { patchedPredictions, patchingTable } from './analysis/patching';
export type { Patch, PatchResult } from './analysis/patching';
export {
  anchorColumnsPatch,
  awayFromEdgesPatch,
  edgeCellsPatch,
  idealPatch,
  identityPatch,
  knockOutPatch,
  shuffledPatch,
  standardPatches,
  uniformPatch,
  unpatched,
} from './analysis/patches';
export { valueMapsOf } from './analysis/value-maps';
export { valueNormsByRole, valueWeightedMaps, weightingEffect } from './analysis/value-weighted';
export { patchRatio, patchingRows } from './analysis/patching-rows';
export { emergenceOf } from './analysis/emergence';
export { packing } from './analysis/packing';
export { lengthTestSet } from './data/length';
