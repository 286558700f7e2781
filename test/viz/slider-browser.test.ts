// slider-browser.test.ts: the epoch slider works with no kernel. A throwaway HTML page loads vega
// and vega-lite from node_modules and draws epochSliderFigure's spec (as a notebook stores it,
// rows as CSV) with vega alone; chromium, driven by playwright-core, moves the slider through
// slider-check.ts (the same check browser.test.ts runs on every notebook chart with a slider)
// and the map must follow. A few seconds. Without chromium the test is skipped with one line
// saying why, except in CI (CI=true), where a missing browser fails it; EA_SKIP_BROWSER=1 skips.
import '../setup';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { compactSpec } from '../../src/runtime/display';
import { DEFAULT_DATA, SEQ_LENGTH, generateDataset, shapesOf } from '../../src/data/task';
import { epochSliderFigure } from '../../src/viz/figures/emergence';
import { SNAPSHOT_PARAM } from '../../src/viz/marks/slider';
import { checkSliders, hasRangeBinding } from '../slider-check';

const CHROMIUM = process.env.EA_CHROMIUM || '/usr/bin/chromium';
const IN_CI = /^(true|1)$/i.test(process.env.CI ?? '');
const skip =
  process.env.EA_SKIP_BROWSER === '1'
    ? 'EA_SKIP_BROWSER=1'
    : !IN_CI && !fs.existsSync(CHROMIUM)
      ? `${CHROMIUM} is missing, so the slider was not tried in a browser: apt-get install chromium; with CI=true it is required`
      : false;

const L = SEQ_LENGTH;
/** Snapshot k: every output reads input (10 · k) alone, so each snapshot draws another column. */
const snapshots = Array.from({ length: 6 }, (_, k) => ({
  epoch: [0, 0.25, 0.5, 1, 2, 4][k],
  map: Float32Array.from({ length: L * L }, (_, i) => (i % L === 10 * k ? 1 : 0)),
}));

/** The page: the spec drawn by vega alone into #vis, its bindings in #vis .vega-bindings. */
function page(spec: unknown): string {
  const lib = (p: string) => pathToFileURL(require.resolve(p)).href;
  return `<!doctype html><html><body><div id="vis"></div>
<script src="${lib('vega/build/vega.min.js')}"></script>
<script src="${lib('vega-lite/build/vega-lite.min.js')}"></script>
<script>
  const spec = ${JSON.stringify(spec)};
  window.view = new vega.View(vega.parse(vegaLite.compile(spec).spec), {
    renderer: 'canvas', container: '#vis', hover: true,
  });
  window.view.runAsync().then(() => { document.body.dataset.drawn = 'yes'; },
    (e) => { document.body.dataset.drawn = 'error: ' + e; });
</script></body></html>`;
}

test('the epoch slider redraws the map in a plain browser page, no kernel', { skip }, async () => {
  const spec = compactSpec(
    epochSliderFigure(snapshots, {
      title: 'Slider check',
      shapes: shapesOf(generateDataset({ ...DEFAULT_DATA, nTrain: 20, nTest: 4 }).test, 0),
    }).spec,
  );
  assert.ok(hasRangeBinding(spec));
  // The control: the same chart with its cells pinned to snapshot 5, so only the title follows
  // the slider. The threshold below must tell the two apart.
  const pinned = JSON.parse(
    JSON.stringify(spec).replace(`datum.snap === ${SNAPSHOT_PARAM}`, 'datum.snap === 5'),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-slider-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const drive = async (name: string, s: unknown) => {
      const file = path.join(dir, `${name}.html`);
      fs.writeFileSync(file, page(s));
      const tab = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(String(e)));
      await tab.goto(pathToFileURL(file).href);
      await tab.waitForFunction(() => document.body.dataset.drawn, undefined, { timeout: 20_000 });
      assert.equal(await tab.evaluate(() => document.body.dataset.drawn), 'yes', errors.join('\n'));
      const signal = () =>
        tab.evaluate(
          (n) => (window as unknown as { view: { signal(n: string): number } }).view.signal(n),
          SNAPSHOT_PARAM,
        );
      const start = await signal();
      const checks = await checkSliders(tab.locator('#vis'));
      const end = await signal();
      await tab.close();
      assert.deepEqual(errors, []);
      return { checks, start, end };
    };
    const real = await drive('slider', spec);
    const control = await drive('pinned', pinned);
    assert.equal(real.start, 5, 'the page starts on the last snapshot');
    assert.equal(real.end, 5, 'the slider was moved back');
    assert.equal(real.checks.length, 1, 'one slider');
    const [check] = real.checks;
    assert.deepEqual([check.name, check.from, check.to], [SNAPSHOT_PARAM, 5, 0]);
    // Bug caught: a filter that ignores the param, so only the title changes (the control).
    const share = (x: number) => `${(x * 100).toFixed(2)}%`;
    const threshold = 0.01;
    assert.ok(check.changed > threshold, `only ${share(check.changed)} of the pixels changed`);
    assert.ok(control.checks[0].changed > 0, 'the control retitles');
    assert.ok(
      control.checks[0].changed < threshold,
      `the control changed ${share(control.checks[0].changed)}: the threshold cannot tell`,
    );
    // Bug caught: a picture that does not come back (vega-lite's window transform, grouped on a
    // field a later step rewrites, numbered the cells on from the last snapshot after each move).
    assert.equal(check.residual, 0, 'moving the slider back did not redraw the first picture');
    console.log(
      `slider: ${share(check.changed)} of the pixels changed (title only: ${share(control.checks[0].changed)})`,
    );
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
