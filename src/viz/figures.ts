// The walk-through's figures, the one module notebooks import them from. A figure takes records
// and arrays (histories, predictions, attention matrices, sweep results) and returns { frame,
// spec }: a long-format danfojs frame and the vega-lite spec drawn from its rows (see figure.ts).
// It never runs a model: inference happens in src/analysis/, the notebook hands its arrays here
// and the spec to `show`. Every optional setting is a field of the last argument, an options
// object. Figures live in src/viz/figures/ by subject; their specs in src/viz/marks/ by mark.
export type { Figure } from './figure';
export * from './figures/task';
export * from './figures/losses';
export * from './figures/predictions';
export * from './figures/attention';
export * from './figures/sweep';
export * from './figures/variants';
export * from './figures/seeds';
export * from './figures/results';
export * from './figures/emergence';
export * from './figures/inside';
export { sweepFrame } from './sweep-frame';
