// The best a model can do when it sees each shape but never its partner. The target height of a
// shape is the mean of its own height h and its partner's h′; without h′, the best guess (the one
// with the least squared error) is the mean of h and the expected h′. Heights are uniform on
// [1, 25], so for a box E[h′] = 13 and the guess is (h + 13) / 2; for a triangle the partner
// differs by more than 4 (the validity rule), so E[h′] is the mean of [1, 25] with (h − 4, h + 4)
// cut out. Drawing every shape at that guess and scoring it like a model gives the floor a
// partner-blind model cannot beat, whatever its size.
import {
  HEIGHT_MAX,
  HEIGHT_MIN,
  SEQ_LENGTH,
  Shape,
  Split,
  cleanSequence,
  shapesOf,
} from '../data/task';
import { Dataset } from '../data/task';

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

/** The partner-blind prediction's MSE against a split's targets, in normalised units. */
export function blindLoss(ds: Dataset, split: 'pool' | 'test' = 'test'): number {
  const sp: Split = ds[split];
  let se = 0;
  for (let i = 0; i < sp.n; i++) {
    const guess = cleanSequence(blindShapes(shapesOf(sp, i)));
    for (let t = 0; t < SEQ_LENGTH; t++) {
      const d = (guess[t] - sp.y[i * SEQ_LENGTH + t]) / ds.std;
      se += d * d;
    }
  }
  return se / (sp.n * SEQ_LENGTH);
}
