// Sweep figures (src/viz/figures/sweep.ts): every finished point with its own numbers; failed
// points are left out.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SweepResult } from '../../../src/train/sweep';
import { toRows } from '../../../src/viz/frames';
import {
  learningCurvesFigure,
  lossVsParamsFigure,
  sweepHeatmapFigure,
} from '../../../src/viz/figures/sweep';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const point = (kind: string, kernelSize: number, keyChannels?: number): SweepResult =>
  ({
    label: `${kind} k${kernelSize}${keyChannels ? ` c${keyChannels}` : ''}`,
    kind,
    config: { kernelSize, ...(keyChannels ? { keyChannels } : {}) },
    params: 1000 * kernelSize + (keyChannels ?? 0),
    epochs: [0, 1].map((epoch) => ({
      epoch,
      train: 1,
      valid: kernelSize / 100 + (keyChannels ?? 0) / 1e4 + (1 - epoch) / 10,
    })),
    testLoss: 0.05,
    seconds: 12,
    backend: 'tfjs-node',
    status: 'done',
  }) as unknown as SweepResult;

const results = [
  point('attention', 3, 8),
  point('attention', 5, 16),
  point('cnn', 5),
  { ...point('attention', 7, 8), status: 'failed', epochs: [] } as SweepResult,
];

describe('sweep figures', () => {
  it('sweepHeatmapFigure: the finished attention points, each at its own final loss', () => {
    const f = sweepHeatmapFigure(results);
    assert.equal(f.frame.shape[0], 2);
    assert.deepEqual((f.spec as Any).data.values, [
      { kernelSize: 3, keyChannels: 8, value: 0.0308 },
      { kernelSize: 5, keyChannels: 16, value: 0.0516 },
    ]);
  });

  it('lossVsParamsFigure: every finished point of every kind', () => {
    const f = lossVsParamsFigure(results);
    assert.deepEqual(
      toRows(f.frame).map((r) => [r.model, r.params, r.label]),
      [
        ['attention', 3008, 'attention k3 c8'],
        ['attention', 5016, 'attention k5 c16'],
        ['cnn', 5000, 'cnn k5'],
      ],
    );
  });

  it('learningCurvesFigure: the chosen points in the order given, epochs from 1', () => {
    const f = learningCurvesFigure(results, ['cnn k5', 'attention k3 c8']);
    assert.equal(f.frame.shape[0], 4);
    assert.deepEqual((f.spec as Any).data.values, [
      { epoch: 1, label: 'cnn k5', value: 0.15 },
      { epoch: 2, label: 'cnn k5', value: 0.05 },
      { epoch: 1, label: 'attention k3 c8', value: 0.1308 },
      { epoch: 2, label: 'attention k3 c8', value: 0.0308 },
    ]);
    assert.deepEqual((f.spec as Any).encoding.color.sort, ['cnn k5', 'attention k3 c8']);
  });
});
