// The command line (src/cli.ts): argument errors exit 2 with the usage; --json is one object a line.
import { ROOT } from './setup';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../src/cli';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cli argument errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['no command', [], /usage: exploring-attention/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown flag', ['generate', '--bogus'], /Unknown option '--bogus'/],
    ['a negative size', ['generate', '--train=-3'], /--train must be >= 2, got -3/],
    ['a non-number', ['generate', '--test', 'ten'], /--test must be a whole number, got 'ten'/],
    ['a fraction', ['generate', '--seed', '1.5'], /--seed must be a whole number/],
    ['a missing model', ['summary'], /--model is required/],
    ['an unknown model', ['summary', '--model', 'transformer'], /unknown model kind 'transformer'/],
    [
      'an unknown profile',
      ['train', '--model', 'cnn', '--profile', 'huge'],
      /unknown profile 'huge'/,
    ],
    [
      'a flag for another model',
      ['summary', '--model', 'cnn', '--key-channels', '8'],
      /--key-channels applies to attention only/,
    ],
  ];
  for (const [what, argv, msg] of cases) {
    it(`exits 2 with the usage for ${what}`, async () => {
      const r = await run(...argv);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, msg);
      assert.match(r.err, /usage: exploring-attention <command>/);
      assert.equal(r.out, '');
    });
  }

  it('exits 1 (not 2) for a config the model rejects, naming the problem', async () => {
    const r = await run('summary', '--model', 'attention', '--kernel-size', '4');
    assert.equal(r.code, 1);
    assert.match(r.err, /kernelSize must be odd/);
  });
});

describe('cli output', () => {
  it('generate --json prints one JSON object with the dataset statistics', async () => {
    const r = await run('generate', '--train', '50', '--test', '10', '--seed', '42', '--json');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.equal(lines.length, 1);
    const obj = JSON.parse(lines[0]);
    for (const k of ['train', 'test', 'mean', 'std', 'rejected', 'seconds']) assert.ok(k in obj, k);
    assert.equal(obj.train, 50);
    assert.equal(obj.test, 10);
  });

  it('summary --json gives the parameter count and layers', async () => {
    const r = await run('summary', '--model', 'cnn', '--json');
    assert.equal(r.code, 0, r.err);
    const obj = JSON.parse(r.out);
    assert.equal(obj.params, 62_337);
    assert.equal(obj.layers.filter((l: { type: string }) => l.type === 'Conv1D').length, 5);
  });

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
