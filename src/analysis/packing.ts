// How tightly a split's shapes are packed, at any sequence length (notebook 9's length test):
// the four shapes keep their widths (5 to 11) at every length, so at 50 steps they crowd
// together and at 200 they spread out. Per split: the share of steps inside a shape (what the
// copy-the-input baseline gets wrong), the mean number of floor steps between neighbouring
// shapes, and the mean centre-to-centre distance of partners. A shape covers the steps
// attention-by-shape.ts's `shapeSpan` gives it (a triangle |t − c| < w/2 + ½, a box |t − c| < w/2),
// cut to the split's length.
import { SEQ_LENGTH, Split, shapesOf } from '../data/task';

export interface Packing {
  length: number;
  samples: number;
  /** Share of all steps that lie inside a shape. */
  onShapes: number;
  /** Mean floor steps between a shape and the next one along the sequence (3 gaps a sample). */
  meanGap: number;
  /** Mean centre-to-centre distance of the two shapes of a pair (2 pairs a sample). */
  partnerDistance: number;
}

/** The packing of a split whose samples have `length` steps (default: the task's 100). */
export function packing(split: Split & { length?: number }): Packing {
  const length = split.length ?? SEQ_LENGTH;
  if (split.n === 0) throw new Error('packing: the split has no samples');
  if (split.x.length !== split.n * length)
    throw new Error(
      `packing: ${split.n} samples of ${length} steps need ${split.n * length} values, the split has ${split.x.length}`,
    );
  let covered = 0;
  let gaps = 0;
  let distance = 0;
  for (let i = 0; i < split.n; i++) {
    const shapes = shapesOf(split, i);
    const spans = shapes.map((s, k) => {
      const reach = k < 2 ? s.w / 2 + 0.5 : s.w / 2;
      const steps: number[] = [];
      for (let t = 0; t < length; t++) if (Math.abs(t - s.c) < reach) steps.push(t);
      return steps;
    });
    covered += new Set(spans.flat()).size;
    const ordered = [...spans].sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < ordered.length; k++)
      gaps += ordered[k][0] - ordered[k - 1][ordered[k - 1].length - 1] - 1;
    distance += Math.abs(shapes[0].c - shapes[1].c) + Math.abs(shapes[2].c - shapes[3].c);
  }
  return {
    length,
    samples: split.n,
    onShapes: covered / (split.n * length),
    meanGap: gaps / (split.n * 3),
    partnerDistance: distance / (split.n * 2),
  };
}
