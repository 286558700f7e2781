// display.ts: chart output for the notebooks. `showChart` compiles a vega-lite v5 spec, renders
// a static SVG in Node with vega (headless, no browser) and sends ONE Jupyter display_data whose
// bundle holds the spec (application/vnd.vegalite.v5+json, drawn live by JupyterLab 4) and the
// SVG (image/svg+xml, shown by GitHub and nbviewer). With `name` it also writes
// data/figures/<name>.svg. Outside a tslab kernel (plain node, tests) nothing is displayed.
//
// tslab's public `display.raw(mime, value)` sends a single MIME type, so the bundle goes through
// the function tslab itself uses underneath: `lastWriteDisplayData` in tslab/dist/jupyter.js,
// which the kernel points at the running cell's iopub writer. We only read that module from
// require.cache (the kernel has loaded it), so plain node never loads tslab or zeromq.
import * as path from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { tslabWriter } from './jupyter';
import { dataDir } from './paths';
import { writeAtomic } from './store';

export type { TopLevelSpec };
export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';
export const SVG_MIME = 'image/svg+xml';
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

export interface ShowChartOptions {
  /** Also write the SVG to data/figures/<name>.svg (letters, digits, `_`, `-`, `.`). */
  name?: string;
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
 * Shows a vega-lite chart in the notebook (live vega-lite + static SVG in one output) and,
 * when `opts.name` is given, saves the SVG to data/figures/<name>.svg. Always `await` it, so
 * the output lands in the cell that called it before the cell finishes.
 */
export async function showChart(spec: TopLevelSpec, opts: ShowChartOptions = {}): Promise<void> {
  const send = tslabWriter(); // taken now: it belongs to the cell that is running now
  const full = { $schema: SCHEMA, ...spec } as TopLevelSpec;
  const svg = await svgOf(full);
  if (opts.name !== undefined) writeFigure(opts.name, svg);
  if (!send) return;
  const title = typeof full.title === 'string' ? full.title : (full.description ?? 'chart');
  send(
    {
      data: {
        [VEGALITE_MIME]: JSON.parse(JSON.stringify(full)), // plain JSON, as JupyterLab expects
        [SVG_MIME]: svg,
        'text/plain': `<VegaLite 5 chart: ${title}>`,
      },
      metadata: {},
      transient: {},
    },
    false,
  );
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
