// A run record made up for figure and table tests: the fields a saved run has, with its losses
// derived from the validation loss (train 0.9×, test 1.1×) unless given.
import { DEFAULT_DATA } from '../../src/data/task';
import { DEFAULT_ATTENTION } from '../../src/models/configs';
import { DEFAULT_FIT } from '../../src/train/learner';
import { RunRecord } from '../../src/train/runs';

export function fakeRun(validLoss: number, fields: Partial<RunRecord> = {}): RunRecord {
  return {
    kind: 'attention',
    config: { ...DEFAULT_ATTENTION },
    data: { ...DEFAULT_DATA, nTrain: 25_000 },
    fit: { ...DEFAULT_FIT, epochs: 2 },
    params: 58_177,
    backend: 'tfjs-node',
    profile: 'full',
    history: [],
    epochSeconds: [10, 20],
    trainLoss: validLoss * 0.9,
    validLoss,
    testLoss: validLoss * 1.1,
    resumedFromEpoch: 0,
    finishedAt: '2026-01-01T00:00:00Z',
    ...fields,
  };
}
