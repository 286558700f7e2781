// Where the code runs: inside a tslab kernel executing a cell, or plain Node. The one place
// that asks, so charts, progress bars, tables and messages agree. tslab is only read from
// Node's module cache (the kernel has loaded it), so plain Node never loads tslab or zeromq.
import * as path from 'node:path';
import { createRequire } from 'node:module';

export type DisplayMessage = {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
};
export type WriteDisplayData = (msg: DisplayMessage, update: boolean) => void;

/** The output a tslab display object writes: overwritten in place when made by `newDisplay`. */
export interface Display {
  html(s: string): void;
  markdown(s: string): void;
  text(s: string): void;
}

function req(): NodeRequire {
  return typeof require === 'function'
    ? require
    : createRequire(path.join(process.cwd(), 'index.js'));
}

/**
 * tslab's own low-level writer for the running cell (`lastWriteDisplayData` in
 * tslab/dist/jupyter.js), which can send a multi-MIME bundle; null outside a kernel.
 */
export function tslabWriter(): WriteDisplayData | null {
  const r = req();
  let file: string;
  try {
    file = r.resolve('tslab/dist/jupyter.js');
  } catch {
    return null;
  }
  const mod = r.cache[file]?.exports as { lastWriteDisplayData?: unknown } | undefined;
  const fn = mod?.lastWriteDisplayData;
  return typeof fn === 'function' ? (fn as WriteDisplayData) : null;
}

/** True when running inside a tslab kernel that is executing a cell. */
export function inNotebook(): boolean {
  return tslabWriter() !== null;
}

function tslab(): { display: Display; newDisplay(): Display } | undefined {
  if (!inNotebook()) return undefined;
  try {
    return req()('tslab');
  } catch {
    return undefined;
  }
}

/** tslab's display for the running cell, or undefined outside a notebook. */
export function cellDisplay(): Display | undefined {
  return tslab()?.display;
}

/** Set to 1 by scripts/run_notebooks.py for the kernels it starts (reproduce, notebook tests). */
export const HEADLESS_ENV = 'EA_HEADLESS';

/** True when notebooks are executed and saved by a script, with nobody watching them. */
export function headless(): boolean {
  return process.env[HEADLESS_ENV] === '1';
}

/** What a live output draws when nobody watches: nothing. */
const SILENT: Display = { html: () => {}, markdown: () => {}, text: () => {} };

/**
 * A notebook output that can be overwritten in place (progress bars), or undefined outside a
 * notebook. Headless it draws nothing: a progress bar's timings would be saved with the notebook,
 * so the same notebook would differ from run to run (a try-it run trains on a fresh clone's
 * first reproduce and only loads on the next).
 */
export function newDisplay(): Display | undefined {
  if (!inNotebook()) return undefined;
  return headless() ? SILENT : tslab()?.newDisplay();
}
