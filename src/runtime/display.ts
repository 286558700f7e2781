// display.ts: chart output for the notebooks. `showChart` compiles a vega-lite v5 spec, renders
// it in Node with vega (headless, no browser), rasterises that SVG to a PNG, and sends ONE
// Jupyter display_data whose bundle holds
//   - the spec (application/vnd.vegalite.v5+json), drawn live by JupyterLab 4, with its inline
//     rows written as CSV (see `compactSpec`), so a row costs one short line of text, and
//   - the PNG (image/png), the static picture GitHub and nbviewer show.
// The SVG is not in the bundle: a 10,000-cell heatmap is 2 MB of SVG and ~60 KB of PNG. With
// `name` the SVG is written to data/figures/<name>.svg for readers who want vectors.
//
// Why a PNG at all: JupyterLab's vega-lite renderer adds an image/png to every vega-lite output
// that has none, which marks the notebook modified and autosaves it, so merely opening a
// notebook would change the file. A bundle that already holds its PNG is left alone.
//
// Outside a tslab kernel (plain node, tests) nothing is displayed. tslab's public
// `display.raw(mime, value)` sends a single MIME type, so the bundle goes through tslab's own
// low-level writer (see jupyter.ts).
import * as path from 'node:path';
// resvg-js rasterises SVG in Node from a prebuilt binary shipped inside the npm package (no
// compiler, no browser, no system cairo as node-canvas would need).
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { tslabWriter } from './jupyter';
import { dataDir } from './paths';
import { writeAtomic } from './store';

export type { TopLevelSpec };
export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';
export const PNG_MIME = 'image/png';
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
/** Pixels per SVG pixel in the PNG: 1 keeps a 500×500 heatmap near 60 KB (1.5 gives ~150 KB). */
const PNG_SCALE = 1;
/** Significant digits of the numbers in a chart's inline rows: finer than a pixel on any axis. */
const DISPLAY_DIGITS = 4;

export interface ShowChartOptions {
  /** Also write the SVG to data/figures/<name>.svg (letters, digits, `_`, `-`, `.`). */
  name?: string;
}

/** The MIME bundle of one chart output. */
export interface ChartBundle {
  [VEGALITE_MIME]: TopLevelSpec;
  /** The PNG, base64-encoded as nbformat stores images. */
  [PNG_MIME]: string;
  'text/plain': string;
}

/** Renders a vega-lite spec to a standalone SVG string with vega's headless renderer. */
export async function svgOf(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * The fonts every PNG is drawn with: DejaVu Sans (regular and bold, the two faces vega's text
 * uses) from the pinned npm package `dejavu-fonts-ttf`, never the system's. With system fonts the
 * same chart gave different bytes on machines with other fonts installed, so a reproduce
 * rewrote every PNG. Every generic family (vega writes `sans-serif`) maps to it too.
 */
export const PNG_FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) =>
  path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', f),
);
const PNG_FONT: ResvgRenderOptions['font'] = {
  loadSystemFonts: false,
  fontFiles: PNG_FONT_FILES,
  defaultFontFamily: 'DejaVu Sans',
  sansSerifFamily: 'DejaVu Sans',
  serifFamily: 'DejaVu Sans',
  monospaceFamily: 'DejaVu Sans',
  cursiveFamily: 'DejaVu Sans',
  fantasyFamily: 'DejaVu Sans',
};

/** Rasterises an SVG to PNG bytes at `scale` pixels per SVG pixel, with the bundled fonts only. */
export function pngOf(svg: string, scale = PNG_SCALE): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: PNG_FONT }).render().asPng();
}

/**
 * The chart's output bundle (vega-lite spec with CSV rows + PNG) and its SVG. The PNG and the
 * SVG are drawn from the compacted spec, the one JupyterLab will draw, so the static picture
 * shows exactly the rounded data, and a spec vega cannot read fails here, not in the browser.
 */
export async function chartBundle(
  spec: TopLevelSpec,
): Promise<{ bundle: ChartBundle; svg: string }> {
  const full = compactSpec({ $schema: SCHEMA, ...spec } as TopLevelSpec);
  const svg = await svgOf(full);
  const title = typeof full.title === 'string' ? full.title : (full.description ?? 'chart');
  return {
    bundle: {
      [VEGALITE_MIME]: full,
      [PNG_MIME]: pngOf(svg).toString('base64'),
      'text/plain': `<VegaLite 5 chart: ${title}>`,
    },
    svg,
  };
}

/**
 * Shows a vega-lite chart in the notebook (live vega-lite + static PNG in one output) and,
 * when `opts.name` is given, saves the SVG to data/figures/<name>.svg. Always `await` it, so
 * the output lands in the cell that called it before the cell finishes.
 */
export async function showChart(spec: TopLevelSpec, opts: ShowChartOptions = {}): Promise<void> {
  const send = tslabWriter(); // taken now: it belongs to the cell that is running now
  const { bundle, svg } = await chartBundle(spec);
  if (opts.name !== undefined) writeFigure(opts.name, svg);
  if (!send) return;
  send({ data: { ...bundle }, metadata: {}, transient: {} }, false);
}

/** Absolute path of data/figures/<name>.svg, written atomically (see store.ts). */
export function writeFigure(name: string, svg: string): string {
  if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) {
    throw new Error(`showChart: bad figure name ${JSON.stringify(name)}`);
  }
  const file = path.join(dataDir(), 'figures', `${name}.svg`);
  writeAtomic(file, svg);
  return file;
}

// ---- compact inline data --------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Cell = string | number | boolean | null;
type Parse = 'number' | 'boolean';

/**
 * A plain-JSON copy of `spec` in which every inline `data: {values: [...]}` (top level, in
 * layers, facets, concats, lookups) whose rows are flat records becomes
 * `data: {values: "<csv>", format: {type: "csv", parse: {...}}}`: numbers rounded to
 * `digits` significant digits (integers kept), a parse entry for every number and boolean
 * column, strings quoted per RFC 4180. Rows vega could not read back identically stay JSON:
 * nested values, rows with different keys, a column of mixed types, a null in a string column,
 * a non-finite number, or a column name vega-lite would read as a path (`.`, `[`, `]`, `\`).
 * So do `values` that already carry a `format`.
 */
export function compactSpec<T>(spec: T, digits = DISPLAY_DIGITS): T {
  const walk = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = key === 'data' ? compactData(value, digits) : walk(value);
    }
    return out;
  };
  return walk(JSON.parse(JSON.stringify(spec)) as Json) as T;
}

function compactData(data: Json, digits: number): Json {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  const values = data.values;
  if (!Array.isArray(values) || values.length === 0 || 'format' in data) return data;
  const table = csvOf(values, digits);
  if (!table) return data;
  return { ...data, values: table.csv, format: { type: 'csv', parse: table.parse } };
}

/** RFC 4180 CSV of flat records with one type per column, or null if it would not round-trip. */
export function csvOf(
  rows: readonly unknown[],
  digits = DISPLAY_DIGITS,
): { csv: string; parse: Record<string, Parse> } | null {
  const first = rows[0];
  if (!isRecord(first)) return null;
  const columns = Object.keys(first);
  if (columns.length === 0 || columns.some((c) => /[.[\]\\]/.test(c))) return null;
  const kinds = new Map<string, 'string' | 'number' | 'boolean' | 'null'>(
    columns.map((c) => [c, 'null']),
  );
  for (const row of rows) {
    if (!isRecord(row) || Object.keys(row).length !== columns.length) return null;
    for (const c of columns) {
      if (!(c in row)) return null;
      const v = row[c] as Cell;
      const kind = v === null ? 'null' : typeof v;
      if (kind === 'number' && !Number.isFinite(v)) return null;
      if (kind !== 'null' && kind !== 'string' && kind !== 'number' && kind !== 'boolean')
        return null;
      const seen = kinds.get(c)!;
      if (seen === 'null') kinds.set(c, kind);
      else if (kind !== 'null' && kind !== seen) return null;
    }
  }
  const parse: Record<string, Parse> = {};
  for (const c of columns) {
    const kind = kinds.get(c)!;
    if (kind === 'number' || kind === 'boolean') parse[c] = kind;
    // vega reads an empty CSV field as null only through a parse; a string column keeps "".
    else if (kind === 'null' || rows.some((r) => (r as Record<string, Cell>)[c] === null))
      return null;
  }
  // With one column, a null is an empty line, and vega drops a last empty line.
  if (columns.length === 1 && rows.some((r) => (r as Record<string, Cell>)[columns[0]] === null))
    return null;
  const field = (v: Cell): string => {
    if (v === null) return '';
    if (typeof v === 'number') {
      return String(Number.isInteger(v) ? v : Number(v.toPrecision(digits)));
    }
    const s = String(v);
    // Quoted when it holds a separator, a quote or a line break, or is empty (so a row of one
    // empty string is not an empty line).
    return s === '' || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map(field).join(',')];
  for (const row of rows) {
    const r = row as Record<string, Cell>;
    lines.push(columns.map((c) => field(r[c])).join(','));
  }
  return { csv: lines.join('\n'), parse };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
