// Every notebook executes headless (nbclient + the project's tslab kernel) in the smoke profile,
// on copies in a temp folder, with no error outputs; every chart output carries both the
// vega-lite spec and the static PNG, and no SVG. Executing a notebook again, with nothing left to
// train, writes the same bytes (what `npm run reproduce` twice needs to leave git clean).
import { ROOT, TMP } from './setup';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { train } from '../src/notebook';
import { getProfile } from '../src/train/profiles';
import { notebooks } from '../src/train/reproduce';
import { planRun, saveRun } from '../src/train/runs';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** The notebook the idempotence check executes: small, with a saved run's line, a chart and a try-it run. */
const IDEMPOTENT = '03_overfit_check.ipynb';

/** Executes notebooks in order, each in a fresh kernel, writing each back with its outputs. */
function execute(files: string[]) {
  const py = path.join(ROOT, '.venv', 'bin', 'python');
  assert.ok(fs.existsSync(py), `${py} is missing: run npm install (postinstall creates .venv)`);
  return spawnSync(
    py,
    [path.join(ROOT, 'scripts', 'run_notebooks.py'), '--timeout', '3000', ...files],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, EA_PROFILE: 'smoke' },
    },
  );
}

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

describe('notebooks (smoke profile, headless)', () => {
  const dir = path.join(TMP!, 'notebooks');
  fs.mkdirSync(dir, { recursive: true });
  const files = notebooks().map((f) => {
    const copy = path.join(dir, path.basename(f));
    fs.copyFileSync(f, copy);
    return copy;
  });

  it('finds the walk-through notebooks in reading order', () => {
    assert.deepEqual(
      files.map((f) => path.basename(f).slice(0, 2)),
      ['01', '02', '03', '04', '05', '06', '07', '08', '09'],
    );
  });

  it('executes every notebook without errors', { timeout: 3_600_000 }, () => {
    const r = execute(files);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  });

  it(
    `writes ${IDEMPOTENT} byte for byte the same when it runs again with nothing to train`,
    {
      timeout: 1_800_000,
    },
    () => {
      // Three copies, executed in order: the first trains whatever is not saved yet (nothing, after
      // the test above), the next two only load, and must write identical files: PNGs, the saved
      // run's line, tables and the try-it run's line included.
      const src = path.join(ROOT, 'notebooks', IDEMPOTENT);
      const copies = ['warm', 'first', 'second'].map((n) => {
        const copy = path.join(TMP!, 'idempotence', n, IDEMPOTENT);
        fs.mkdirSync(path.dirname(copy), { recursive: true });
        fs.copyFileSync(src, copy);
        return copy;
      });
      const r = execute(copies);
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const [, first, second] = copies.map((f) => fs.readFileSync(f));
      assert.ok(first.length > fs.statSync(src).size / 2, 'the notebook was not written back');
      const at = first.findIndex((b, i) => b !== second[i]);
      assert.ok(
        first.equals(second),
        `the second run changed ${IDEMPOTENT} at byte ${at}: ${JSON.stringify(first.subarray(Math.max(0, at - 80), at + 80).toString())} became ${JSON.stringify(second.subarray(Math.max(0, at - 80), at + 80).toString())}`,
      );
      // Its try-it cell's run went to the git-ignored try-it folder, not beside the saved runs.
      const overfits = (dir: string) =>
        fs.readdirSync(dir).filter((f) => f.startsWith('overfit-attention-'));
      assert.equal(overfits(path.join(TMP!, 'tmp', 'try-it', 'results')).length, 1);
      assert.deepEqual(overfits(path.join(TMP!, 'results')), []);
    },
  );

  it('leaves no error output and pairs every vega-lite chart with its PNG', () => {
    let charts = 0;
    for (const f of files) {
      const nb = JSON.parse(fs.readFileSync(f, 'utf8'));
      const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code');
      assert.ok(
        code.every((c: { execution_count: number | null }) => c.execution_count !== null),
        `${path.basename(f)}: every code cell ran`,
      );
      for (const cell of code) {
        for (const o of cell.outputs as Output[]) {
          assert.notEqual(o.output_type, 'error', `${path.basename(f)}: error output`);
          // Executed headless (EA_HEADLESS=1), training draws no progress bar: its timings would
          // make the saved notebook differ from run to run.
          assert.ok(
            !String(o.data?.['text/html'] ?? '').includes('<progress'),
            `${path.basename(f)}: a progress bar was saved`,
          );
          const text = Array.isArray(o.text) ? o.text.join('') : (o.text ?? '');
          assert.ok(
            !(o.name === 'stderr' && /Error|Traceback/.test(text)),
            `${path.basename(f)}: stderr says ${text.slice(0, 300)}`,
          );
          if (o.data?.['application/vnd.vegalite.v5+json']) {
            charts++;
            // The PNG makes JupyterLab leave the output (and the file) alone; the SVG is only
            // in data/figures/.
            const png = o.data['image/png'];
            assert.equal(typeof png, 'string', `${path.basename(f)}: a chart without its PNG`);
            assert.ok(
              Buffer.from(png as string, 'base64')
                .subarray(0, 8)
                .equals(PNG_SIGNATURE),
              `${path.basename(f)}: image/png is not a PNG`,
            );
            assert.ok(!('image/svg+xml' in o.data), `${path.basename(f)}: an SVG in the notebook`);
          }
        }
      }
    }
    assert.ok(charts >= 18, `expected every figure as a chart output, found ${charts}`);
    // A backend that fails inside the kernel falls back quietly to the slow pure-JS one; catch that.
    if (process.env.EA_BACKEND !== 'cpu') {
      for (const f of files) {
        const text = fs.readFileSync(f, 'utf8');
        const line = /backend: ([\w-]+)/.exec(text);
        assert.ok(line, `${path.basename(f)}: no backend line`);
        assert.notEqual(
          line[1],
          'cpu',
          `${path.basename(f)} ran on the cpu backend: ${text.slice(line.index, line.index + 300)}`,
        );
      }
    }
    const figures = fs.readdirSync(path.join(TMP!, 'figures'));
    assert.ok(
      figures.includes('05_attention_heatmap_84.svg') && figures.includes('01_sample_123.svg'),
      figures.join(', '),
    );
  });
});

describe("a run's line in a notebook", () => {
  const tiny = { data: { nTrain: 320 }, fit: { epochs: 1 } };
  /** The lines `train` says (outside a kernel, on the console) while `fn` runs. */
  async function said(fn: () => Promise<unknown>): Promise<string[]> {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => lines.push(args.join(' '));
    try {
      await fn();
    } finally {
      console.log = log;
    }
    return lines;
  }

  it('quotes what the saved run recorded (its backend), not what loading it took, and no seconds', async () => {
    const first = await train('cnn', { channels: 8 }, tiny);
    // Give the saved run numbers no clock or backend would produce now, then load it.
    const plan = planRun({
      kind: 'cnn',
      config: { channels: 8 },
      data: { ...tiny.data, nTest: getProfile().nTest },
      fit: tiny.fit,
    });
    const record = { ...first.record, epochSeconds: [41.5], backend: 'recorded-backend' };
    await saveRun(plan.file, plan.key, first.built, record);
    const lines = await said(() => train('cnn', { channels: 8 }, tiny));
    // The recorded backend, and no seconds: a run's wall clock is not a speed (that is bench's).
    assert.ok(
      lines.some((l) => /^cnn: loaded the saved run \(.*, 1 epochs, on recorded-backend\)/.test(l)),
      lines.join('\n'),
    );
    assert.ok(!lines.some((l) => /41\.5|s\/epoch/.test(l)), lines.join('\n'));
  });

  it('reads the same for a try-it run whether it was trained now or loaded', async () => {
    const opts = { ...tiny, tryIt: true };
    const trained = await said(() => train('cnn', { channels: 4 }, opts));
    const loaded = await said(() => train('cnn', { channels: 4 }, opts));
    const line = (ls: string[]) => ls.filter((l) => l.startsWith('cnn: '));
    assert.equal(line(trained).length, 1, trained.join('\n'));
    assert.deepEqual(line(loaded), line(trained));
    assert.match(line(trained)[0], /^cnn: try-it run, kept in data\/tmp\/try-it\/ \(/);
  });
});
