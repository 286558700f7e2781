// slider-check.ts: drives the range sliders of a vega chart drawn in a real browser and measures
// whether the drawing follows them. Shared by browser.test.ts (charts in JupyterLab, drawn by
// its vega-embed) and viz/slider-browser.test.ts (a chart on a plain page, drawn by vega alone),
// so the check the quick test proves is the one the notebook test runs. Not a test file itself.
import type { Locator } from 'playwright-core';

/**
 * Matches a spec's JSON when some param is bound to a range input (`"bind": {…, "input":
 * "range", …}`). A string, so a page can build the RegExp too.
 */
export const RANGE_BINDING = String.raw`"bind":\{[^{}]*"input":"range"`;

/** Whether a vega-lite spec has a param bound to a range input (a slider). */
export function hasRangeBinding(spec: unknown): boolean {
  return new RegExp(RANGE_BINDING).test(JSON.stringify(spec));
}

/** What moving one slider did. */
export interface SliderCheck {
  /** The slider's signal (its input's `name`). */
  name: string;
  from: number;
  to: number;
  /** Share of the drawing that changed after the move: canvas pixels, or 1/0 for an svg. */
  changed: number;
  /** Share of the drawing still different from the first picture after moving the slider back. */
  residual: number;
}

/**
 * For each range input in `chart` (an element holding one vega view and its `.vega-bindings`):
 * reads the drawing (canvas pixels, or the svg's markup), moves the slider to its max (to its
 * min when it already sits at the max) with the 'input' and 'change' events a user's drag
 * sends, waits up to `timeoutMs` for the drawing to change, measures the change, then moves it
 * back and waits for the first picture to return.
 */
export async function checkSliders(chart: Locator, timeoutMs = 10_000): Promise<SliderCheck[]> {
  // tsx compiles this file keeping function names, which wraps each named inner function of the
  // callback below in a call to its helper `__name`; the page has none, so give it a no-op one.
  await chart.page().evaluate('globalThis.__name ??= (f) => f');
  return chart.evaluate(async (root, ms) => {
    const inputs = Array.from(
      root.querySelectorAll<HTMLInputElement>('.vega-bindings input[type="range"]'),
    );
    const canvas = root.querySelector('canvas');
    const svg = root.querySelector('svg.marks');
    if (!canvas && !svg) throw new Error('checkSliders: no canvas or svg.marks in the chart');
    type Picture = Uint8ClampedArray | string;
    const picture = (): Picture =>
      canvas
        ? canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data.slice()
        : svg!.outerHTML;
    /** Share of pixels (RGBA groups) that differ; 1 for pictures of different sizes or svgs. */
    const diff = (a: Picture, b: Picture): number => {
      if (typeof a === 'string' || typeof b === 'string') return a === b ? 0 : 1;
      if (a.length !== b.length) return 1;
      let n = 0;
      for (let i = 0; i < a.length; i += 4)
        if (
          a[i] !== b[i] ||
          a[i + 1] !== b[i + 1] ||
          a[i + 2] !== b[i + 2] ||
          a[i + 3] !== b[i + 3]
        )
          n++;
      return n / (a.length / 4);
    };
    const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
    const until = async (ok: () => boolean): Promise<boolean> => {
      for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (ok()) return true;
      return ok();
    };
    const move = (input: HTMLInputElement, value: number) => {
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    };
    const out = [];
    for (const input of inputs) {
      const from = Number(input.value);
      const max = Number(input.max);
      const to = from !== max ? max : Number(input.min);
      const before = picture();
      move(input, to);
      await until(() => diff(before, picture()) > 0);
      await sleep(300); // let a redraw in progress finish before measuring it
      const changed = diff(before, picture());
      move(input, from);
      await until(() => diff(before, picture()) === 0);
      out.push({ name: input.name, from, to, changed, residual: diff(before, picture()) });
    }
    return out;
  }, timeoutMs);
}
