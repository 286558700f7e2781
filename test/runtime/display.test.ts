// Notebook chart output (src/runtime/display.ts): the bundle a kernel sends (vega-lite spec with
// CSV rows + PNG, no SVG), that vega reads the CSV back to the same rows, that the PNG's bytes
// depend on the chart alone (bundled fonts, never the system's), and the SVG file.
import { TMP } from '../setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { attentionHeatmap, lossChart } from '../../src/viz/charts';
import {
  PNG_MIME,
  VEGALITE_MIME,
  PNG_FONT_FILES,
  chartBundle,
  compactSpec,
  csvOf,
  pngOf,
  showChart,
  svgOf,
  writeFigure,
  type TopLevelSpec,
} from '../../src/runtime/display';
import type { DisplayMessage } from '../../src/runtime/jupyter';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// A literal spec with top-level data: what display.ts does with any chart's rows, independent of
// how src/viz/charts.ts lays out a particular one.
const spec: TopLevelSpec = {
  title: 'A tiny chart',
  data: {
    values: [
      { t: 0, series: 'input', value: 1 },
      { t: 1, series: 'input', value: 2 },
    ],
  },
  mark: 'line',
  encoding: {
    x: { field: 't', type: 'quantitative' },
    y: { field: 'value', type: 'quantitative' },
    color: { field: 'series', type: 'nominal' },
  },
};

/** The rows vega holds for the spec's top-level data once vega-lite's parse has run. */
async function parsedRows(s: TopLevelSpec): Promise<Record<string, unknown>[]> {
  const vg = compile(s).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  try {
    await view.runAsync();
    // vega-lite parses CSV columns in the first dataset derived from source_0.
    const parsed = vg.data!.find((d) => 'source' in d && d.source === 'source_0');
    // Plain copies: vega's tuples also carry a symbol-keyed id.
    return view
      .data(parsed ? parsed.name : 'source_0')
      .map((d: Record<string, unknown>) => Object.fromEntries(Object.entries(d)));
  } finally {
    view.finalize();
  }
}

describe('display', () => {
  it('renders a vega-lite spec to SVG in Node, without a browser', async () => {
    const svg = await svgOf(spec);
    assert.match(svg, /^<svg/);
    assert.match(svg, /A tiny chart/);
  });

  it('bundles the vega-lite spec and a PNG, and no SVG', async () => {
    const { bundle, svg } = await chartBundle(spec);
    assert.deepEqual(Object.keys(bundle).sort(), [PNG_MIME, VEGALITE_MIME, 'text/plain'].sort());
    assert.ok(!JSON.stringify(bundle).includes('<svg'), 'no SVG anywhere in the bundle');
    const png = Buffer.from(bundle[PNG_MIME], 'base64');
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    assert.equal(bundle[PNG_MIME], png.toString('base64'), 'plain base64, no line breaks');
    assert.equal(bundle['text/plain'], '<VegaLite 5 chart: A tiny chart>');
    assert.match(svg, /^<svg/);
    const vl = bundle[VEGALITE_MIME] as { $schema: string; data: object };
    assert.match(vl.$schema, /vega-lite\/v5/);
    assert.deepEqual(vl.data, {
      values: 't,series,value\n0,input,1\n1,input,2',
      format: { type: 'csv', parse: { t: 'number', value: 'number' } },
    });
  });

  it('sends that bundle as one display_data through the kernel writer', async (t) => {
    // Stand in for tslab's module as the kernel has it loaded (see jupyter.ts).
    const file = require.resolve('tslab/dist/jupyter.js');
    const sent: DisplayMessage[] = [];
    const saved = require.cache[file];
    require.cache[file] = {
      exports: { lastWriteDisplayData: (m: DisplayMessage) => sent.push(m) },
    } as NodeJS.Module;
    t.after(() => {
      if (saved) require.cache[file] = saved;
      else delete require.cache[file];
    });
    await showChart(spec);
    assert.equal(sent.length, 1);
    assert.deepEqual(
      Object.keys(sent[0].data).sort(),
      [PNG_MIME, VEGALITE_MIME, 'text/plain'].sort(),
    );
  });

  it('writes rows as CSV that vega reads back to the same rows', async () => {
    const rows = [
      { x: 0.123456, label: 'plain', flag: true, n: 3 },
      { x: -1.5e-7, label: 'comma, "quotes"\nand a line break', flag: false, n: null },
      { x: 12345678, label: '', flag: true, n: 0 },
    ];
    const s = compactSpec({
      data: { values: rows },
      mark: 'point',
      encoding: { x: { field: 'x', type: 'quantitative' } },
    } as TopLevelSpec);
    const data = (s as { data: { values: unknown; format: unknown } }).data;
    assert.equal(typeof data.values, 'string');
    assert.deepEqual(data.format, {
      type: 'csv',
      parse: { x: 'number', flag: 'boolean', n: 'number' },
    });
    // Numbers keep 4 significant digits; integers are kept whole.
    assert.deepEqual(await parsedRows(s), [
      { x: 0.1235, label: 'plain', flag: true, n: 3 },
      { x: -1.5e-7, label: 'comma, "quotes"\nand a line break', flag: false, n: null },
      { x: 12345678, label: '', flag: true, n: 0 },
    ]);
  });

  it('compacts nested data and leaves rows CSV cannot carry as JSON', () => {
    const nested = [{ a: { b: 1 } }];
    const mixed = [{ a: 1 }, { a: 'one' }];
    const ragged = [{ a: 1 }, { a: 2, b: 3 }];
    const dotted = [{ 'a.b': 1 }];
    const s = compactSpec({
      layer: [
        { data: { values: [{ a: 1.23456 }] }, mark: 'point' },
        { data: { values: nested }, mark: 'point' },
        { data: { values: mixed }, mark: 'point' },
        { data: { values: ragged }, mark: 'point' },
        { data: { values: dotted }, mark: 'point' },
        { data: { values: [{ a: 1 }], format: { type: 'json' } }, mark: 'point' },
      ],
    }) as { layer: { data: unknown }[] };
    assert.deepEqual(s.layer[0].data, {
      values: 'a\n1.235',
      format: { type: 'csv', parse: { a: 'number' } },
    });
    assert.deepEqual(
      s.layer.slice(1).map((l) => l.data),
      [
        { values: nested },
        { values: mixed },
        { values: ragged },
        { values: dotted },
        { values: [{ a: 1 }], format: { type: 'json' } },
      ],
    );
    assert.equal(csvOf([{ s: null }, { s: 'x' }]), null, 'a null in a string column');
  });

  it('keeps a 10,000-cell heatmap and a 7,900-point loss curve small', async () => {
    const cells = [];
    for (let output = 0; output < 100; output++)
      for (let input = 0; input < 100; input++)
        cells.push({ input, output, attention: Math.abs(Math.sin(input * 7 + output * 3)) / 50 });
    const heat = await chartBundle(attentionHeatmap(cells, { title: 'heatmap' }));
    const loss = await chartBundle(
      lossChart(
        Array.from({ length: 7900 }, (_, i) => ({
          step: i + 1,
          epoch: Math.floor(i / 158),
          series: 'train',
          model: 'cnn',
          value: 0.07 + 0.9 / (i + 1) + 0.01 * Math.sin(i),
        })),
        { title: 'loss' },
      ),
    );
    const bytes = (b: object) => JSON.stringify(b).length;
    const pngBytes = (b: { [PNG_MIME]: string }) => Buffer.from(b[PNG_MIME], 'base64').length;
    assert.ok(pngBytes(heat.bundle) < 100_000, `heatmap PNG: ${pngBytes(heat.bundle)} bytes`);
    assert.ok(bytes(heat.bundle) < 300_000, `heatmap bundle: ${bytes(heat.bundle)} bytes`);
    assert.ok(bytes(loss.bundle) < 400_000, `loss bundle: ${bytes(loss.bundle)} bytes`);
    assert.equal((await parsedRows(heat.bundle[VEGALITE_MIME])).length, 10_000);
  });

  describe('PNG bytes', () => {
    // One line of text in a 200×40 SVG, in the given font family.
    const textSvg = (family: string, text = 'epoch 0.0671 ±√β') =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">` +
      `<text x="4" y="26" font-family="${family}" font-size="14">${text}</text></svg>`;

    it('are the same for two renders of the same chart', async () => {
      const a = await chartBundle(spec);
      const b = await chartBundle(spec);
      assert.equal(a.bundle[PNG_MIME], b.bundle[PNG_MIME]);
      assert.ok(pngOf(a.svg).equals(pngOf(a.svg)));
    });

    it('draw text with the bundled DejaVu Sans, whatever family the SVG names', () => {
      for (const f of PNG_FONT_FILES) assert.ok(fs.existsSync(f), `${f} is missing`);
      const sans = pngOf(textSvg('sans-serif'));
      // Text is drawn: a font was found (with none, resvg silently drops the text).
      assert.ok(!sans.equals(pngOf(textSvg('sans-serif', ''))), 'the text was not drawn');
      // A family only the system could have (Debian's fonts-dejavu-core installs DejaVu Serif)
      // and one nobody has both fall back to the bundled font: system fonts are never read.
      assert.ok(pngOf(textSvg('DejaVu Serif')).equals(sans), 'a system font was used');
      assert.ok(pngOf(textSvg('No Such Font')).equals(sans));
    });
  });

  describe('figure files', () => {
    let dir: string;
    before(() => (dir = path.join(TMP!, 'figures')));
    after(() => fs.rmSync(path.join(dir, '99_tiny.svg'), { force: true }));

    it('saves the SVG under data/figures/ and does not need a kernel', async () => {
      await showChart(spec, { name: '99_tiny' });
      assert.match(fs.readFileSync(path.join(dir, '99_tiny.svg'), 'utf8'), /^<svg[^]*A tiny chart/);
    });

    it('refuses figure names that could escape the folder', () => {
      assert.throws(() => writeFigure('../evil', '<svg/>'), /bad figure name/);
      assert.throws(() => writeFigure('.hidden', '<svg/>'), /bad figure name/);
    });
  });
});
