// Profiles (src/train/profiles.ts): one name scales every experiment; each run size has its
// samples, epochs and the label its runs are recorded under.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLOG_SAMPLES } from '../../src/data/samples';
import { PROFILES, getProfile, profileLabel, sized } from '../../src/train/profiles';

describe('profiles', () => {
  it('full is the walk-through scale', () => {
    assert.deepEqual(
      [PROFILES.full.nTrain, PROFILES.full.nTest, PROFILES.full.epochs, PROFILES.full.overfitSteps],
      [25_000, 1_000, 50, 5_001],
    );
  });

  it('reads EA_PROFILE, defaults to full, and rejects unknown names', () => {
    assert.equal(getProfile('quick').name, 'quick');
    assert.equal(getProfile('').name, 'full');
    assert.equal(getProfile(undefined).name, process.env.EA_PROFILE ?? 'full');
    assert.throws(
      () => getProfile('huge'),
      /profile must be one of full, quick, smoke, got 'huge'/,
    );
  });

  it('keeps the walk-through samples (123 in train, BLOG_SAMPLES in test) in every profile', () => {
    for (const p of Object.values(PROFILES)) {
      assert.ok(p.nTrain * 0.8 > 123 && p.nTest > Math.max(...BLOG_SAMPLES), p.name);
    }
  });

  it("gives each run size its profile's samples and epochs, and a label for summary.json", () => {
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

  it("labels a run by the size it matches, 'custom' when any of its sizes differs", () => {
    const full = PROFILES.full;
    const grid = sized(full, 'grid');
    assert.equal(profileLabel(full, { nTrain: 25_000, nTest: 1_000, epochs: 50 }), 'full');
    assert.equal(
      profileLabel(full, { nTrain: 10_000, nTest: 1_000, epochs: 20 }, grid),
      'full-grid',
    );
    assert.equal(profileLabel(full, { nTrain: 10_000, nTest: 1_000, epochs: 5 }, grid), 'custom');
    assert.equal(profileLabel(full, { nTrain: 10_000, nTest: 500, epochs: 20 }, grid), 'custom');
    assert.equal(profileLabel(full, { nTrain: 640, nTest: 1_000, epochs: 50 }), 'custom');
    const sweep = { nTrain: full.sweepTrain, epochs: full.sweepEpochs };
    assert.equal(profileLabel(full, { nTrain: 10_000, nTest: 1_000, epochs: 5 }, sweep), 'full');
  });
});
