// Command-line flags to typed values (src/runtime/args.ts): a malformed command line is a
// UsageError, a bad value a ConfigError naming the flag.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError, choiceFlag, intFlag, intListFlag, parseFlags } from '../../src/runtime/args';
import { ConfigError } from '../../src/runtime/validate';

/** Asserts that `f` throws a ConfigError for `field` with exactly `message`. */
function rejects(f: () => unknown, field: string, message: string): void {
  assert.throws(f, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `not a ConfigError: ${String(err)}`);
    assert.equal(err.field, field);
    assert.equal(err.message, message);
    return true;
  });
}

const SPEC = { epochs: { type: 'string' }, quick: { type: 'boolean' } } as const;

describe('parseFlags', () => {
  it('reads string and boolean flags, and always knows --json and --help', () => {
    assert.deepEqual(
      { ...parseFlags(['--epochs', '3', '--quick', '--json', '--help'], SPEC) },
      { epochs: '3', quick: true, json: true, help: true },
    );
    assert.deepEqual({ ...parseFlags(['--epochs=4'], SPEC) }, { epochs: '4' });
    assert.deepEqual({ ...parseFlags([], SPEC) }, {});
  });

  it('throws a UsageError naming an unknown flag', () => {
    assert.throws(() => parseFlags(['--epoch', '3'], SPEC), UsageError);
    assert.throws(() => parseFlags(['--epoch', '3'], SPEC), /'--epoch'/);
  });

  it('throws a UsageError naming a flag whose value is missing', () => {
    assert.throws(() => parseFlags(['--epochs'], SPEC), UsageError);
    assert.throws(() => parseFlags(['--epochs'], SPEC), /'--epochs <value>' argument missing/);
  });

  it('throws a UsageError for a positional argument', () => {
    assert.throws(() => parseFlags(['cnn'], SPEC), UsageError);
    assert.throws(() => parseFlags(['cnn'], SPEC), /'cnn'/);
  });
});

describe('intFlag', () => {
  it('gives the fallback when the flag is absent, else the number', () => {
    assert.equal(intFlag({}, 'epochs', 5), 5);
    assert.equal(intFlag({}, 'epochs', undefined), undefined);
    assert.equal(intFlag({ epochs: '7' }, 'epochs', 5), 7);
    assert.equal(intFlag({ epochs: ' 8 ' }, 'epochs', 5), 8);
  });

  it('takes 0 by default, and rejects below the given min', () => {
    assert.equal(intFlag({ seed: '0' }, 'seed', 1), 0);
    rejects(
      () => intFlag({ seed: '-1' }, 'seed', 1),
      '--seed',
      '--seed must be an integer >= 0, got -1',
    );
    rejects(
      () => intFlag({ epochs: '0' }, 'epochs', 5, 1),
      '--epochs',
      '--epochs must be an integer >= 1, got 0',
    );
  });

  it('rejects what is not a whole number, quoting it', () => {
    const whole = (raw: string) => `--epochs must be a whole number, got '${raw}'`;
    for (const raw of ['2.5', 'three', '', ' ', 'NaN', 'Infinity'])
      rejects(() => intFlag({ epochs: raw }, 'epochs', 5), '--epochs', whole(raw));
    rejects(() => intFlag({ epochs: true }, 'epochs', 5), '--epochs', whole('true'));
  });
});

describe('intListFlag', () => {
  it('reads a comma-separated list, or undefined when absent', () => {
    assert.deepEqual(intListFlag({ seeds: '1, 2,30' }, 'seeds'), [1, 2, 30]);
    assert.deepEqual(intListFlag({ seeds: '4' }, 'seeds'), [4]);
    assert.equal(intListFlag({}, 'seeds'), undefined);
    assert.deepEqual(intListFlag({ seeds: '0,1' }, 'seeds', 0), [0, 1]);
  });

  it('names every bad entry at once', () => {
    rejects(
      () => intListFlag({ seeds: '1,x,0,,2.5' }, 'seeds'),
      '--seeds',
      "--seeds: must be a whole number, got 'x'; must be an integer >= 1, got 0; " +
        "must be a whole number, got ''; must be a whole number, got '2.5'",
    );
  });
});

describe('choiceFlag', () => {
  it('gives a listed name, undefined when absent, and rejects others naming the flag', () => {
    const backends = ['cpu', 'tfjs-node'] as const;
    assert.equal(choiceFlag({ backend: 'cpu' }, 'backend', backends), 'cpu');
    assert.equal(choiceFlag({}, 'backend', backends), undefined);
    rejects(
      () => choiceFlag({ backend: 'tpu' }, 'backend', backends),
      '--backend',
      "--backend must be one of cpu, tfjs-node, got 'tpu'",
    );
  });
});
