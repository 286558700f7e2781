// Figures of the kernel-size × key-channel sweep: the attention points' validation loss as a
// grid, every point's loss against its parameter count, and the learning curves of a few points.
// Pure: sweep results in, figures out.
import { finalValid, finishedPoints } from '../../analysis/ranking';
import { SweepResult } from '../../train/sweep';
import { Figure, figure } from '../figure';
import { recordsFrame } from '../frames';
import { lossVsParams } from '../marks/dots';
import { sweepHeatmap } from '../marks/heatmaps';
import { epochCurves } from '../marks/lines';

/** The attention points' final validation loss over kernel size × key channels. */
export function sweepHeatmapFigure(
  results: readonly SweepResult[],
  opts: { title?: string } = {},
): Figure {
  const rows = finishedPoints(results)
    .filter((r) => r.kind === 'attention')
    .map((r) => ({
      kernelSize: r.config.kernelSize as number,
      keyChannels: r.config.keyChannels as number,
      value: finalValid(r),
    }));
  return figure(recordsFrame(rows, ['kernelSize', 'keyChannels', 'value']), (rs) =>
    sweepHeatmap(rs, {
      title: opts.title ?? 'Attention model: validation loss over kernel size × key channels',
      subtitle: 'final validation MSE (normalised, log colour scale); darker is better',
    }),
  );
}

/** Final validation loss against parameter count, every finished point. */
export function lossVsParamsFigure(
  results: readonly SweepResult[],
  opts: { title?: string } = {},
): Figure {
  const rows = finishedPoints(results).map((r) => ({
    model: r.kind,
    params: r.params ?? 0,
    value: finalValid(r),
    label: r.label,
  }));
  return figure(recordsFrame(rows, ['model', 'params', 'value', 'label']), (rs) =>
    lossVsParams(rs, { title: opts.title ?? 'Validation loss against model size' }),
  );
}

/** Validation loss per epoch for the chosen points (by label), in the order given. */
export function learningCurvesFigure(
  results: readonly SweepResult[],
  labels: readonly string[],
  opts: { title?: string } = {},
): Figure {
  const done = finishedPoints(results);
  const chosen = labels.flatMap((l) => done.filter((r) => r.label === l));
  const rows = chosen.flatMap((r) =>
    r.epochs.map((e) => ({ epoch: e.epoch + 1, label: r.label, value: e.valid })),
  );
  return figure(recordsFrame(rows, ['epoch', 'label', 'value']), (rs) =>
    epochCurves(rs, {
      title: opts.title ?? 'Learning curves of selected grid points',
      color: 'label',
      y: 'value',
      toggle: true,
    }),
  );
}
