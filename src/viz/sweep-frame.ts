// Sweep results as one long-format frame: a row per (point, epoch), for tables and charts.
import { SweepResult } from '../train/sweep';
import { Frame, recordsFrame } from './frames';

/**
 * Sweep results in long format: one row per (point, epoch) with the config's fields, params,
 * train and valid loss, plus the point's test loss, seconds, backend and status. A failed
 * point gives one row with status 'failed' and its error.
 */
export function sweepFrame(results: readonly SweepResult[]): Frame {
  const fields = [...new Set(results.flatMap((r) => Object.keys(r.config)))].filter(
    (f) => f !== 'seed' && f !== 'inChannels',
  );
  const rows = results.flatMap((r) => {
    const common = {
      label: r.label,
      model: r.kind,
      ...Object.fromEntries(
        fields.map((f) => [f, (r.config[f] as number | string | undefined) ?? '']),
      ),
      params: r.params ?? 0,
      test: r.testLoss ?? NaN,
      seconds: r.seconds,
      backend: r.backend,
      status: r.status,
      error: r.error ?? '',
    };
    if (r.status === 'failed' || r.epochs.length === 0)
      return [{ ...common, epoch: -1, train: NaN, valid: NaN }];
    return r.epochs.map((e) => ({ ...common, epoch: e.epoch, train: e.train, valid: e.valid }));
  });
  return recordsFrame(rows, [
    'label',
    'model',
    ...fields,
    'params',
    'epoch',
    'train',
    'valid',
    'test',
    'seconds',
    'backend',
    'status',
    'error',
  ]);
}
