// The walk-through's sample numbers: which training and test samples its figures show. These are
// test samples of this project's seeded generator (seed 42) at the blog's indices, not the blog's
// own sequences: the generator draws from a JS PRNG, so sample 84 here has other shapes than the
// blog's sample 84. Every profile keeps these indices in range (see test/train/profiles.test.ts).

/** The test samples the walk-through's prediction figures show, in its order. */
export const BLOG_SAMPLES = [84, 701, 27, 493] as const;

/** The test sample of the walk-through's attention heatmap (the first of BLOG_SAMPLES). */
export const HEATMAP_SAMPLE = BLOG_SAMPLES[0];
