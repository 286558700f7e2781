// The CLI's commands that train (src/cli/train-commands.ts), through `main`: train and sweep
// refuse bad input before training anything, and train --json records what it ran.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exitsTwoWritingNothing, run } from './run';

describe('cli train, sweep: bad input exits 2 with the usage, before any work, writing nothing', () => {
  exitsTwoWritingNothing([
    [
      'an even kernel',
      ['train', '--model', 'cnn', '--kernel-size', '4'],
      /cnn\.kernelSize must be odd.*got 4/,
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
      'heads that do not divide',
      ['train', '--model', 'attention', '--heads', '5'],
      /attention\.heads must divide keyChannels \(96\)/,
    ],
    [
      'positions in the data and in the model at once',
      [
        'train',
        '--model',
        'attention',
        '--positional-encoding',
        '--position-encoding',
        'binary',
        '--position-at',
        'input',
      ],
      /give --positional-encoding .* or --position-at input .*, not both/,
    ],
    [
      'a bad pooling before any training',
      ['train', '--model', 'pooled', '--pooling', 'attention', '--epochs', '1'],
      /--pooling must be one of learned, uniform, got 'attention'/,
    ],
    [
      'a bad injection point before any training',
      ['train', '--model', 'attention', '--position-at', 'output', '--epochs', '1'],
      /--position-at must be one of qk, input, got 'output'/,
    ],
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
  ]);
});

describe('cli train: output', () => {
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
