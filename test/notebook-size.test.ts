// The committed notebooks stay small and valid, and opening one in JupyterLab leaves it alone:
// each notebooks/*.ipynb is at most 1 MB and all of them together at most 5 MB; each matches
// the nbformat schema and is stored byte for byte as Jupyter saves it (so a save without
// changes changes nothing); every vega-lite output carries its PNG (else JupyterLab's renderer
// adds one and the notebook is modified on open) and no output holds an SVG.
// Reads the files only; the schema check runs nbformat in the project's .venv.
import { ROOT } from './setup';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const MAX_NOTEBOOK_BYTES = 1_000_000;
const MAX_TOTAL_BYTES = 5_000_000;
const VEGALITE = 'application/vnd.vegalite.v5+json';

const dir = path.join(ROOT, 'notebooks');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ipynb'))
  .sort()
  .map((f) => path.join(dir, f));
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
}

describe('committed notebooks', () => {
  it('finds the notebooks', () => assert.ok(files.length > 0, `no notebooks in ${dir}`));

  it(`are each at most ${mb(MAX_NOTEBOOK_BYTES)} and together at most ${mb(MAX_TOTAL_BYTES)}`, () => {
    const sizes = files.map((f) => ({ name: path.basename(f), bytes: fs.statSync(f).size }));
    const total = sizes.reduce((s, x) => s + x.bytes, 0);
    const table = sizes.map((s) => `${s.name}: ${mb(s.bytes)}`).join(', ');
    const big = sizes.filter((s) => s.bytes > MAX_NOTEBOOK_BYTES);
    assert.deepEqual(
      big.map((s) => s.name),
      [],
      `over ${mb(MAX_NOTEBOOK_BYTES)}: ${table}`,
    );
    assert.ok(total <= MAX_TOTAL_BYTES, `together ${mb(total)} > ${mb(MAX_TOTAL_BYTES)}: ${table}`);
  });

  it('match the nbformat schema and are stored as Jupyter saves them', () => {
    const py = path.join(ROOT, '.venv', 'bin', 'python');
    assert.ok(fs.existsSync(py), `${py} is missing: run npm install (postinstall creates .venv)`);
    // One line per notebook: "<file>\t<problem>" (nothing when all is well).
    const script = [
      'import sys, nbformat',
      'for f in sys.argv[1:]:',
      '    text = open(f, encoding="utf-8").read()',
      '    try:',
      '        nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)',
      '        nbformat.validate(nb)',
      '    except Exception as e:',
      '        where = "/".join(map(str, getattr(e, "absolute_path", []))) or "top level"',
      '        msg = str(getattr(e, "message", e)).splitlines()[0][:300]',
      '        print(f"{f}\\tinvalid at {where}: {msg}")',
      '        continue',
      '    saved = nbformat.writes(nb) + "\\n"',
      '    if saved != text:',
      '        print(f"{f}\\tnot stored as Jupyter saves it: {len(text)} characters, {len(saved)} once saved")',
    ].join('\n');
    const r = spawnSync(py, ['-c', script, ...files], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      r.stdout.trim().split('\n').filter(Boolean),
      [],
      'run scripts/run_notebooks.py on them (it validates and writes them as Jupyter does)',
    );
  });

  it('give every vega-lite chart its PNG and hold no SVG', () => {
    const problems: string[] = [];
    for (const f of files) {
      const nb = JSON.parse(fs.readFileSync(f, 'utf8')) as { cells: { outputs?: Output[] }[] };
      nb.cells.forEach((cell, i) => {
        for (const o of cell.outputs ?? []) {
          if (!o.data) continue;
          const where = `${path.basename(f)} cell ${i}`;
          if (VEGALITE in o.data && !('image/png' in o.data))
            problems.push(`${where}: a vega-lite chart without image/png`);
          if ('image/svg+xml' in o.data) problems.push(`${where}: an image/svg+xml output`);
        }
      });
    }
    assert.deepEqual(problems, []);
  });
});
