// The figures module notebooks import (src/viz/figures.ts): it gathers every figure of
// src/viz/figures/, so a figure added by subject is one a notebook can reach.
import '../setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as figures from '../../src/viz/figures';

describe('the figures module', () => {
  it('re-exports every export of every file in src/viz/figures/', () => {
    const dir = path.join(__dirname, '..', '..', 'src', 'viz', 'figures');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 7);
    for (const f of files) {
      const mod = require(path.join(dir, f)) as Record<string, unknown>; // eslint-disable-line @typescript-eslint/no-require-imports
      for (const [name, value] of Object.entries(mod)) {
        assert.equal((figures as Record<string, unknown>)[name], value, `${f}: ${name}`);
      }
    }
  });

  it('has the sweep frame notebook 7 shows as a table', () => {
    assert.equal(typeof figures.sweepFrame, 'function');
  });
});
