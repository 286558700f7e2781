// The best a model can do when it sees each shape but never its partner. The target height of a
// shape is the mean of its own height h and its partner's h′; without h′, the best guess (the one
// with the least squared error) is the mean of h and the expected h′. Heights are uniform on
// [1, 25], so for a box E[h′] = 13 and the guess is (h + 13) / 2; for a triangle the partner
// differs by more than 4 (the validity rule), so E[h′] is the mean of [1, 25] with (h − 4, h + 4)
// cut out. Drawing every shape at that guess and scoring it like a model gives the floor a
// partner-blind model cannot beat, whatever its size.
import {
  Dataset,
  HEIGHT_MAX,
  HEIGHT_MIN,
  SEQ_LENGTH,
  Shape,
  Split,
  cleanSequence,
  shapesOf,
} from '../data/task';

/** E[h′] for a partner drawn uniform on [HEIGHT_MIN, HEIGHT_MAX] outside (h − gap, h + gap). */
export function expectedPartner(h: number, gap = 0): number {
  const parts = [
    [HEIGHT_MIN, Math.max(HEIGHT_MIN, Math.min(HEIGHT_MAX, h - gap))],
    [Math.min(HEIGHT_MAX, Math.max(HEIGHT_MIN, h + gap)), HEIGHT_MAX],
  ];
  const len = parts.reduce((a, [lo, hi]) => a + (hi - lo), 0);
  const moment = parts.reduce((a, [lo, hi]) => a + (hi * hi - lo * lo) / 2, 0);
  return moment / len;
}

/** The shapes with each height replaced by the partner-blind guess (h + E[h′]) / 2. */
export function blindShapes(shapes: readonly Shape[]): Shape[] {
  return shapes.map((s, i) => ({ ...s, h: (s.h + expectedPartner(s.h, i < 2 ? 4 : 0)) / 2 }));
}

/**
 * Draws every sample of a split at the heights `guess` gives its shapes, and scores the drawing
 * against the split's targets like a model: MSE in normalised units. The one scoring loop of
 * this file; the three guesses below differ only in the heights they draw.
 */
function guessLoss(ds: Dataset, sp: Split, guess: (shapes: Shape[]) => Shape[]): number {
  let se = 0;
  for (let i = 0; i < sp.n; i++) {
    const drawn = cleanSequence(guess(shapesOf(sp, i)));
    for (let t = 0; t < SEQ_LENGTH; t++) {
      const d = (drawn[t] - sp.y[i * SEQ_LENGTH + t]) / ds.std;
      se += d * d;
    }
  }
  return se / (sp.n * SEQ_LENGTH);
}

/** The partner-blind prediction's MSE against a split's targets, in normalised units. */
export function blindLoss(ds: Dataset, split: 'pool' | 'test' = 'test'): number {
  return guessLoss(ds, ds[split], blindShapes);
}

/**
 * Which shape is each shape's partner: the other of its kind (0↔1, 2↔3), or with
 * `groupByLocations` the other of its side (the two leftmost centres against the two rightmost).
 */
export function partnersOf(shapes: readonly Shape[], groupByLocations: boolean): number[] {
  if (!groupByLocations) return shapes.map((_, i) => i ^ 1);
  const third = shapes.map((s) => s.c).sort((a, b) => a - b)[2];
  const left = shapes.map((s) => s.c < third);
  return shapes.map((_, i) => shapes.findIndex((__, j) => j !== i && left[j] === left[i]));
}

/**
 * The partner-blind floor measured from the data instead of derived: E[h′ | kind, h] is read off
 * the training pool (heights in `bins` equal bins per kind), every test shape is drawn at
 * (h + E[h′ | kind, h]) / 2 and scored like a model. Works for either pairing of the task
 * (`groupByLocations`, where the validity rule makes E[h′ | h] hard to write down); for the
 * walk-through's pairing it lands on `blindLoss` within sampling noise.
 */
export function empiricalBlindLoss(ds: Dataset, bins = 48): number {
  const byLocation = ds.config.groupByLocations;
  const width = (HEIGHT_MAX - HEIGHT_MIN) / bins;
  const bin = (h: number) => Math.min(bins - 1, Math.max(0, Math.floor((h - HEIGHT_MIN) / width)));
  const sum = new Float64Array(2 * bins);
  const count = new Float64Array(2 * bins);
  for (let i = 0; i < ds.pool.n; i++) {
    const shapes = shapesOf(ds.pool, i);
    const partner = partnersOf(shapes, byLocation);
    shapes.forEach((s, k) => {
      const b = (k < 2 ? 0 : bins) + bin(s.h);
      sum[b] += shapes[partner[k]].h;
      count[b] += 1;
    });
  }
  const expected = (k: number, h: number) => {
    const b = (k < 2 ? 0 : bins) + bin(h);
    return count[b] > 0 ? sum[b] / count[b] : (HEIGHT_MIN + HEIGHT_MAX) / 2;
  };
  return guessLoss(ds, ds.test, (shapes) =>
    shapes.map((s, k) => ({ ...s, h: (s.h + expected(k, s.h)) / 2 })),
  );
}

/**
 * A content-only guess: every shape drawn at the mean of its own height and the average height of
 * the other three shapes, as a model could do that sees all four heights but not which shape is
 * its partner. Scored against the test targets like a model (normalised MSE).
 */
export function contentOnlyLoss(ds: Dataset): number {
  return guessLoss(ds, ds.test, (shapes) => {
    const total = shapes.reduce((a, s) => a + s.h, 0);
    return shapes.map((s) => ({ ...s, h: (s.h + (total - s.h) / (shapes.length - 1)) / 2 }));
  });
}
