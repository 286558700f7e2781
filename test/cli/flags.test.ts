// The flags the CLI's commands share (src/cli/flags.ts), through `main`: a missing or unknown
// model, a model flag for a kind without that field, sizes, profile, and each model flag's bounds.
import '../setup';
import { describe } from 'node:test';
import { exitsTwoWritingNothing } from './run';

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
      /--position-encoding must be one of none, sinusoidal/,
    ],
  ]);
});
