// The walk-through's figures, each a long-format danfojs frame plus the vega-lite spec drawn
// from it. A figure takes records and arrays (histories, predictions, attention matrices,
// sweep results) and returns { frame, spec }: it never runs a model. Inference happens in
// src/analysis/; the notebook hands its arrays here and the spec to `showChart`. Every
// optional setting is a field of the last argument, an options object.
// The figures live in three files by subject; this one gathers them, so notebooks import every
// figure from './src/viz/figures'.
export * from './figures-core';
export * from './attention-figures';
export * from './result-figures';
