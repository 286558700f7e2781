// The command line (src/cli.ts): argument errors exit 2 with the usage; --json is one object a line.
import { ROOT, TMP } from './setup';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../src/cli';
import { MODEL_KINDS } from '../src/models/configs';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every file under the throwaway data folder, so a test can show that nothing was written. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath ?? d.path, d.name))
    .sort();
}

describe('cli: bad input exits 2 with the usage, before any work, writing nothing', () => {
  const cases: [string, string[], RegExp][] = [
    ['no command', [], /usage: exploring-attention/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown flag', ['generate', '--bogus'], /Unknown option '--bogus'/],
    ['a negative size', ['generate', '--train=-3'], /--train must be an integer >= 2, got -3/],
    ['a non-number', ['generate', '--test', 'ten'], /--test must be a whole number, got 'ten'/],
    ['a fraction', ['generate', '--seed', '1.5'], /--seed must be a whole number/],
    ['a missing model', ['summary'], /--model is required/],
    [
      'an unknown model',
      ['summary', '--model', 'transformer'],
      /model must be one of .*got 'transformer'/,
    ],
    [
      'an unknown profile',
      ['train', '--model', 'cnn', '--profile', 'huge'],
      /profile must be one of full, quick, smoke, got 'huge'/,
    ],
    [
      'a flag for another model',
      ['summary', '--model', 'cnn', '--key-channels', '8'],
      /--key-channels does not apply to cnn/,
    ],
    [
      'an even kernel',
      ['train', '--model', 'cnn', '--kernel-size', '4'],
      /cnn\.kernelSize must be odd.*got 4/,
    ],
    [
      'an even kernel in summary',
      ['summary', '--model', 'attention', '--kernel-size', '4'],
      /attention\.kernelSize must be odd/,
    ],
    [
      'zero epochs',
      ['train', '--model', 'cnn', '--epochs', '0'],
      /--epochs must be an integer >= 1, got 0/,
    ],
    [
      'negative epochs with =',
      ['train', '--model', 'cnn', '--epochs=-3'],
      /--epochs must be an integer >= 1, got -3/,
    ],
    [
      'zero key channels',
      ['train', '--model', 'attention', '--key-channels', '0'],
      /--key-channels must be an integer >= 1, got 0/,
    ],
    [
      'zero heads',
      ['train', '--model', 'attention', '--heads', '0'],
      /--heads must be an integer >= 1, got 0/,
    ],
    [
      'heads that do not divide',
      ['train', '--model', 'attention', '--heads', '5'],
      /attention\.heads must divide keyChannels \(96\)/,
    ],
    [
      'a negative window',
      ['train', '--model', 'attention', '--window=-2'],
      /--window must be an integer >= 0, got -2/,
    ],
    [
      'an unknown encoding',
      ['train', '--model', 'attention', '--position-encoding', 'learned'],
      /--position-encoding must be one of none, sinusoidal/,
    ],
    ['an unknown backend', ['bench', '--backend', 'tpu'], /--backend must be one of/],
    [
      'a sweep list with non-numbers',
      ['sweep', '--model', 'attention', '--kernel-sizes', '3,x,-1'],
      /--kernel-sizes: .*'x'.*got -1/,
    ],
    [
      'a sweep list with even kernels',
      ['sweep', '--model', 'attention', '--kernel-sizes', '3,4,6'],
      /2 bad point\(s\), nothing was trained: .*got 4.*got 6/,
    ],
    [
      'a sweep whose heads do not divide',
      ['sweep', '--model', 'attention', '--heads', '1,5,7'],
      /2 bad point\(s\), nothing was trained: .*got 5.*got 7/,
    ],
  ];
  for (const [what, argv, msg] of cases) {
    it(`${what}`, async () => {
      const before = filesUnder(TMP!);
      const r = await run(...argv);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, msg);
      assert.match(r.err, /usage: exploring-attention <command>/);
      assert.equal(r.out, '');
      assert.deepEqual(filesUnder(TMP!), before, 'nothing written under the data folder');
    });
  }

  it('an unknown EA_BACKEND', async () => {
    process.env.EA_BACKEND = 'tpu';
    try {
      const r = await run('backend');
      assert.equal(r.code, 2);
      assert.match(
        r.err,
        /EA_BACKEND must be one of tfjs-node-gpu, tfjs-node, wasm, cpu, got 'tpu'/,
      );
    } finally {
      delete process.env.EA_BACKEND;
    }
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

  it('summary --json prints the parameters of every model kind', async () => {
    const expected: Record<string, number> = {
      cnn: 62_337,
      attention: 58_177,
      'lstm-blog': 130_660,
      'lstm-seq': 134_401,
    };
    for (const kind of MODEL_KINDS) {
      const r = await run('summary', '--model', kind, '--json');
      assert.equal(r.code, 0, r.err);
      const params = JSON.parse(r.out).params;
      assert.ok(Number.isInteger(params) && params > 0, `${kind}: ${params}`);
      if (kind in expected) assert.equal(params, expected[kind], kind);
    }
  });

  it('train --json records a custom size as custom, and a fresh run as resumed from epoch 0', async () => {
    const r = await run(
      'train',
      '--model',
      'cnn',
      '--train',
      '160',
      '--test',
      '20',
      '--epochs',
      '1',
      '--json',
    );
    assert.equal(r.code, 0, r.err);
    const obj = JSON.parse(r.out);
    assert.equal(obj.profile, 'custom');
    assert.equal(obj.resumed_from_epoch, 0);
    assert.equal(obj.epochs, 1);
  });
});
