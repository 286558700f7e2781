// The learning-rate schedule and the optimiser that follows it. Two schedules:
//   flat      the walk-through's: the same rate at every step;
//   onecycle  Leslie Smith's one-cycle policy as PyTorch's OneCycleLR draws it (cosine
//             annealing, its defaults): the rate rises from peak/25 to the peak over the first
//             `warmup` fraction of the steps, then falls to peak/25/10⁴ by the last step.
// The optimiser is tfjs's own Adam. The schedule sets its rate before each step through
// `learningRate`, the field tfjs's optimisers keep protected for subclasses to use; everything
// else (the moments, the bias correction, saving) stays tfjs's.
import * as tf from '@tensorflow/tfjs';

export const SCHEDULES = ['flat', 'onecycle'] as const;
export type Schedule = (typeof SCHEDULES)[number];

/** OneCycleLR's defaults: the starting rate is the peak over 25, the last the start over 10⁴. */
const DIV_FACTOR = 25;
const FINAL_DIV_FACTOR = 1e4;

/** Cosine from `from` to `to` as `t` goes from 0 to 1. */
function cosine(from: number, to: number, t: number): number {
  return to + ((from - to) * (1 + Math.cos(Math.PI * t))) / 2;
}

/**
 * The rate at optimiser step `step` (0-based) of `total`. For 'flat' it is `lr`; for 'onecycle'
 * `lr` is the peak, reached at step warmup · total − 1, exactly as PyTorch's OneCycleLR computes it.
 */
export function learningRateAt(
  schedule: Schedule,
  lr: number,
  warmup: number,
  step: number,
  total: number,
): number {
  if (schedule === 'flat') return lr;
  const start = lr / DIV_FACTOR;
  const end = start / FINAL_DIV_FACTOR;
  const peakStep = warmup * total - 1;
  const s = Math.min(step, total - 1);
  if (s <= peakStep) return peakStep <= 0 ? lr : cosine(start, lr, s / peakStep);
  return cosine(lr, end, (s - peakStep) / (total - 1 - peakStep));
}

/** tfjs's Adam, whose rate a schedule may change between steps. */
export class ScheduledAdam extends tf.AdamOptimizer {
  /** The rate the next step will use. */
  get rate(): number {
    return this.learningRate;
  }

  set rate(value: number) {
    this.learningRate = value;
  }
}
