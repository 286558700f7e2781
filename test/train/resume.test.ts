// A training run killed with SIGKILL at an arbitrary moment resumes from its last finished
// epoch when the same command runs again, and ends like an unbroken run; a second process on
// the same run is refused while the first one lives. Real processes, through the CLI.
import { ROOT } from '../setup';
import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const BIN = path.join(ROOT, 'bin', 'exploring-attention.js');
const ARGS = ['train', '--model', 'cnn', '--train', '1280', '--test', '20', '--json'];

function env(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, EA_DATA_DIR: dir, EA_QUIET: '1' };
}

function runToEnd(dir: string, epochs: number) {
  const r = spawnSync(process.execPath, [BIN, ...ARGS, '--epochs', String(epochs)], {
    env: env(dir),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** Resolves once `file` exists (or rejects after `ms`). */
async function waitFor(file: string, ms: number, child: ChildProcess): Promise<void> {
  const t0 = Date.now();
  while (!fs.existsSync(file)) {
    if (child.exitCode !== null)
      throw new Error(`the run ended (code ${child.exitCode}) before ${file} appeared`);
    if (Date.now() - t0 > ms) throw new Error(`${file} did not appear in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const checkpoints = (dir: string) => path.join(dir, 'checkpoints');
const ckptFiles = (dir: string) =>
  fs.existsSync(checkpoints(dir))
    ? fs.readdirSync(checkpoints(dir)).filter((f) => f.endsWith('.ckpt'))
    : [];

describe('resume after a kill', () => {
  it('SIGKILL mid-run, then the same command resumes from the last finished epoch', async () => {
    const epochs = 6;
    const unbroken = runToEnd(fs.mkdtempSync(path.join(os.tmpdir(), 'ea-unbroken-')), epochs);
    assert.equal(unbroken.resumed_from_epoch, 0);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-killed-'));
    // Prepare the dataset cache first so the killed run spends its time training.
    runToEnd(dir, 1);
    const child = spawn(process.execPath, [BIN, ...ARGS, '--epochs', String(epochs)], {
      env: env(dir),
      stdio: 'ignore',
    });
    const t0 = Date.now();
    while (ckptFiles(dir).length === 0) {
      if (child.exitCode !== null || Date.now() - t0 > 120_000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 150)); // somewhere inside a later epoch
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    assert.equal(ckptFiles(dir).length, 1, 'a checkpoint survived the kill');

    const resumed = runToEnd(dir, epochs);
    assert.ok(
      resumed.resumed_from_epoch >= 1 && resumed.resumed_from_epoch < epochs,
      `resumed from ${resumed.resumed_from_epoch}`,
    );
    assert.equal(resumed.epoch_s.length, epochs, 'the history holds every epoch');
    const rel = Math.abs(resumed.valid_loss - unbroken.valid_loss) / unbroken.valid_loss;
    assert.ok(rel < 1e-3, `valid ${resumed.valid_loss} vs unbroken ${unbroken.valid_loss}`);
    assert.deepEqual(ckptFiles(dir), [], 'the checkpoint was folded into the saved run');
  });

  it('a second process on the same run is refused while the first lives', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-locked-'));
    runToEnd(dir, 1); // dataset cache
    const first = spawn(process.execPath, [BIN, ...ARGS, '--epochs', '200'], {
      env: env(dir),
      stdio: 'ignore',
    });
    try {
      const lockDir = checkpoints(dir);
      await waitFor(lockDir, 60_000, first);
      const t0 = Date.now();
      while (!fs.readdirSync(lockDir).some((f) => f.endsWith('.lock'))) {
        assert.ok(Date.now() - t0 < 60_000, 'no lock file appeared');
        await new Promise((r) => setTimeout(r, 20));
      }
      const second = spawnSync(process.execPath, [BIN, ...ARGS, '--epochs', '200'], {
        env: env(dir),
        encoding: 'utf8',
      });
      assert.equal(second.status, 1);
      assert.match(
        second.stderr,
        new RegExp(`being trained by another process \\(pid ${first.pid}\\)`),
      );
    } finally {
      first.kill('SIGKILL');
    }
  });
});
