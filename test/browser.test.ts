// browser.test.ts: runs every notebook in notebooks/ in a real JupyterLab (the project's .venv,
// started through scripts/lab.sh with EA_PROFILE=smoke) driven by Debian's chromium through
// playwright-core. Per notebook: open, Run All Cells, wait for the kernel, assert that no cell
// failed and that every vega-lite output was drawn, save a screenshot to
// test-results/screenshots/<notebook>.png, then close it WITHOUT saving.
// Missing chromium or .venv is a failure, not a skip, unless EA_SKIP_BROWSER=1.
// EA_NOTEBOOKS=a.ipynb,b.ipynb runs only those; EA_BROWSER_TIMEOUT_S caps one notebook (default 1800).
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

const ROOT = path.resolve(__dirname, '..');
const VENV = path.join(ROOT, '.venv');
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
const NB_TIMEOUT_MS = Number(process.env.EA_BROWSER_TIMEOUT_S ?? 1800) * 1000;
const VEGALITE = 'application/vnd.vegalite.v5+json';
// tslab reports failures on stderr: compile diagnostics ("2:7 - ...") or a thrown error's stack.
const ERROR_TEXT = /(^|\n)\s*(\d+:\d+ - |[A-Za-z]*Error\b|Uncaught|UnhandledPromiseRejection)/;

const skip = process.env.EA_SKIP_BROWSER === '1' ? 'EA_SKIP_BROWSER=1' : false;

test(
  'notebooks run in JupyterLab in a real browser',
  { skip, timeout: 6 * 3600_000 },
  async (t) => {
    assert.ok(
      fs.existsSync(CHROMIUM),
      `${CHROMIUM} is missing: apt-get install -y chromium (or set EA_SKIP_BROWSER=1)`,
    );
    assert.ok(
      fs.existsSync(path.join(VENV, 'bin', 'jupyter')) &&
        fs.existsSync(path.join(VENV, 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json')),
      `${VENV} has no JupyterLab or no tslab kernel: run npm install (postinstall) or bash scripts/setup-python.sh`,
    );
    const only = (process.env.EA_NOTEBOOKS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const notebooks = fs
      .readdirSync(path.join(ROOT, 'notebooks'))
      .filter((f) => f.endsWith('.ipynb') && (only.length === 0 || only.includes(f)))
      .sort();
    for (const want of only)
      assert.ok(notebooks.includes(want), `EA_NOTEBOOKS: notebooks/${want} not found`);

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-lab-'));
    const lab = await startLab(tmp);
    let browser: Browser | undefined;
    try {
      const specs = await lab.api('/api/kernelspecs');
      assert.equal(specs.default, 'tslab', "the server's default kernel should be tslab");
      assert.ok(specs.kernelspecs.tslab, 'the server sees no tslab kernel');
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
  api(p: string, method?: string): Promise<any>;
  stop(): Promise<void>;
}

async function runNotebook(browser: Browser, lab: Lab, nb: string): Promise<void> {
  const file = path.join(ROOT, 'notebooks', nb);
  const before = sha(file);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const shot = path.join(SHOTS, nb.replace(/\.ipynb$/, '.png'));
  fs.rmSync(shot, { force: true });
  try {
    page.setDefaultTimeout(120_000);
    await page.goto(
      `${lab.base}/lab/tree/notebooks/${encodeURIComponent(nb)}?reset&token=${lab.token}`,
    );
    await page.waitForFunction(
      (p) => (window as any).jupyterapp?.shell?.currentWidget?.context?.path === p,
      `notebooks/${nb}`,
      { timeout: 180_000, polling: 250 },
    );
    await waitForKernel(page);
    // Run All Cells; the command's promise resolves (true = no failure) when every cell has run.
    const ran = await page.evaluate((ms) => {
      const app = (window as any).jupyterapp;
      const run = app.commands.execute('notebook:run-all-cells');
      const limit = new Promise((res) => setTimeout(() => res('timeout'), ms));
      return Promise.race([run.then((ok: boolean) => ok), limit]);
    }, NB_TIMEOUT_MS);
    assert.notEqual(
      ran,
      'timeout',
      `${nb}: Run All did not finish within ${NB_TIMEOUT_MS / 1000} s`,
    );
    await page.waitForFunction(
      () => {
        const w = (window as any).jupyterapp.shell.currentWidget;
        return w.sessionContext.session?.kernel?.status === 'idle';
      },
      undefined,
      { timeout: 120_000, polling: 250 },
    );

    const state = await page.evaluate((mime) => {
      const w = (window as any).jupyterapp.shell.currentWidget;
      const cells: any[] = w.content.widgets;
      const out = {
        code: 0,
        unrun: [] as number[],
        stderr: [] as { cell: number; text: string }[],
        errors: [] as { cell: number; text: string }[],
        vegalite: 0,
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
        }
      });
      return out;
    }, VEGALITE);
    // JupyterLab's vega renderer gives its output node no data-mime-type; vega-embed draws a canvas
    // (or an svg.marks) inside div.vega-embed.
    const drawn = '.jp-OutputArea-output .vega-embed :is(canvas, svg.marks)';
    await page
      .waitForFunction(
        ([sel, n]) => document.querySelectorAll(sel as string).length >= (n as number),
        [drawn, state.vegalite] as const,
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
      await page.locator(drawn).count(),
      state.vegalite,
      `${nb}: vega-lite outputs drawn vs in the notebook; outputs shown:\n${shown.join('\n')}`,
    );

    console.log(
      `${nb}: ${state.code} code cells, ${state.vegalite} vega-lite charts drawn${pageErrors.length ? `, page errors: ${pageErrors.join(' | ')}` : ''}`,
    );
    // Close without saving and shut the kernel down.
    await page.evaluate(async () => {
      const w = (window as any).jupyterapp.shell.currentWidget;
      await w.sessionContext.shutdown();
      w.context.model.dirty = false;
      w.close();
    });
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

async function waitForKernel(page: Page): Promise<void> {
  // A notebook without kernel metadata first asks which kernel to use: pick TypeScript (tslab).
  const accept = page.locator('.jp-Dialog .jp-Dialog-button.jp-mod-accept');
  const deadline = Date.now() + 180_000;
  for (;;) {
    const status = await page.evaluate(
      () => (window as any).jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status,
    );
    if (status === 'idle') {
      const name = await page.evaluate(
        () => (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel.name,
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
  // Throwaway user settings: autosave off (the test must not write notebooks), every cell attached
  // to the DOM (no windowing, so all charts render), no news/update checks.
  const settings = path.join(tmp, 'settings');
  const put = (plugin: string, v: object) => {
    fs.mkdirSync(path.join(settings, path.dirname(plugin)), { recursive: true });
    fs.writeFileSync(path.join(settings, `${plugin}.jupyterlab-settings`), JSON.stringify(v));
  };
  put('@jupyterlab/docmanager-extension/plugin', { autosave: false });
  put('@jupyterlab/notebook-extension/tracker', { windowingMode: 'none' });
  put('@jupyterlab/apputils-extension/notification', {
    fetchNews: 'false',
    checkForUpdates: false,
  });
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
  const api = async (p: string, method = 'GET') => {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: { Authorization: `token ${token}` },
    });
    if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status}`);
    return res.status === 204 ? null : res.json();
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

function sha(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
