// The benchmark (src/train/bench.ts): the documented FLOP formula. The bench command's checks are
// in test/cli/bench-command.test.ts.
// Speed itself is never asserted here; `npm run bench` measures it. The tweak timing (`bench
// --tweak`, minutes of training) is not run here.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend } from '../../src/runtime/backend';
import { forwardFlopsPerSample } from '../../src/train/bench';
import { buildModel } from '../../src/models/build';

before(async () => {
  await initBackend({ quiet: true });
});

describe('bench', () => {
  it('counts forward FLOPs per sample by the documented formula', () => {
    // CNN: 2·100·5·(1·64 + 3·64·64 + 64·1).
    assert.equal(forwardFlopsPerSample(buildModel('cnn')), 2 * 100 * 5 * (64 + 3 * 64 * 64 + 64));
    // Attention: the four convs plus projections (2·100·64·(96+96+64)) and the two L×L products.
    const convs = 2 * 100 * 5 * (64 + 2 * 64 * 64 + 64);
    assert.equal(
      forwardFlopsPerSample(buildModel('attention')),
      convs + 2 * 100 * 64 * 256 + 2 * 100 * 100 * 96 + 2 * 100 * 100 * 64,
    );
    // Blog LSTM: one step of (100 + 128) → 4·128 per sample, plus Linear(128 → 100).
    assert.equal(forwardFlopsPerSample(buildModel('lstm-blog')), 2 * 228 * 512 + 2 * 128 * 100);
    assert.equal(
      forwardFlopsPerSample(buildModel('lstm-seq')),
      100 * 2 * 2 * 129 * 512 + 100 * 2 * 2 * 128,
    );
  });
});
