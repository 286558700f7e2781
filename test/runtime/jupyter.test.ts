// Where code runs (src/runtime/jupyter.ts): outside a tslab kernel nothing is displayed, and
// EA_HEADLESS=1 (set by scripts/run_notebooks.py) marks notebooks executed with nobody watching.
import { ROOT } from '../setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  HEADLESS_ENV,
  cellDisplay,
  headless,
  inNotebook,
  newDisplay,
  tslabWriter,
} from '../../src/runtime/jupyter';

describe('jupyter', () => {
  it('displays nothing outside a tslab kernel', () => {
    assert.equal(tslabWriter(), null);
    assert.equal(inNotebook(), false);
    assert.equal(cellDisplay(), undefined);
    assert.equal(newDisplay(), undefined);
  });

  it('is headless only when EA_HEADLESS=1', () => {
    const before = process.env[HEADLESS_ENV];
    try {
      process.env[HEADLESS_ENV] = '1';
      assert.equal(headless(), true);
      process.env[HEADLESS_ENV] = '0';
      assert.equal(headless(), false);
      delete process.env[HEADLESS_ENV];
      assert.equal(headless(), false);
    } finally {
      if (before === undefined) delete process.env[HEADLESS_ENV];
      else process.env[HEADLESS_ENV] = before;
    }
  });

  it('is what scripts/run_notebooks.py sets for its kernels', () => {
    const script = fs.readFileSync(path.join(ROOT, 'scripts', 'run_notebooks.py'), 'utf8');
    assert.match(script, new RegExp(`${HEADLESS_ENV}="1"`));
  });
});
