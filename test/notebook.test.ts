// The notebooks' front door (src/notebook.ts) and the figures module: every notebook imports
// from these two (notebook 4 also from the layer it teaches), and every name it imports there
// exists. tslab only finds a missing export when the cell runs; this finds it without a kernel.
import { ROOT } from './setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as front from '../src/notebook';
import * as figures from '../src/viz/figures';

interface Import {
  notebook: string;
  from: string;
  names: string[];
  typeOnly: boolean;
}

/** Every import statement in the code cells of notebooks/*.ipynb. */
function notebookImports(): Import[] {
  const dir = path.join(ROOT, 'notebooks');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .flatMap((notebook) => {
      const nb = JSON.parse(fs.readFileSync(path.join(dir, notebook), 'utf8'));
      const code: string = nb.cells
        .filter((c: { cell_type: string }) => c.cell_type === 'code')
        .map((c: { source: string[] }) => c.source.join(''))
        .join('\n');
      return [...code.matchAll(/^import (type )?(.*?) from "([^"]+)";/gms)].map((m) => ({
        notebook,
        from: m[3],
        typeOnly: !!m[1],
        names: (m[2].match(/^\{(.*)\}$/s)?.[1] ?? '')
          .split(',')
          .map((n) => n.trim().split(/\s+as\s+/)[0])
          .filter(Boolean),
      }));
    });
}

const imports = notebookImports();
const MODULES: Record<string, Record<string, unknown>> = {
  './src/notebook': front,
  './src/viz/figures': figures,
};

describe('the notebooks import through the front door', () => {
  it('finds the import lines of all nine notebooks', () => {
    assert.equal(new Set(imports.map((i) => i.notebook)).size, 9);
    assert.ok(imports.length >= 16);
  });

  it('imports from ./src/notebook and ./src/viz/figures only, plus the layer notebook 4 teaches', () => {
    for (const i of imports) {
      const allowed = i.notebook.startsWith('04_')
        ? [...Object.keys(MODULES), './src/models/layers/attention', '@tensorflow/tfjs']
        : Object.keys(MODULES);
      assert.ok(allowed.includes(i.from), `${i.notebook} imports from ${i.from}`);
    }
  });

  it('every value a notebook imports from them is exported there', () => {
    for (const i of imports.filter((i) => !i.typeOnly && MODULES[i.from])) {
      for (const name of i.names) {
        assert.ok(name in MODULES[i.from], `${i.notebook}: ${name} is not exported by ${i.from}`);
      }
    }
  });

  it('every type a notebook imports from the front door is re-exported there', () => {
    const source = fs.readFileSync(path.join(ROOT, 'src', 'notebook.ts'), 'utf8');
    const exported = [...source.matchAll(/^export type \{([^}]*)\}/gm)].flatMap((m) =>
      m[1].split(',').map((n) => n.trim()),
    );
    for (const i of imports.filter((i) => i.typeOnly)) {
      for (const name of i.names) assert.ok(exported.includes(name), `${i.notebook}: type ${name}`);
    }
  });

  it('re-exports the blog samples from data/, not from a figure module', () => {
    assert.deepEqual(front.BLOG_SAMPLES, [84, 701, 27, 493]);
    assert.equal('BLOG_SAMPLES' in figures, false);
  });
});

describe('notebook.ts: train', () => {
  const small = { data: { nTrain: 320, nTest: 64 }, tryIt: true, retrain: true };

  it('trains with a named recipe: its schedule, batch and epochs unless fit names them', async () => {
    const run = await front.train('cnn', {}, { ...small, recipe: 'fast', fit: { epochs: 2 } });
    assert.equal(run.record.fit.schedule, 'onecycle');
    assert.equal(run.record.fit.batchSize, 32);
    assert.equal(run.record.fit.epochs, 2);
    assert.equal(run.learner.optimizer.rate < run.record.fit.lr / 25, true); // annealed to the end
    const blog = await front.train('cnn', {}, { ...small, fit: { epochs: 1 } });
    assert.equal(blog.record.fit.schedule, 'flat');
    assert.equal(blog.record.fit.batchSize, 128);
    for (const r of [run, blog]) {
      r.built.model.dispose();
      r.learner.optimizer.dispose();
    }
  });

  it('refuses an unknown recipe before any work', async () => {
    await assert.rejects(
      front.train('cnn', {}, { ...small, recipe: 'turbo' }),
      /recipe must be one of blog, fast/,
    );
  });
});
