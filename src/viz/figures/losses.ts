// Figures of training: loss curves of one run or several side by side, the single-batch overfit
// check, and the validation loss per epoch of several runs. Pure: run records in, figures out.
import { OverfitPoint } from '../../train/learner';
import { epochLosses } from '../../train/history';
import { RunRecord } from '../../train/runs';
import { bucketMean } from '../downsample';
import { Figure, figure } from '../figure';
import { Row, concatFrames, historyFrame, recordsFrame } from '../frames';
import { epochCurves, lossChart, overfitChart } from '../marks/lines';

const samplesText = (n: number) => `${n.toLocaleString('en')} samples`;

/** The number of samples a run fitted on: the training set less its validation hold-out. */
export function fittedSamples(r: Pick<RunRecord, 'data'>): number {
  return r.data.nTrain - Math.floor(r.data.nTrain * r.data.validFraction);
}

/** At most this many training-loss points per curve (about one per pixel of a chart). */
const LOSS_POINTS = 400;

/** Loss rows for a chart: the per-batch training loss averaged over windows of k batches. */
function thinLossRows(rows: Row[]): { rows: Row[]; window: number } {
  const perModel = Math.max(
    ...Object.values(
      rows
        .filter((r) => r.series === 'train')
        .reduce<Record<string, number>>((n, r) => {
          const k = String(r.model ?? '');
          n[k] = (n[k] ?? 0) + 1;
          return n;
        }, {}),
    ),
    1,
  );
  const window = Math.ceil(perModel / LOSS_POINTS);
  const thinned = bucketMean(rows, {
    by: ['model', 'series'],
    x: 'step',
    y: 'value',
    maxPoints: LOSS_POINTS,
  });
  return { rows: thinned, window };
}

/** The subtitle line that names the dashed rule, when a figure draws the noise floor. */
const floorText = (floor: number | undefined) =>
  floor === undefined ? [] : [`dashed line: the noise floor, ${floor.toPrecision(2)}`];

const windowText = (k: number) =>
  k > 1
    ? `train: mean of every ${k} batches; valid: after each epoch`
    : 'train: every batch; valid: after each epoch';

/** Figures 2, 6 and 9: the training loss (per batch, or per window of batches) and the validation loss per epoch. */
export function lossFigure(
  record: RunRecord,
  opts: { title?: string; floor?: number } = {},
): Figure {
  const title = opts.title ?? `${record.kind}: loss curves`;
  const last = `final: train ${record.trainLoss.toPrecision(3)}, valid ${record.validLoss.toPrecision(3)}, test ${record.testLoss.toPrecision(3)}`;
  const frame = historyFrame(record.history, record.kind);
  return figure(frame, (all) => {
    const { rows, window } = thinLossRows(all);
    const subtitle = [
      `${record.fit.epochs} epochs, fitted on ${samplesText(fittedSamples(record))}; ${last}`,
      windowText(window),
      ...floorText(opts.floor),
    ];
    return lossChart(rows, { title, subtitle, floor: opts.floor });
  });
}

/** Loss curves of several runs side by side, one panel per name, in the order given. */
export function lossesFigure(
  records: Record<string, RunRecord>,
  opts: { title: string; columns?: number; floor?: number },
): Figure {
  const names = Object.keys(records);
  const frame = concatFrames(names.map((n) => historyFrame(records[n].history, n)));
  return figure(frame, (all) => {
    const { rows, window } = thinLossRows(all);
    const fitted = [...new Set(names.map((n) => fittedSamples(records[n])))];
    const epochs = [...new Set(names.map((n) => records[n].fit.epochs))];
    const subtitle = [
      `${epochs.join(' / ')} epochs, fitted on ${fitted.map(samplesText).join(' / ')}`,
      windowText(window),
      ...floorText(opts.floor),
    ];
    return lossChart(rows, {
      title: opts.title,
      subtitle,
      facetByModel: true,
      order: names,
      columns: opts.columns,
      floor: opts.floor,
    });
  });
}

/** Figure 4: the single-batch overfit check's loss every k steps. */
export function overfitFigure(
  points: readonly OverfitPoint[],
  opts: { title?: string } = {},
): Figure {
  const frame = recordsFrame(
    points.map((p) => ({ step: p.step, value: p.loss })),
    ['step', 'value'],
  );
  const title = opts.title ?? 'Overfitting one batch of 20 items';
  return figure(frame, (rows) =>
    overfitChart(rows, {
      title,
      subtitle:
        'a model that trains correctly drives this towards 0; passing does not show it can learn the task',
    }),
  );
}

/**
 * The validation loss of several runs over their last `lastEpochs` epochs (default: all), one
 * line per run on a log axis: how much the final epoch of each run is worth, against the swings
 * before it.
 */
export function validCurvesFigure(
  records: Record<string, RunRecord>,
  opts: { title: string; subtitle?: string; lastEpochs?: number; floor?: number },
): Figure {
  const rows = Object.entries(records).flatMap(([variant, r]) => {
    const epochs = epochLosses(r.history);
    return epochs
      .slice(-(opts.lastEpochs ?? epochs.length))
      .map((e) => ({ variant, epoch: e.epoch + 1, valid: e.valid }));
  });
  if (!rows.length) throw new Error('validCurvesFigure: none of the runs has a validation loss');
  return figure(recordsFrame(rows, ['variant', 'epoch', 'valid']), (rs) =>
    epochCurves(rs, {
      title: opts.title,
      subtitle: [opts.subtitle ?? '', ...floorText(opts.floor)].filter(Boolean).join('; '),
      color: 'variant',
      y: 'valid',
      floor: opts.floor,
    }),
  );
}

/**
 * A search candidate's short label (a legend clips long ones): "3e-3/32/6" for
 * `onecycle:3e-3:32:6:0.25`, with the warm-up when it is not 0.25 ("3e-3/32/5 wu 0.3") and the
 * seed when it is not 0 ("3e-3/32/6 s1" for `…@1`).
 */
export function recipeLabel(name: string): string {
  const [recipe, seed] = name.split('@');
  const [, peak, batch, epochs, warmup] = recipe.split(':');
  const wu = warmup !== undefined && warmup !== '0.25' ? ` wu ${warmup}` : '';
  return `${peak}/${batch}/${epochs}${wu}${seed ? ` s${seed}` : ''}`;
}

/**
 * The recipe search: each candidate's validation loss after each epoch, one line per candidate on
 * a log axis (`trials` as `recipeSearch()` reads them, by candidate name).
 */
export function recipeSearchFigure(
  trials: Record<string, { epochs: readonly { epoch: number; valid: number }[] }>,
  opts: { title?: string; subtitle?: string; floor?: number } = {},
): Figure {
  const rows = Object.entries(trials).flatMap(([name, t]) =>
    t.epochs.map((e) => ({ recipe: recipeLabel(name), epoch: e.epoch, valid: e.valid })),
  );
  if (!rows.length) throw new Error('recipeSearchFigure: no candidate has a validation loss');
  return figure(recordsFrame(rows, ['recipe', 'epoch', 'valid']), (rs) =>
    epochCurves(rs, {
      title: opts.title ?? 'The recipe search: validation loss after each epoch',
      subtitle: [
        opts.subtitle ??
          'attention model, 25,000 samples; one-cycle, peak/batch/epochs; wu: warm-up if not 0.25; s: seed',
        ...floorText(opts.floor),
      ],
      color: 'recipe',
      y: 'valid',
      floor: opts.floor,
    }),
  );
}
