// Notebook chart output (src/display.ts) outside a kernel: the SVG is rendered and saved.
import { TMP } from '../setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { sequenceChart } from '../../src/viz/charts';
import { showChart, svgOf, writeFigure } from '../../src/runtime/display';

const spec = sequenceChart(
  [
    { t: 0, series: 'input', value: 1 },
    { t: 1, series: 'input', value: 2 },
  ],
  { title: 'A tiny chart' },
);

describe('display', () => {
  it('renders a vega-lite spec to SVG in Node, without a browser', async () => {
    const svg = await svgOf(spec);
    assert.match(svg, /^<svg/);
    assert.match(svg, /A tiny chart/);
  });

  it('saves the figure under data/figures/ and does not need a kernel', async () => {
    await showChart(spec, { name: '99_tiny' });
    const file = path.join(TMP!, 'figures', '99_tiny.svg');
    assert.match(fs.readFileSync(file, 'utf8'), /A tiny chart/);
  });

  it('refuses figure names that could escape the folder', () => {
    assert.throws(() => writeFigure('../evil', '<svg/>'), /bad figure name/);
    assert.throws(() => writeFigure('.hidden', '<svg/>'), /bad figure name/);
  });
});
