// Ranking finished sweep points by their final validation loss.
import { finalLosses } from '../train/history';
import { SweepResult } from '../train/sweep';

/** The finished points that have at least one epoch: what the sweep heatmap and scatter plot show. */
export function finishedPoints(results: readonly SweepResult[]): SweepResult[] {
  return results.filter((r) => r.status === 'done' && r.epochs.length > 0);
}

/** A finished point's final validation loss. */
export const finalValid = (r: SweepResult): number => finalLosses(r.epochs).valid;

export interface RankedPoint {
  rank: 'best' | 'worst' | 'failed';
  label: string;
  params: number;
  valid: number;
  test: number;
}

/** The best and worst `n` finished points by final validation loss, and any failures. */
export function bestAndWorst(results: readonly SweepResult[], n = 3): RankedPoint[] {
  const done = finishedPoints(results)
    .map((r) => ({
      label: r.label,
      params: r.params ?? 0,
      valid: finalValid(r),
      test: r.testLoss ?? NaN,
    }))
    .sort((a, b) => a.valid - b.valid);
  const failures = results
    .filter((r) => r.status === 'failed')
    .map((r) => ({ rank: 'failed' as const, label: r.label, params: 0, valid: NaN, test: NaN }));
  return [
    ...done.slice(0, n).map((r) => ({ rank: 'best' as const, ...r })),
    ...done
      .slice(-n)
      .reverse()
      .map((r) => ({ rank: 'worst' as const, ...r })),
    ...failures,
  ];
}
