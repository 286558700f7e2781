// Profiles (src/profiles.ts): one name scales every experiment.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROFILES, getProfile } from '../../src/train/profiles';

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

  it('keeps the walk-through samples (123 in train, 84/701/27/493 in test) in every profile', () => {
    for (const p of Object.values(PROFILES)) {
      assert.ok(p.nTrain * 0.8 > 123 && p.nTest > 701, p.name);
    }
  });
});
