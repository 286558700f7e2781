// The command line's front door (src/cli.ts): the usage, dispatch to a command, the exit codes
// (2 for bad arguments, with the usage), and the installed bin. Each command's own checks and
// output are tested in test/cli/<its file>.test.ts.
import { ROOT } from './setup';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { exitsTwoWritingNothing, run } from './cli/run';

describe('cli: bad input exits 2 with the usage, before any work, writing nothing', () => {
  exitsTwoWritingNothing([
    ['no command', [], /usage: exploring-attention/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown flag', ['generate', '--bogus'], /Unknown option '--bogus'/],
  ]);

  it('an unknown EA_BACKEND', async () => {
    process.env.EA_BACKEND = 'tpu';
    try {
      const r = await run('backend');
      assert.equal(r.code, 2);
      assert.match(r.err, /EA_BACKEND must be one of tfjs-node-gpu, tfjs-node, cpu, got 'tpu'/);
    } finally {
      delete process.env.EA_BACKEND;
    }
  });
});

describe('cli: the installed bin', () => {
  it('the installed bin exits 2 on bad arguments', () => {
    const bin = path.join(ROOT, 'bin', 'exploring-attention.js');
    assert.ok(fs.existsSync(bin));
    const r = spawnSync(process.execPath, [bin, 'generate', '--train', 'abc'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--train must be a whole number/);
  });
});
