// What notebook 7's kernel × key-channel sweep would cost at a recipe's budget, estimated from
// measured steps (`bench --sweep-estimate`): for each of its 28 points, the median training step
// at the recipe's batch size, times the steps of its epochs on the full data. Training steps
// only: validation and start-up come on top.
import * as os from 'node:os';
import { DEFAULT_DATA } from '../data/task';
import { ModelKind } from '../models/configs';
import { DEFAULT_FIT } from './learner';
import { recipeFit } from './recipes';
import { timeTrainSteps } from './step-timer';

export interface GridPoint {
  kind: ModelKind;
  config: { kernelSize: number; keyChannels?: number };
}

/** Notebook 7's grid: attention at 4 kernel sizes × 6 key-channel counts, and the CNN at 4 kernels. */
export const NOTEBOOK_07_GRID: readonly GridPoint[] = [
  ...[3, 5, 7, 9].flatMap((kernelSize) =>
    [8, 16, 32, 64, 96, 128].map((keyChannels) => ({
      kind: 'attention' as const,
      config: { kernelSize, keyChannels },
    })),
  ),
  ...[3, 5, 7, 9].map((kernelSize) => ({ kind: 'cnn' as const, config: { kernelSize } })),
];

export interface SweepEstimate {
  recipe: string;
  points: { kind: ModelKind; config: GridPoint['config']; stepS: number; seconds: number }[];
  /** Estimated training seconds of the whole grid. */
  totalS: number;
  load: number;
}

/** Times each point's step at the recipe's batch and scales it to the recipe's epochs. */
export function sweepEstimate(
  recipe: string,
  opts: { grid?: readonly GridPoint[]; minSeconds?: number } = {},
): SweepEstimate {
  const fit = { ...DEFAULT_FIT, ...recipeFit(recipe) };
  const fitted = DEFAULT_DATA.nTrain - Math.floor(DEFAULT_DATA.nTrain * DEFAULT_DATA.validFraction);
  const steps = fit.epochs * Math.ceil(fitted / fit.batchSize);
  const points = (opts.grid ?? NOTEBOOK_07_GRID).map((p) => {
    const t = timeTrainSteps(p.kind, {
      config: p.config,
      batchSize: fit.batchSize,
      maxSteps: 5,
      minSeconds: opts.minSeconds ?? 1,
      warmupSeconds: 0.5,
      budgetS: 30,
    });
    return { ...p, stepS: t.stepS, seconds: t.stepS * steps };
  });
  return {
    recipe,
    points,
    totalS: points.reduce((a, p) => a + p.seconds, 0),
    load: os.loadavg()[0],
  };
}
