// Where files go (src/runtime/paths.ts): the data folder, and the git-ignored try-it folder that
// the notebooks' "try it" runs, overfit checks and sweeps are saved in (runs.ts, overfit.ts,
// sweep.ts choose it with `tryIt: true`).
import { ROOT, TMP } from '../setup';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { initBackend } from '../../src/runtime/backend';
import { dataDir, runsDir, tryItDir } from '../../src/runtime/paths';
import { overfitOrLoad } from '../../src/train/overfit';
import { planRun } from '../../src/train/runs';
import { planSweep, runSweep } from '../../src/train/sweep';

const run = { kind: 'cnn' as const, config: { channels: 8 }, data: { nTrain: 320, nTest: 40 } };

before(async () => {
  await initBackend({ quiet: true });
});

describe('paths', () => {
  it('puts the data folder where EA_DATA_DIR says, and the try-it folder in its tmp/', () => {
    assert.equal(dataDir(), path.resolve(TMP!));
    assert.equal(tryItDir(), path.join(dataDir(), 'tmp', 'try-it'));
    assert.equal(runsDir(), dataDir());
    assert.equal(runsDir({ tryIt: true }), tryItDir());
  });

  it("has git ignore the project's try-it folder, and not the saved runs", () => {
    // The paths in the project's own data/ folder, whatever EA_DATA_DIR is in this test.
    const rel = (p: string) => path.join('data', path.relative(dataDir(), p));
    const tryIt = rel(path.join(tryItDir(), 'models', 'cnn-0123456789abcdef.bin'));
    const saved = rel(path.join(dataDir(), 'models', 'cnn-0123456789abcdef.bin'));
    const ignored = (file: string) =>
      spawnSync('git', ['check-ignore', '-q', file], { cwd: ROOT }).status === 0;
    assert.equal(tryIt, path.join('data', 'tmp', 'try-it', 'models', 'cnn-0123456789abcdef.bin'));
    assert.ok(ignored(tryIt), `${tryIt} is not git-ignored`);
    assert.ok(!ignored(saved), `${saved} is git-ignored`);
  });

  it('saves a try-it run, sweep point and overfit check under the try-it folder', () => {
    const plan = planRun(run);
    const tried = planRun({ ...run, tryIt: true });
    assert.equal(tried.key, plan.key, 'the folder is not part of the run');
    assert.equal(plan.file, path.join(dataDir(), 'models', `cnn-${plan.key}.bin`));
    assert.equal(tried.file, path.join(tryItDir(), 'models', `cnn-${plan.key}.bin`));

    const point = { kind: 'cnn' as const, config: { channels: 8 }, label: 'cnn ch8' };
    const [swept] = planSweep([point], { data: run.data, fit: {}, tryIt: true });
    assert.equal(swept.file, tried.file);

    const check = { ...run, items: 2, steps: 2, every: 1 };
    overfitOrLoad({ ...check, tryIt: true });
    const saved = (dir: string) =>
      fs.existsSync(path.join(dir, 'results'))
        ? fs.readdirSync(path.join(dir, 'results')).filter((f) => f.startsWith('overfit-'))
        : [];
    assert.equal(saved(tryItDir()).length, 1);
    assert.deepEqual(saved(dataDir()), []);
  });

  it("writes a try-it sweep's weights and outcomes under the try-it folder only", async () => {
    const point = { kind: 'cnn' as const, config: { channels: 4 }, label: 'cnn ch4' };
    const opts = { data: run.data, fit: { epochs: 1 }, tryIt: true, log: () => {} };
    const [result] = await runSweep([point], opts);
    assert.equal(result.status, 'done');
    const files = (dir: string, sub: string) =>
      fs.existsSync(path.join(dir, sub)) ? fs.readdirSync(path.join(dir, sub)) : [];
    assert.equal(files(tryItDir(), 'sweeps').length, 1);
    assert.ok(files(tryItDir(), 'models').some((f) => f.startsWith('cnn-')));
    assert.deepEqual(files(dataDir(), 'sweeps'), []);
    assert.deepEqual(files(dataDir(), 'models'), []);
  });
});
