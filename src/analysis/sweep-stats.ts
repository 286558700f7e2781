// A sweep's finished points summarised along one setting: for each model kind and each value
// of the field (kernel size, key channels), the mean, best and worst final validation loss.
// The trend a heatmap suggests, as numbers.
import { SweepResult } from '../train/sweep';
import { finalValid, finishedPoints } from './ranking';

export function sweepMeans(
  results: readonly SweepResult[],
  field: string,
): Record<string, string | number>[] {
  const done = finishedPoints(results);
  const keys = [
    ...new Set(done.map((r) => `${r.kind}\u0000${String(r.config[field] ?? '')}`)),
  ].filter((k) => !k.endsWith('\u0000'));
  return keys
    .map((k) => {
      const [kind, value] = k.split('\u0000');
      const v = done
        .filter((r) => r.kind === kind && String(r.config[field]) === value)
        .map(finalValid);
      return {
        model: kind,
        [field]: Number(value),
        points: v.length,
        'mean valid': v.reduce((a, b) => a + b, 0) / v.length,
        best: Math.min(...v),
        worst: Math.max(...v),
      };
    })
    .sort((a, b) =>
      a.model === b.model
        ? (a[field] as number) - (b[field] as number)
        : a.model < b.model
          ? -1
          : 1,
    );
}
