// One palette for every figure, chosen so the series a reader compares never look alike: the
// target is the reference (near-black, thick), the input is context (light grey, dashed), and
// each model keeps one hue from notebook to notebook (blue, orange, green, purple: far apart in
// hue and in lightness from black and grey). Shape kinds get two pale fills for the spans.

/** The reference and the context lines. */
export const TARGET = '#1b1b1b';
export const INPUT = '#a3a3a3';

/** Each model's colour, the same in every notebook. */
export const MODEL_COLORS: Readonly<Record<string, string>> = {
  cnn: '#4c78a8',
  attention: '#f58518',
  'lstm-blog': '#54a24b',
  'lstm-seq': '#b279a2',
  'lstm-blog-reset': '#88d27a',
};

/** Colours for other series, in order, once the named ones are used. */
const SPARE = ['#e45756', '#72b7b2', '#9d755d', '#eeca3b', '#ff9da6', '#bab0ac'];

/** Pale fills for the spans of the two shape kinds, and a darker line for their labels. */
export const KIND_FILL: Readonly<Record<string, string>> = { triangle: '#f6d78b', box: '#a9cce3' };
export const KIND_INK: Readonly<Record<string, string>> = { triangle: '#9a6b00', box: '#1f5f8b' };

export interface SeriesStyle {
  domain: string[];
  color: string[];
  dash: number[][];
  width: number[];
}

/**
 * Colour, dash and width for each named series, in the given order: `input` grey and dashed,
 * `target` near-black and thick, every other series (a model) solid in its own colour; a name
 * such as 'attention prediction' takes the colour of its first word's model.
 */
export function seriesStyle(names: readonly string[]): SeriesStyle {
  let spare = 0;
  const color = names.map((n) =>
    n === 'input'
      ? INPUT
      : n === 'target'
        ? TARGET
        : (MODEL_COLORS[n] ?? MODEL_COLORS[n.split(' ')[0]] ?? SPARE[spare++ % SPARE.length]),
  );
  return {
    domain: [...names],
    color,
    dash: names.map((n) => (n === 'input' ? [4, 3] : [1, 0])),
    width: names.map((n) => (n === 'target' ? 2.6 : n === 'input' ? 1.3 : 1.7)),
  };
}
