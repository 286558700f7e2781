// The flags the CLI's commands share (src/cli/flags.ts), through `main`: a missing or unknown
// model, a model flag for a kind without that field, sizes, profile, and each model flag's bounds;
// and that notebook 08's controls (--no-concat, --pooling, --position-encoding, --position-at)
// reach the model `summary` describes.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exitsTwoWritingNothing, run } from './run';

describe('cli flags: bad input exits 2 with the usage, before any work, writing nothing', () => {
  exitsTwoWritingNothing([
    ['a negative size', ['generate', '--train=-3'], /--train must be an integer >= 2, got -3/],
    ['a non-number', ['generate', '--test', 'ten'], /--test must be a whole number, got 'ten'/],
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
      'a negative window',
      ['train', '--model', 'attention', '--window=-2'],
      /--window must be an integer >= 0, got -2/,
    ],
    [
      'an unknown encoding',
      ['train', '--model', 'attention', '--position-encoding', 'learned'],
      /--position-encoding must be one of none, sinusoidal, binary, got 'learned'/,
    ],
    [
      'an unknown injection point',
      ['train', '--model', 'attention', '--position-encoding', 'binary', '--position-at', 'v'],
      /--position-at must be one of qk, input, got 'v'/,
    ],
    [
      'an injection point with no table to place',
      ['summary', '--model', 'attention', '--position-at', 'input'],
      /attention\.positionAt 'input' needs a positionEncoding/,
    ],
    [
      'an injection point for a model without positions',
      ['train', '--model', 'pooled', '--position-at', 'input'],
      /--position-at does not apply to pooled/,
    ],
    [
      'an unknown pooling',
      ['train', '--model', 'pooled', '--pooling', 'max'],
      /--pooling must be one of learned, uniform, got 'max'/,
    ],
    [
      'a pooling for the attention model',
      ['summary', '--model', 'attention', '--pooling', 'uniform'],
      /--pooling does not apply to attention/,
    ],
    [
      '--concat and --no-concat together',
      ['train', '--model', 'pooled', '--concat', '--no-concat'],
      /give --concat or --no-concat, not both/,
    ],
    [
      '--no-concat for a model without concatenation',
      ['train', '--model', 'attention', '--no-concat'],
      /--concat does not apply to attention/,
    ],
    [
      'a value given to --concat',
      ['train', '--model', 'pooled', '--concat=false'],
      /--concat.*does not take an argument/,
    ],
  ]);
});

describe('cli summary: the controls change the model it describes', () => {
  const params = async (...flags: string[]) => {
    const r = await run('summary', ...flags, '--json');
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out).params as number;
  };

  it('--no-concat, --pooling uniform, --position-encoding and --position-at reach the model', async () => {
    assert.equal(await params('--model', 'pooled'), 62_437);
    assert.equal(await params('--model', 'pooled', '--concat'), 62_437);
    assert.equal(await params('--model', 'pooled', '--no-concat'), 41_957);
    assert.equal(await params('--model', 'pooled', '--pooling', 'uniform'), 62_273);
    assert.equal(await params('--model', 'pooled', '--pooling', 'uniform', '--no-concat'), 41_793);
    const attention = ['--model', 'attention', '--position-encoding'];
    assert.equal(await params(...attention, 'binary'), 58_177);
    assert.equal(await params(...attention, 'binary', '--position-at', 'qk'), 58_177);
    assert.equal(await params(...attention, 'sinusoidal', '--position-at', 'input'), 60_417);
  });

  it('lists the new flags in the usage', async () => {
    const r = await run('--help');
    for (const flag of [
      '[--concat | --no-concat]',
      '[--pooling learned|uniform]',
      '[--position-encoding none|sinusoidal|binary]',
      '[--position-at qk|input]',
    ])
      assert.ok(r.out.includes(flag), flag);
  });
});
