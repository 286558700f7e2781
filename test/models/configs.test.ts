// Model configs (src/models/configs.ts): resolveConfig's checks reject a bad config with an error
// that names the field; fields added later default to the committed runs' behaviour, so those
// runs keep their run keys (runs.ts's LATER_FIELDS) while a new value gets a key of its own.
import { ROOT } from '../setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readBlob } from '../../src/runtime/store';
import { DEFAULT_ATTENTION, DEFAULT_POOLED, resolveConfig } from '../../src/models/configs';
import { RunRecord, planRun } from '../../src/train/runs';

describe('model configs', () => {
  it('rejects bad configs with clear errors that name the field', () => {
    const cases: [() => unknown, RegExp][] = [
      [
        () => resolveConfig('cnn', { keyChannels: 8 } as never),
        /cnn: unknown config field 'keyChannels'/,
      ],
      [
        () => resolveConfig('attention', { heads: 5 }),
        /attention\.heads must divide keyChannels \(96\).*got 5/,
      ],
      [
        () => resolveConfig('attention', { window: -1 }),
        /attention\.window must be an integer >= 0, got -1/,
      ],
      [
        () => resolveConfig('attention', { positionEncoding: 'learned' as 'none' }),
        /attention\.positionEncoding must be one of none, sinusoidal, binary, got 'learned'/,
      ],
      [
        () => resolveConfig('attention', { positionAt: 'v' as 'qk' }),
        /attention\.positionAt must be one of qk, input, got 'v'/,
      ],
      [
        () => resolveConfig('attention', { positionAt: 'input' }),
        /attention\.positionAt 'input' needs a positionEncoding .* with 'none' there is no table/,
      ],
      [
        () =>
          resolveConfig('attention', { positionEncoding: 'binary', channels: 4, keyChannels: 4 }),
        /attention\.channels must be at least 7 for positionEncoding 'binary' at 'qk'.*got 4/,
      ],
      [
        () => resolveConfig('pooled', { concat: 'no' as unknown as boolean }),
        /pooled\.concat must be true or false, got 'no'/,
      ],
      [
        () => resolveConfig('pooled', { pooling: 'max' as 'uniform' }),
        /pooled\.pooling must be one of learned, uniform, got 'max'/,
      ],
      [
        () => resolveConfig('gated', { concat: false } as never),
        /gated: unknown config field 'concat'/,
      ],
      [
        () => resolveConfig('lstm-attention', { placement: 'middle' as 'after' }),
        /lstm-attention\.placement must be one of before, after/,
      ],
      [
        () => resolveConfig('lstm-blog', { carryState: 'yes' as unknown as boolean }),
        /lstm-blog\.carryState must be true or false/,
      ],
    ];
    for (const [f, msg] of cases) assert.throws(f, msg);
  });

  it("defaults the controls to today's models: pooled concat and learned, positions at Q and K", () => {
    assert.deepEqual([DEFAULT_POOLED.concat, DEFAULT_POOLED.pooling], [true, 'learned']);
    assert.equal(DEFAULT_ATTENTION.positionAt, 'qk');
    assert.deepEqual(resolveConfig('attention', { positionEncoding: 'binary' }).positionAt, 'qk');
    // binary at the input needs no channel count: its table is the input's 7 extra channels.
    assert.equal(
      resolveConfig('attention', {
        positionEncoding: 'binary',
        positionAt: 'input',
        channels: 4,
        keyChannels: 4,
      }).channels,
      4,
    );
  });
});

describe('run keys of the committed runs', () => {
  const dir = path.join(ROOT, 'data', 'models');
  const saved = fs
    .readdirSync(dir)
    .map((f) => /^(.+)-([0-9a-f]{16})\.bin$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null);

  // Older records name the fit config `train` (runs.ts reads both).
  type Saved = RunRecord & { train?: RunRecord['fit'] };
  const planOf = (r: Saved, config: object = r.config) =>
    planRun({ kind: r.kind, config, data: r.data, fit: r.fit ?? r.train });

  it('every run under data/models/ still plans to its own file, new fields and all', () => {
    assert.ok(saved.length > 0, 'no committed runs found');
    assert.ok(
      saved.some((m) => m[1] === 'pooled'),
      'no committed pooled run',
    );
    for (const [file, kind, key] of saved) {
      const got = readBlob<{ record: Saved }>(path.join(dir, file), key);
      assert.ok(got.ok, `${file}: ${got.reason}`);
      const r = got.blob.header.record;
      assert.equal(r.kind, kind);
      assert.equal(planOf(r).key, key, `${file} would be retrained under a new key`);
    }
  });

  it('pooled with {} keeps the committed key; concat false and uniform pooling get keys of their own', () => {
    // The walk-through's pooled run, saved before the controls existed (later runs record them).
    const before = saved
      .filter((m) => m[1] === 'pooled')
      .map(([file, , key]) => ({
        key,
        r: readBlob<{ record: Saved }>(path.join(dir, file), key).blob!.header.record,
      }))
      .find(({ r }) => !('concat' in r.config) && !('pooling' in r.config));
    assert.ok(before, 'no pooled run saved before the controls');
    const { key, r } = before;
    assert.equal(planOf(r, {}).key, key);
    assert.equal(planOf(r, { concat: true, pooling: 'learned' }).key, key);
    const keys = [{ concat: false }, { pooling: 'uniform' }, { concat: false, pooling: 'uniform' }]
      .map((c) => planOf(r, c).key)
      .concat(key);
    assert.equal(new Set(keys).size, 4);
  });

  it("attention keeps its keys with positionAt 'qk', and 'input' and 'binary' get their own", () => {
    const fit = { epochs: 1 };
    const data = { nTrain: 320, nTest: 40 };
    const key = (config: object) => planRun({ kind: 'attention', config, data, fit }).key;
    assert.equal(key({ positionAt: 'qk' }), key({}));
    const sines = key({ positionEncoding: 'sinusoidal' });
    assert.equal(key({ positionEncoding: 'sinusoidal', positionAt: 'qk' }), sines);
    const keys = [
      key({}),
      sines,
      key({ positionEncoding: 'binary' }),
      key({ positionEncoding: 'sinusoidal', positionAt: 'input' }),
      key({ positionEncoding: 'binary', positionAt: 'input' }),
    ];
    assert.equal(new Set(keys).size, 5);
  });
});
