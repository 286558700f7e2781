// The notebooks' front door (src/notebook.ts): which sizes a run of each kind trains at.
import './setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sized } from '../src/notebook';
import { PROFILES } from '../src/train/profiles';

describe('notebook run sizes', () => {
  it("gives each size its profile's samples and epochs, and a label for summary.json", () => {
    const full = PROFILES.full;
    assert.deepEqual(sized(full, 'main'), { nTrain: 25_000, epochs: 50, label: 'full' });
    assert.deepEqual(sized(full, 'grid'), { nTrain: 10_000, epochs: 20, label: 'full-grid' });
    assert.deepEqual(sized(full, 'lstm-grid'), {
      nTrain: 5_000,
      epochs: 10,
      label: 'full-lstm-grid',
    });
    assert.deepEqual(sized(full, 'position'), {
      nTrain: 25_000,
      epochs: 15,
      label: 'full-position',
    });
    assert.deepEqual(sized(PROFILES.quick, 'lstm-grid'), {
      nTrain: 1_000,
      epochs: 3,
      label: 'quick-lstm-grid',
    });
  });
});
