// browser.test.ts: runs every notebook in notebooks/ in a real JupyterLab (the project's .venv,
// started through scripts/lab.sh with EA_PROFILE=smoke) driven by Debian's chromium through
// playwright-core. Per notebook: open, Run All Cells, wait for the kernel, assert that no cell
// failed and that every vega-lite output was drawn, that every chart with a slider (a param
// bound to a range input) redraws when the slider moves and draws its first picture again when
// it moves back (slider-check.ts; no kernel involved), save a screenshot to
// test-results/screenshots/<notebook>.png, then close it WITHOUT saving.
// Then, with autosave switched on (every AUTOSAVE_S seconds), each notebook is opened again as a
// copy under test-results/open-check/, left to draw its charts and to pass several autosave
// intervals, and must still be byte-identical: merely reading a notebook must not change it
// (JupyterLab adds an image/png to any vega-lite output lacking one, which marks it modified).
// A metadata change made afterwards must be autosaved, which proves autosave was on.
// The project's Lab settings (no Jupyter-news pop-up, scripts/setup-python.sh) are checked too.
// Without chromium the test is skipped with one line saying why, except in CI (CI=true), where
// it stays required and a missing browser fails it. A missing .venv is always a failure.
// EA_SKIP_BROWSER=1 skips it anyway; EA_CHROMIUM=<path> uses another chromium binary.
// EA_NOTEBOOKS=a.ipynb,b.ipynb runs only those; EA_BROWSER_TIMEOUT_S caps one notebook (default 1800);
// EA_NOTEBOOK_DIR=<folder under the project root> takes the notebooks from there instead of
// notebooks/ (e.g. freshly executed copies, before they replace the committed ones).
import { TMP } from './setup'; // a throwaway data folder: the kernels must never write into data/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { RANGE_BINDING, checkSliders } from './slider-check';

const ROOT = path.resolve(__dirname, '..');
const VENV = path.join(ROOT, '.venv');
/** Debian's package `chromium` installs it here. */
const CHROMIUM = process.env.EA_CHROMIUM || '/usr/bin/chromium';
/** CI sets CI=true (GitHub Actions, GitLab and most others do); there the browser is required. */
const IN_CI = /^(true|1)$/i.test(process.env.CI ?? '');
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
/** The notebooks' folder, relative to the project root (JupyterLab's root). */
const NB_DIR = path.relative(ROOT, path.resolve(ROOT, process.env.EA_NOTEBOOK_DIR ?? 'notebooks'));
/** Where the open-and-wait check puts its copies: inside the Lab root, ignored by git. */
const OPEN_DIR = path.join(ROOT, 'test-results', 'open-check');
/** The autosave interval of the open-and-wait check, in seconds (Lab's default is 120). */
const AUTOSAVE_S = 1;
const NB_TIMEOUT_MS = Number(process.env.EA_BROWSER_TIMEOUT_S ?? 1800) * 1000;
const VEGALITE = 'application/vnd.vegalite.v5+json';
// JupyterLab's vega renderer gives its output node no data-mime-type; vega-embed draws a canvas
// (or an svg.marks) inside div.vega-embed.
const DRAWN = '.jp-OutputArea-output .vega-embed :is(canvas, svg.marks)';
// A drawn chart whose bindings hold a slider (vega puts them in form.vega-bindings).
const SLIDER_CHART = '.jp-OutputArea-output .vega-embed:has(.vega-bindings input[type="range"])';
// tslab reports failures on stderr: compile diagnostics ("2:7 - ...") or a thrown error's stack.
const ERROR_TEXT = /(^|\n)\s*(\d+:\d+ - |[A-Za-z]*Error\b|Uncaught|UnhandledPromiseRejection)/;

/** Why the test is skipped (node:test prints it on the test's line), or false to run it. */
function skipReason(): string | false {
  if (process.env.EA_SKIP_BROWSER === '1') return 'EA_SKIP_BROWSER=1';
  if (!IN_CI && !fs.existsSync(CHROMIUM))
    return `${CHROMIUM} is missing, so the real-browser test did not run: apt-get install chromium (Debian's package) to run it; with CI=true it is required`;
  return false;
}
const skip = skipReason();

// The parts of JupyterLab's application object (window.jupyterapp, exposed by
// --LabApp.expose_app_in_browser) that the test reads.
interface NbOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  data?: Record<string, unknown>;
}
interface NotebookPanel {
  context: { path: string; model: { dirty: boolean } };
  model: { setMetadata(key: string, value: unknown): void } | null;
  sessionContext: {
    session: { kernel: { status: string; name: string } | null } | null;
    shutdown(): Promise<void>;
  };
  content: {
    widgets: {
      model: { type: string; executionCount?: number | null; outputs: { toJSON(): NbOutput[] } };
    }[];
  };
  close(): void;
}
interface LabApp {
  commands: { execute(id: string): Promise<unknown> };
  shell: { currentWidget: NotebookPanel | null };
}
type LabWindow = Window & { jupyterapp?: LabApp };

test(
  'notebooks run in JupyterLab in a real browser',
  { skip, timeout: 6 * 3600_000 },
  async (t) => {
    assert.ok(
      fs.existsSync(CHROMIUM),
      `${CHROMIUM} is missing: apt-get install chromium (Debian's package); CI=true makes the browser required`,
    );
    assert.ok(
      fs.existsSync(path.join(VENV, 'bin', 'jupyter')) &&
        fs.existsSync(path.join(VENV, 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json')),
      `${VENV} has no JupyterLab or no tslab kernel: run npm install (postinstall) or bash scripts/setup-python.sh`,
    );
    assert.ok(
      NB_DIR !== '' && !NB_DIR.startsWith('..') && !path.isAbsolute(NB_DIR),
      `EA_NOTEBOOK_DIR must be a folder under ${ROOT}`,
    );
    const only = (process.env.EA_NOTEBOOKS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const notebooks = fs
      .readdirSync(path.join(ROOT, NB_DIR))
      .filter((f) => f.endsWith('.ipynb') && (only.length === 0 || only.includes(f)))
      .sort();
    for (const want of only)
      assert.ok(notebooks.includes(want), `EA_NOTEBOOKS: ${NB_DIR}/${want} not found`);

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-lab-'));
    const lab = await startLab(tmp);
    let browser: Browser | undefined;
    try {
      const specs = await lab.api<{ default: string; kernelspecs: Record<string, unknown> }>(
        '/api/kernelspecs',
      );
      assert.equal(specs.default, 'tslab', "the server's default kernel should be tslab");
      assert.ok(specs.kernelspecs.tslab, 'the server sees no tslab kernel');
      // The project's Lab settings (scripts/setup-python.sh): never ask about Jupyter news.
      const news = await lab.api<{ schema: { properties: Record<string, { default?: unknown }> } }>(
        '/lab/api/settings/@jupyterlab/apputils-extension:notification',
      );
      assert.equal(
        news.schema.properties.fetchNews.default,
        'false',
        'the Jupyter-news question is not turned off: run bash scripts/setup-python.sh',
      );
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-dev-shm-usage',
        ],
      });
      fs.mkdirSync(SHOTS, { recursive: true });
      if (notebooks.length === 0)
        t.diagnostic('notebooks/ holds no notebooks; only the server was checked');
      for (const nb of notebooks) {
        await t.test(nb, { timeout: NB_TIMEOUT_MS + 300_000 }, () =>
          runNotebook(browser!, lab, nb),
        );
      }
      // From here on autosave is on, so only copies are opened (see openAndWait).
      await lab.api('/lab/api/settings/@jupyterlab/docmanager-extension:plugin', 'PUT', {
        raw: JSON.stringify({ autosave: true, autosaveInterval: AUTOSAVE_S }),
      });
      fs.rmSync(OPEN_DIR, { recursive: true, force: true });
      fs.mkdirSync(OPEN_DIR, { recursive: true });
      for (const nb of notebooks) {
        await t.test(`${nb}: opening it changes no byte`, { timeout: 600_000 }, () =>
          openAndWait(browser!, lab, nb),
        );
      }
    } finally {
      await browser?.close().catch(() => {});
      await lab.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
);

interface Lab {
  base: string;
  token: string;
  api<T = unknown>(p: string, method?: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

async function runNotebook(browser: Browser, lab: Lab, nb: string): Promise<void> {
  const file = path.join(ROOT, NB_DIR, nb);
  const before = sha(file);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const shot = path.join(SHOTS, nb.replace(/\.ipynb$/, '.png'));
  fs.rmSync(shot, { force: true });
  try {
    page.setDefaultTimeout(120_000);
    await page.goto(`${lab.base}/lab/tree/${treePath(`${NB_DIR}/${nb}`)}?reset&token=${lab.token}`);
    await page.waitForFunction(
      (p) => (window as LabWindow).jupyterapp?.shell?.currentWidget?.context?.path === p,
      `${NB_DIR}/${nb}`,
      { timeout: 180_000, polling: 250 },
    );
    await waitForKernel(page);
    // Run All Cells; the command's promise resolves (true = no failure) when every cell has run.
    const ran = await page.evaluate((ms) => {
      const app = (window as LabWindow).jupyterapp!;
      const run = app.commands.execute('notebook:run-all-cells');
      const limit = new Promise((res) => setTimeout(() => res('timeout'), ms));
      return Promise.race([run.then((ok) => ok), limit]);
    }, NB_TIMEOUT_MS);
    assert.notEqual(
      ran,
      'timeout',
      `${nb}: Run All did not finish within ${NB_TIMEOUT_MS / 1000} s`,
    );
    await page.waitForFunction(
      () => {
        const w = (window as LabWindow).jupyterapp!.shell.currentWidget!;
        return w.sessionContext.session?.kernel?.status === 'idle';
      },
      undefined,
      { timeout: 120_000, polling: 250 },
    );

    const state = await page.evaluate(
      ([mime, slider]) => {
        const w = (window as LabWindow).jupyterapp!.shell.currentWidget!;
        const cells = w.content.widgets;
        const out = {
          code: 0,
          unrun: [] as number[],
          stderr: [] as { cell: number; text: string }[],
          errors: [] as { cell: number; text: string }[],
          vegalite: 0,
          sliders: 0,
        };
        cells.forEach((cell, i) => {
          if (cell.model.type !== 'code') return;
          out.code++;
          if (cell.model.executionCount == null) out.unrun.push(i);
          for (const o of cell.model.outputs.toJSON()) {
            if (o.output_type === 'error')
              out.errors.push({ cell: i, text: `${o.ename}: ${o.evalue}` });
            if (o.output_type === 'stream' && o.name === 'stderr')
              out.stderr.push({ cell: i, text: String(o.text) });
            if (o.data && mime in o.data) out.vegalite++;
            if (o.data && mime in o.data && new RegExp(slider).test(JSON.stringify(o.data[mime])))
              out.sliders++;
          }
        });
        return out;
      },
      [VEGALITE, RANGE_BINDING] as const,
    );
    await page
      .waitForFunction(
        ([sel, n]) => document.querySelectorAll(sel as string).length >= (n as number),
        [DRAWN, state.vegalite] as const,
        { timeout: 60_000, polling: 250 },
      )
      .catch(() => {});
    await screenshot(page, shot); // before asserting, to help debugging
    const failed = state.stderr.filter((s) => ERROR_TEXT.test(s.text));
    for (const s of state.stderr.filter((x) => !failed.includes(x)))
      console.log(`${nb} cell ${s.cell} stderr: ${s.text.slice(0, 300)}`);
    const describe = (xs: { cell: number; text: string }[]) =>
      xs.map((x) => `cell ${x.cell}: ${x.text.slice(0, 800)}`).join('\n');
    assert.deepEqual(state.errors, [], `${nb}: error outputs\n${describe(state.errors)}`);
    assert.deepEqual(failed, [], `${nb}: cells failed\n${describe(failed)}`);
    assert.deepEqual(
      state.unrun,
      [],
      `${nb}: code cells that did not run: ${state.unrun.join(', ')}`,
    );
    assert.equal(ran, true, `${nb}: Run All Cells reported a failure`);
    // In the DOM: the error renderer must be absent and every vega-lite output drawn (canvas/svg).
    assert.equal(
      await page
        .locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')
        .count(),
      0,
    );
    const shown = await page.$$eval('.jp-OutputArea-output', (els) =>
      els.map((e) => `${e.getAttribute('data-mime-type')}: ${e.innerHTML.slice(0, 200)}`),
    );
    assert.equal(
      await page.locator(DRAWN).count(),
      state.vegalite,
      `${nb}: vega-lite outputs drawn vs in the notebook; outputs shown:\n${shown.join('\n')}`,
    );
    // Every slider works in the browser alone: moving it redraws, moving it back restores.
    const sliders = page.locator(SLIDER_CHART);
    assert.equal(
      await sliders.count(),
      state.sliders,
      `${nb}: charts showing a slider vs specs with a param bound to a range input`,
    );
    const moved: string[] = [];
    for (let i = 0; i < state.sliders; i++) {
      for (const c of await checkSliders(sliders.nth(i))) {
        const what = `${nb}: slider '${c.name}' of chart ${i + 1} of ${state.sliders}, moved ${c.from} → ${c.to}`;
        assert.ok(c.changed > 0, `${what}: the drawing did not change`);
        assert.equal(c.residual, 0, `${what} and back: the first picture did not return`);
        moved.push(`${c.name} ${(c.changed * 100).toFixed(1)}%`);
      }
    }

    console.log(
      `${nb}: ${state.code} code cells, ${state.vegalite} vega-lite charts drawn${moved.length ? `, sliders redraw (${moved.join(', ')} of the pixels)` : ''}${pageErrors.length ? `, page errors: ${pageErrors.join(' | ')}` : ''}`,
    );
    // Close without saving and shut the kernel down.
    await closeWithoutSaving(page);
  } catch (err) {
    if (!fs.existsSync(shot)) await screenshot(page, shot).catch(() => {});
    throw err;
  } finally {
    await page.close().catch(() => {});
    for (const k of (await lab.api('/api/kernels').catch(() => [])) as { id: string }[]) {
      await lab.api(`/api/kernels/${k.id}`, 'DELETE').catch(() => {});
    }
  }
  assert.equal(sha(file), before, `${nb} was modified on disk (it must be closed without saving)`);
}

/**
 * Opens a copy of notebooks/<nb> (under test-results/open-check/, since autosave is on), lets it
 * start its kernel and draw every chart, waits three autosave intervals and asserts that the
 * file is byte-identical and the document not marked modified. Then changes its metadata and
 * waits for autosave to write that, so a pass cannot come from autosave being off.
 */
async function openAndWait(browser: Browser, lab: Lab, nb: string): Promise<void> {
  const copy = path.join(OPEN_DIR, nb);
  fs.copyFileSync(path.join(ROOT, NB_DIR, nb), copy);
  const original = fs.readFileSync(copy);
  const rel = path.relative(ROOT, copy).split(path.sep).join('/');
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    page.setDefaultTimeout(120_000);
    await page.goto(`${lab.base}/lab/tree/${treePath(rel)}?reset&token=${lab.token}`);
    await page.waitForFunction(
      (p) => (window as LabWindow).jupyterapp?.shell?.currentWidget?.context?.path === p,
      rel,
      { timeout: 180_000, polling: 250 },
    );
    await waitForKernel(page);
    const charts = await page.evaluate((mime) => {
      const w = (window as LabWindow).jupyterapp!.shell.currentWidget!;
      let n = 0;
      for (const cell of w.content.widgets)
        if (cell.model.type === 'code')
          for (const o of cell.model.outputs.toJSON()) if (o.data && mime in o.data) n++;
      return n;
    }, VEGALITE);
    await page.waitForFunction(
      ([sel, n]) => document.querySelectorAll(sel as string).length >= (n as number),
      [DRAWN, charts] as const,
      { timeout: 120_000, polling: 250 },
    );
    await page.waitForTimeout(3 * AUTOSAVE_S * 1000 + 1000);
    const dirty = await page.evaluate(
      () => (window as LabWindow).jupyterapp!.shell.currentWidget!.context.model.dirty,
    );
    const news = await page.evaluate(() => document.body.innerText.includes('Jupyter news'));
    const now = fs.readFileSync(copy);
    assert.ok(
      now.equals(original),
      `${nb} changed on disk just by being opened (${original.length} → ${now.length} bytes): ${changes(original, now)}`,
    );
    assert.equal(dirty, false, `${nb}: JupyterLab marked it modified just by opening it`);
    assert.equal(news, false, `${nb}: JupyterLab asked about Jupyter news`);
    console.log(`${nb}: opened, ${charts} charts drawn, unchanged after ${3 * AUTOSAVE_S + 1} s`);

    // The control: a real change must reach the disk through autosave.
    await page.evaluate(() =>
      (window as LabWindow).jupyterapp!.shell.currentWidget!.model!.setMetadata(
        'ea_autosave_probe',
        true,
      ),
    );
    const deadline = Date.now() + 30_000;
    while (fs.readFileSync(copy).equals(original) && Date.now() < deadline) await sleep(250);
    assert.ok(
      !fs.readFileSync(copy).equals(original),
      `${nb}: autosave did not write a metadata change within 30 s, so the check above proves nothing`,
    );
    await closeWithoutSaving(page);
    fs.rmSync(copy, { force: true });
  } catch (err) {
    await screenshot(page, path.join(SHOTS, nb.replace(/\.ipynb$/, '.open.png'))).catch(() => {});
    throw err;
  } finally {
    await page.close().catch(() => {});
    for (const k of await lab.api<{ id: string }[]>('/api/kernels').catch(() => [])) {
      await lab.api(`/api/kernels/${k.id}`, 'DELETE').catch(() => {});
    }
  }
}

/** Where two saved notebooks differ: the first few JSON paths, e.g. `cells/5/outputs/0/data/image/png`. */
function changes(before: Buffer, after: Buffer): string {
  const paths: string[] = [];
  const walk = (a: unknown, b: unknown, at: string) => {
    if (paths.length >= 5) return;
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const k of keys)
        walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`);
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      paths.push(
        `${at || '/'}${a === undefined ? ' (added)' : b === undefined ? ' (removed)' : ''}`,
      );
    }
  };
  try {
    walk(JSON.parse(before.toString('utf8')), JSON.parse(after.toString('utf8')), '');
  } catch {
    return 'not JSON';
  }
  return paths.length ? paths.join(', ') : 'same JSON, different bytes (formatting)';
}

/** Shuts the kernel down and closes the notebook without saving it. */
async function closeWithoutSaving(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const w = (window as LabWindow).jupyterapp!.shell.currentWidget!;
    await w.sessionContext.shutdown();
    w.context.model.dirty = false;
    w.close();
  });
}

async function waitForKernel(page: Page): Promise<void> {
  // A notebook without kernel metadata first asks which kernel to use: pick TypeScript (tslab).
  const accept = page.locator('.jp-Dialog .jp-Dialog-button.jp-mod-accept');
  const deadline = Date.now() + 180_000;
  for (;;) {
    const status = await page.evaluate(
      () =>
        (window as LabWindow).jupyterapp!.shell.currentWidget?.sessionContext?.session?.kernel
          ?.status,
    );
    if (status === 'idle') {
      const name = await page.evaluate(
        () =>
          (window as LabWindow).jupyterapp!.shell.currentWidget!.sessionContext.session!.kernel!
            .name,
      );
      assert.equal(name, 'tslab', 'the notebook runs on a kernel other than tslab');
      return;
    }
    if (await accept.isVisible().catch(() => false)) {
      await page
        .locator('.jp-Dialog select')
        .selectOption({ label: 'TypeScript' })
        .catch(() => {});
      await accept.click().catch(() => {});
    }
    if (Date.now() > deadline)
      throw new Error(`the kernel did not become idle within 180 s (status ${status})`);
    await sleep(500);
  }
}

async function screenshot(page: Page, file: string): Promise<void> {
  // JupyterLab scrolls inside the notebook, so grow the viewport to the notebook's full height.
  const h = await page.evaluate(() => {
    const el =
      document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer') ??
      document.querySelector('.jp-Notebook');
    return el ? el.scrollHeight : 900;
  });
  await page.setViewportSize({ width: 1280, height: Math.min(Math.max(900, h + 250), 12000) });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: file });
}

async function startLab(tmp: string): Promise<Lab> {
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const base = `http://127.0.0.1:${port}`;
  // Throwaway user settings: autosave off (the test must not write notebooks; openAndWait turns
  // it on for its copies), every cell attached to the DOM (no windowing, so all charts render).
  // No news/update checks: that comes from the project's own Lab settings, checked above.
  const settings = path.join(tmp, 'settings');
  const put = (plugin: string, v: object) => {
    fs.mkdirSync(path.join(settings, path.dirname(plugin)), { recursive: true });
    fs.writeFileSync(path.join(settings, `${plugin}.jupyterlab-settings`), JSON.stringify(v));
  };
  put('@jupyterlab/docmanager-extension/plugin', { autosave: false });
  put('@jupyterlab/notebook-extension/tracker', { windowingMode: 'none' });
  fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
  const log = fs.openSync(path.join(ROOT, 'test-results', 'jupyterlab.log'), 'w');
  const proc: ChildProcess = spawn(
    'bash',
    [
      path.join(ROOT, 'scripts', 'lab.sh'),
      '--no-browser',
      '--ServerApp.ip=127.0.0.1',
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0',
      `--IdentityProvider.token=${token}`,
      '--LabApp.expose_app_in_browser=True',
      `--LabApp.user_settings_dir=${settings}`,
      `--LabApp.workspaces_dir=${path.join(tmp, 'workspaces')}`,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, EA_PROFILE: 'smoke', EA_DATA_DIR: TMP },
      stdio: ['ignore', log, log],
      detached: true,
    },
  );
  let exited = false;
  proc.on('exit', () => {
    exited = true;
  });
  const api = async <T = unknown>(p: string, method = 'GET', body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status}`);
    return (res.status === 204 ? null : await res.json()) as T;
  };
  const stop = async () => {
    if (exited) return;
    await api('/api/shutdown', 'POST').catch(() => {}); // stops kernels and the server cleanly
    for (let i = 0; i < 100 && !exited; i++) await sleep(100);
    if (!exited) {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited) throw new Error(`JupyterLab exited early; see test-results/jupyterlab.log`);
    if (
      await api('/api/status').then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error('JupyterLab did not start within 180 s');
    }
    await sleep(500);
  }
  return { base, token, api, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A path under the Lab root as it goes in a /lab/tree/ URL. */
function treePath(rel: string): string {
  return rel.split(/[\\/]/).map(encodeURIComponent).join('/');
}

function sha(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
