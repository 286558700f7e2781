// Every vega-lite spec, gathered from src/viz/marks/ (one file per mark family: lines, heatmaps,
// the attention pairing view, dots, bars, distributions) with the pieces they share, so
// `import * as charts from './charts'` reaches them all. Specs are pure functions from
// long-format rows (see frames.ts) to a spec, tested on the spec itself and drawn the same in
// JupyterLab, in the static PNG and in data/figures/.
export * from './spec-parts';
export * from './marks/lines';
export * from './marks/heatmaps';
export * from './marks/pairing';
export * from './marks/dots';
export * from './marks/bars';
export * from './marks/distributions';
