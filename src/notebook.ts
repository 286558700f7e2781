// What the notebooks call, so each cell stays one idea: start (backend + profile), train or
// load a model at the profile's size, show a figure (live vega-lite + static SVG, saved under
// data/figures/), show a table. EA_PROFILE picks the profile; EA_RETRAIN=1 trains again even
// where a saved run exists.
import { BackendInfo, initBackend } from './runtime/backend';
import { DataConfig } from './data/task';
import { showChart } from './runtime/display';
import { Figure } from './viz/figures';
import { Frame, recordsFrame, toRows } from './viz/frames';
import { TrainConfig } from './train/learner';
import { BuiltModel, ModelConfigs, ModelKind, summary } from './models/build';
import { Profile, getProfile } from './train/profiles';
import { Display, cellDisplay, newDisplay } from './runtime/jupyter';
import { autoProgress, notebookProgress, terminalProgress } from './train/progress';
import { TrainedRun, trainOrLoad } from './train/runs';
import { SweepPoint, SweepResult, finalRows, runSweep } from './train/sweep';

export interface Session {
  profile: Profile;
  backend: BackendInfo;
  retrain: boolean;
}

let session: Session | undefined;

/** Picks the backend and the profile (once per kernel) and says which. */
export async function start(): Promise<Session> {
  if (!session) {
    const backend = await initBackend({ quiet: true });
    session = { profile: getProfile(), backend, retrain: process.env.EA_RETRAIN === '1' };
  }
  const p = session.profile;
  say(
    `**${session.backend.summary}** · profile **${p.name}**: ${p.nTrain.toLocaleString('en')} training samples, ${p.nTest.toLocaleString('en')} test samples, ${p.epochs} epochs${session.retrain ? ' · retraining (EA_RETRAIN=1)' : ''}`,
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
  data?: Partial<DataConfig>;
  train?: Partial<TrainConfig>;
  retrain?: boolean;
}

/**
 * Trains `kind` at the profile's size (or loads the saved run for the exact same configs),
 * with a live progress bar. Override the model with `{...DEFAULT_ATTENTION, keyChannels: 32}`.
 */
export async function train<K extends ModelKind>(
  kind: K,
  config: Partial<ModelConfigs[K]> = {},
  opts: TrainOpts = {},
): Promise<TrainedRun<K>> {
  const s = session ?? (await start());
  const p = s.profile;
  const run = await trainOrLoad({
    kind,
    config,
    data: { nTrain: p.nTrain, nTest: p.nTest, ...opts.data },
    train: { epochs: p.epochs, ...opts.train },
    retrain: opts.retrain ?? s.retrain,
    profile: p.name,
    onProgress: autoProgress(kind),
    log: say,
  });
  const r = run.record;
  const mean = r.epochSeconds.reduce((a, b) => a + b, 0) / Math.max(1, r.epochSeconds.length);
  say(
    `${kind}: ${run.source === 'saved' ? 'loaded the saved run' : 'trained now'} (${r.params.toLocaleString('en')} parameters, ${r.train.epochs} epochs, ${mean.toFixed(1)} s/epoch on ${r.backend}) · train ${r.trainLoss.toPrecision(3)} · valid ${r.validLoss.toPrecision(3)} · test ${r.testLoss.toPrecision(3)}`,
  );
  return run;
}

/** Shows a figure and saves its SVG as data/figures/<name>.svg. */
export async function show(figure: Figure, name: string): Promise<void> {
  await showChart(figure.spec, { name });
}

/** A frame as an HTML table in a notebook (numbers to 4 significant digits), or a console table. */
export function showTable(frame: Frame): void {
  const rows = toRows(frame);
  const cell = (v: string | number) =>
    typeof v === 'number' && !Number.isInteger(v)
      ? v.toPrecision(4)
      : typeof v === 'number'
        ? v.toLocaleString('en')
        : v;
  const d = cellDisplay();
  if (!d) {
    console.table(
      rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, cell(v)]))),
    );
    return;
  }
  const head = frame.columns.map((c) => `<th>${c}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${frame.columns.map((c) => `<td>${cell(r[c])}</td>`).join('')}</tr>`)
    .join('');
  d.html(`<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`);
}

/** A model's layers, output shapes and parameters as a table, with its total. */
export function showSummary(built: BuiltModel): void {
  const s = summary(built);
  showTable(
    recordsFrame(
      s.layers.map((l) => ({
        layer: l.name,
        type: l.type,
        'output shape': `[${l.outputShape.map((d) => d ?? 'batch').join(', ')}]`,
        params: l.params,
      })),
      ['layer', 'type', 'output shape', 'params'],
    ),
  );
  say(
    `**${built.kind}: ${s.params.toLocaleString('en')} parameters**${s.note ? ` · ${s.note}` : ''}`,
  );
}

/**
 * Runs a sweep at the profile's sweep size (`sweepTrain` samples, `sweepEpochs` epochs) with a
 * live display of the point being trained, the points done and the time left. Finished points
 * are loaded, never retrained, so re-running after adding a point trains only that point.
 */
export async function sweep(
  points: SweepPoint[],
  opts: { epochs?: number; nTrain?: number } = {},
): Promise<SweepResult[]> {
  const s = session ?? (await start());
  const p = s.profile;
  const data = { nTrain: opts.nTrain ?? p.sweepTrain, nTest: p.nTest };
  const train = { epochs: opts.epochs ?? p.sweepEpochs };
  let failed = 0;
  let display: Display | undefined;
  const t0 = performance.now();
  const results = await runSweep(points, {
    data,
    train,
    profile: p.name,
    log: say,
    // One output for the whole sweep, overwritten as it goes (or a line per epoch in a terminal).
    progress: (point, i, n, eta) => {
      const label = `grid point ${i + 1}/${n} (${i} done${failed ? `, ${failed} failed` : ''}): ${point.label}${eta ? `; about ${Math.round(eta / 60)} min left for the sweep` : ''}`;
      display ??= newDisplay();
      return display ? notebookProgress(label, 500, display) : terminalProgress(label);
    },
    onPoint: (r) => {
      if (r.status === 'failed') failed++;
    },
  });
  const trained = (performance.now() - t0) / 1000;
  say(
    `sweep: ${results.length} points (${results.filter((r) => r.status === 'done').length} done, ${failed} failed), ${data.nTrain.toLocaleString('en')} samples and ${train.epochs} epochs each; this call took ${(trained / 60).toFixed(1)} min, training them all took ${(results.reduce((a, r) => a + r.seconds, 0) / 60).toFixed(1)} min on ${s.backend.name}`,
  );
  return results;
}

/** The best and worst finished points by final validation loss, and any failures. */
export function bestAndWorst(results: readonly SweepResult[], n = 3): Frame {
  const done = finalRows(results).map((r) => ({
    label: r.label,
    params: r.params ?? 0,
    valid: r.epochs[r.epochs.length - 1].valid,
    test: r.testLoss ?? NaN,
  }));
  done.sort((a, b) => a.valid - b.valid);
  const pick = [
    ...done.slice(0, n).map((r) => ({ rank: 'best', ...r })),
    ...done
      .slice(-n)
      .reverse()
      .map((r) => ({ rank: 'worst', ...r })),
  ];
  const failures = results
    .filter((r) => r.status === 'failed')
    .map((r) => ({ rank: 'failed', label: r.label, params: 0, valid: NaN, test: NaN }));
  return recordsFrame([...pick, ...failures], ['rank', 'label', 'params', 'valid', 'test']);
}
