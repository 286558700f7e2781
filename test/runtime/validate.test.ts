// The one validator (src/runtime/validate.ts): where each check's accept/reject edge lies, and a
// rejection is a ConfigError whose field and message name what was wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfigError,
  checkBool,
  checkInt,
  checkKnownFields,
  checkNumber,
  checkOddInt,
  checkOneOf,
  collectErrors,
} from '../../src/runtime/validate';

/** Asserts that `f` throws a ConfigError for `field` with exactly `message`. */
function rejects(f: () => unknown, field: string, message: string): void {
  assert.throws(f, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `not a ConfigError: ${String(err)}`);
    assert.equal(err.name, 'ConfigError');
    assert.equal(err.field, field);
    assert.equal(err.message, message);
    return true;
  });
}

describe('checkInt', () => {
  it('accepts integers from min up (min 1 unless given) and returns them', () => {
    assert.equal(checkInt('epochs', 1), 1);
    assert.equal(checkInt('epochs', 1e6), 1e6);
    assert.equal(checkInt('seed', 0, 0), 0);
    assert.equal(checkInt('offset', -3, -3), -3);
  });

  it('rejects values below min, naming the field and the bound', () => {
    rejects(() => checkInt('epochs', 0), 'epochs', 'epochs must be an integer >= 1, got 0');
    rejects(() => checkInt('seed', -1, 0), 'seed', 'seed must be an integer >= 0, got -1');
    rejects(() => checkInt('batch', 31, 32), 'batch', 'batch must be an integer >= 32, got 31');
  });

  it('rejects non-integers, NaN, infinities and numeric strings', () => {
    rejects(() => checkInt('epochs', 2.5), 'epochs', 'epochs must be an integer >= 1, got 2.5');
    rejects(() => checkInt('epochs', NaN), 'epochs', 'epochs must be an integer >= 1, got NaN');
    rejects(
      () => checkInt('epochs', Infinity),
      'epochs',
      'epochs must be an integer >= 1, got Infinity',
    );
    rejects(() => checkInt('epochs', '3'), 'epochs', "epochs must be an integer >= 1, got '3'");
    rejects(
      () => checkInt('epochs', undefined),
      'epochs',
      'epochs must be an integer >= 1, got undefined',
    );
  });
});

describe('checkOddInt', () => {
  it('accepts odd positive integers', () => {
    assert.equal(checkOddInt('cnn.kernelSize', 1), 1);
    assert.equal(checkOddInt('cnn.kernelSize', 5), 5);
  });

  it('rejects even integers, saying why a kernel must be odd', () => {
    rejects(
      () => checkOddInt('cnn.kernelSize', 4),
      'cnn.kernelSize',
      "cnn.kernelSize must be odd (an even kernel cannot be centred on its step under 'same' padding), got 4",
    );
  });

  it('rejects zero, negatives and non-integers as checkInt does', () => {
    const positive = (v: number) => `cnn.kernelSize must be an integer >= 1, got ${v}`;
    rejects(() => checkOddInt('cnn.kernelSize', 0), 'cnn.kernelSize', positive(0));
    rejects(() => checkOddInt('cnn.kernelSize', -3), 'cnn.kernelSize', positive(-3));
    rejects(() => checkOddInt('cnn.kernelSize', 3.5), 'cnn.kernelSize', positive(3.5));
  });
});

describe('checkNumber', () => {
  it('accepts any finite number without bounds, and rejects NaN, infinities and strings', () => {
    assert.equal(checkNumber('x', -1e9), -1e9);
    assert.equal(checkNumber('x', 0), 0);
    rejects(() => checkNumber('x', NaN), 'x', 'x must be a finite number, got NaN');
    rejects(() => checkNumber('x', -Infinity), 'x', 'x must be a finite number, got -Infinity');
    rejects(() => checkNumber('x', '1'), 'x', "x must be a finite number, got '1'");
  });

  it('includes closed bounds and excludes open ones', () => {
    const closed = { min: 0, max: 1 };
    assert.equal(checkNumber('dropout', 0, closed), 0);
    assert.equal(checkNumber('dropout', 1, closed), 1);
    rejects(
      () => checkNumber('dropout', -0.01, closed),
      'dropout',
      'dropout must be a finite number >= 0 and <= 1, got -0.01',
    );
    rejects(
      () => checkNumber('dropout', 1.01, closed),
      'dropout',
      'dropout must be a finite number >= 0 and <= 1, got 1.01',
    );

    const open = { min: 0, max: 1, minOpen: true, maxOpen: true };
    assert.equal(checkNumber('lr', 0.5, open), 0.5);
    rejects(
      () => checkNumber('lr', 0, open),
      'lr',
      'lr must be a finite number > 0 and < 1, got 0',
    );
    rejects(
      () => checkNumber('lr', 1, open),
      'lr',
      'lr must be a finite number > 0 and < 1, got 1',
    );
  });

  it('names only the bound that is given', () => {
    rejects(
      () => checkNumber('lr', 0, { min: 0, minOpen: true }),
      'lr',
      'lr must be a finite number > 0, got 0',
    );
    rejects(
      () => checkNumber('warmup', 2, { max: 1 }),
      'warmup',
      'warmup must be a finite number <= 1, got 2',
    );
  });
});

describe('checkBool', () => {
  it('accepts true and false only', () => {
    assert.equal(checkBool('causal', true), true);
    assert.equal(checkBool('causal', false), false);
    rejects(
      () => checkBool('causal', 'true'),
      'causal',
      "causal must be true or false, got 'true'",
    );
    rejects(() => checkBool('causal', 1), 'causal', 'causal must be true or false, got 1');
  });
});

describe('checkOneOf', () => {
  it('accepts a listed name exactly, and rejects others listing the options', () => {
    const kinds = ['cnn', 'attention'] as const;
    assert.equal(checkOneOf('model', 'cnn', kinds), 'cnn');
    const message = (got: string) => `model must be one of cnn, attention, got ${got}`;
    rejects(() => checkOneOf('model', 'CNN', kinds), 'model', message("'CNN'"));
    rejects(() => checkOneOf('model', 'gpt', kinds), 'model', message("'gpt'"));
    rejects(() => checkOneOf('model', 3, kinds), 'model', message('3'));
  });
});

describe('checkKnownFields', () => {
  it('accepts a subset of the known fields, including none', () => {
    const known = { epochs: 1, lr: 0.001 };
    assert.doesNotThrow(() => checkKnownFields('fit', { lr: 0.01 }, known));
    assert.doesNotThrow(() => checkKnownFields('fit', {}, known));
  });

  it('rejects an unknown field, naming it where it was and listing the known ones', () => {
    rejects(
      () => checkKnownFields('fit', { epochs: 2, epoch: 3 }, { epochs: 1, lr: 0.001 }),
      'fit.epoch',
      "fit: unknown config field 'epoch'; expected one of: epochs, lr",
    );
  });
});

describe('collectErrors', () => {
  it('runs every check and returns all the ConfigErrors in order', () => {
    const errors = collectErrors([
      () => checkInt('a', 0),
      () => checkInt('b', 2),
      () => checkOneOf('c', 'z', ['x', 'y']),
      () => checkNumber('d', NaN),
    ]);
    assert.deepEqual(
      errors.map((e) => e.field),
      ['a', 'c', 'd'],
    );
    assert.ok(errors.every((e) => e instanceof ConfigError));
  });

  it('returns nothing when every check passes', () => {
    assert.deepEqual(collectErrors([() => checkInt('a', 1), () => checkBool('b', true)]), []);
  });

  it('lets any other error through: a bug is not a bad value', () => {
    assert.throws(
      () =>
        collectErrors([
          () => checkInt('a', 0),
          () => {
            throw new TypeError('boom');
          },
        ]),
      TypeError,
    );
  });
});
