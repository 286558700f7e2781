// The loss history of a training run: what the learner records and every chart, table and
// summary reads. It belongs to training (as fastai's Recorder does), not to the chart code.

/** One point of a loss history. */
export interface LossPoint {
  /** Optimiser step (batches seen so far); validation points sit at the end of their epoch. */
  step: number;
  epoch: number;
  split: 'train' | 'valid';
  loss: number;
}

/** One epoch reduced to two numbers: the mean training loss over its batches and the validation loss. */
export interface EpochLoss {
  epoch: number;
  train: number;
  valid: number;
}

/** A history reduced to one row per finished epoch, in order. */
export function epochLosses(history: readonly LossPoint[]): EpochLoss[] {
  const sums = new Map<number, { sum: number; n: number }>();
  for (const p of history) {
    if (p.split !== 'train') continue;
    const s = sums.get(p.epoch) ?? { sum: 0, n: 0 };
    s.sum += p.loss;
    s.n++;
    sums.set(p.epoch, s);
  }
  return history
    .filter((p) => p.split === 'valid')
    .map((v) => {
      const s = sums.get(v.epoch);
      return { epoch: v.epoch, train: s ? s.sum / s.n : NaN, valid: v.loss };
    });
}

/** The last finished epoch's losses: "the final loss of a run". Throws on an empty history. */
export function finalLosses(epochs: readonly EpochLoss[]): EpochLoss {
  if (epochs.length === 0) throw new Error('the run has no finished epoch');
  return epochs[epochs.length - 1];
}
