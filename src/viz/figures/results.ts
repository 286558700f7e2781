// The numbers of finished runs side by side: the one results table and the one scoreboard, both
// from run records. Each statistic is computed once here: seconds per epoch is the median over a
// run's epochs (one epoch slowed by a paused or shared machine would skew a mean), and "valid,
// last 5" the median validation loss of the last five epochs.
import { median } from '../../runtime/stats';
import { epochLosses } from '../../train/history';
import { RunRecord } from '../../train/runs';
import { Figure, figure } from '../figure';
import { Frame, recordsFrame } from '../frames';
import { scoreboardChart } from '../marks/dots';

/** How many final epochs `lastValid` takes the median of. */
export const LAST_EPOCHS = 5;

/** The table's column for `medianEpochSeconds`: the header names the statistic. */
export const SECONDS_COLUMN = 'median s/epoch';

/** The median seconds per epoch of a run, 0 for a run with no timed epochs. */
export function medianEpochSeconds(r: Pick<RunRecord, 'epochSeconds'>): number {
  return r.epochSeconds.length ? median(r.epochSeconds) : 0;
}

/**
 * The median validation loss of a run's last `n` epochs. Near convergence the per-epoch
 * validation loss of the attention models swings by up to 2× from one epoch to the next, so a
 * comparison of final epochs alone can rank two runs by the luck of their last step.
 */
export function lastValid(r: RunRecord, n = LAST_EPOCHS): number {
  const valid = epochLosses(r.history).map((e) => e.valid);
  return valid.length ? median(valid.slice(-n)) : r.validLoss;
}

/**
 * The results table: one row per run, named by its key, in the order given, then the noise floor
 * (data/dataset.ts's `noiseFloor`) as the last row, the level no model can go below. Seconds per
 * epoch only with `seconds: true`: a training run's wall clock depends on what else shared the
 * machine, so the notebooks leave it out and compare speeds from `bench` alone.
 */
export function resultsTable(
  records: Record<string, RunRecord>,
  opts: { floor: number; seconds?: boolean },
): Frame {
  const last = `valid, last ${LAST_EPOCHS}`;
  const rows: Record<string, string | number>[] = Object.entries(records).map(([model, r]) => ({
    model,
    params: r.params,
    samples: r.data.nTrain,
    epochs: r.fit.epochs,
    train: r.trainLoss,
    valid: r.validLoss,
    [last]: lastValid(r),
    test: r.testLoss,
    [SECONDS_COLUMN]: medianEpochSeconds(r),
    backend: r.backend,
  }));
  const f = opts.floor;
  rows.push({
    model: 'noise floor',
    params: '',
    samples: '',
    epochs: '',
    train: f,
    valid: f,
    [last]: f,
    test: f,
    [SECONDS_COLUMN]: '',
    backend: '',
  });
  const columns = ['model', 'params', 'samples', 'epochs', 'train', 'valid', last, 'test'];
  return recordsFrame(rows, opts.seconds ? [...columns, SECONDS_COLUMN, 'backend'] : columns);
}

/** One run on the scoreboard; `group` is the question it answers, e.g. 'seed 004: heads'. */
export interface Score {
  model: string;
  group?: string;
  params: number;
  train: number;
  valid: number;
  test: number;
}

/** Run records to scoreboard entries, named by their keys, each tagged with `group` if given. */
export function scoresOf(records: Record<string, RunRecord>, group?: string): Score[] {
  return Object.entries(records).map(([model, r]) => ({
    model,
    ...(group !== undefined ? { group } : {}),
    params: r.params,
    train: r.trainLoss,
    valid: r.validLoss,
    test: r.testLoss,
  }));
}

/**
 * The scoreboard, one row per run in the order given. Runs without a group: final train, valid
 * and test loss as dots on a log axis (the valid value written beside its dot), the parameter
 * count, and the median seconds per epoch with the backend that trained it. Runs with a group
 * (notebook 8's many variants): valid and test loss only, one symbol per group.
 */
export function scoreboardFigure(
  scores: readonly Score[],
  opts: { title?: string; subtitle?: string | string[] } = {},
): Figure {
  const grouped = scores.some((s) => s.group !== undefined);
  const splits = grouped ? ['valid', 'test'] : ['train', 'valid', 'test'];
  const columns = ['model', ...(grouped ? ['group'] : []), 'params', 'train', 'valid', 'test'];
  const frame = recordsFrame(
    scores.map((s) => ({ ...s, group: s.group ?? '' })),
    columns,
  );
  return figure(frame, (rows) => {
    const losses = rows.flatMap((r) =>
      splits.map((split) => ({
        model: r.model,
        ...(grouped ? { group: r.group } : {}),
        split,
        value: r[split],
      })),
    );
    const models = rows.map((r) => ({ model: r.model, params: r.params, valid: r.valid }));
    const subtitle = grouped
      ? undefined
      : [
          'final MSE in normalised units (the number: valid)',
          'parameters (speeds: `npm run bench`, not training runs that shared the machine)',
        ];
    return scoreboardChart(grouped ? { losses } : { losses, models }, {
      title: opts.title ?? 'Scoreboard',
      subtitle: opts.subtitle ?? subtitle,
      order: rows.map((r) => String(r.model)),
    });
  });
}
