// Where a model's error lives: its squared error split by the kind of position (the floor, a
// box's inside, a box's edge steps, a triangle), and its height error against the distance
// between a shape and its partner. Takes predictions as `predictions()` returns them
// ([samples × 100], normalised) and reads the dataset's shapes; runs no model.
import { Dataset, SEQ_LENGTH, shapesOf } from '../data/task';
import { kindOf, shapeSpan } from './attention-by-shape';
import { SHAPE_LABELS } from './attention-cells';
import { shapeHeights } from './heights';

export const POSITION_ROLES = [
  'floor',
  'floor next to a box',
  'box edge step',
  'inside a box',
  'triangle',
] as const;
type Role = (typeof POSITION_ROLES)[number];

/** The role of every step of one sample. */
export function positionRoles(shapes: Parameters<typeof shapeSpan>[0][]): Role[] {
  const role: Role[] = new Array(SEQ_LENGTH).fill('floor');
  shapes.forEach((s, i) => {
    const span = shapeSpan(s, i);
    for (const t of span) role[t] = kindOf(i) === 'triangle' ? 'triangle' : 'inside a box';
    if (kindOf(i) === 'box') {
      const [a, b] = [span[0], span[span.length - 1]];
      role[a] = role[b] = 'box edge step';
      if (a > 0) role[a - 1] = 'floor next to a box';
      if (b < SEQ_LENGTH - 1) role[b + 1] = 'floor next to a box';
    }
  });
  return role;
}

/**
 * Each model's MSE over the test samples, split into the parts that come from each kind of
 * position: the parts add up to the MSE (normalised units). A last row gives the share of
 * positions of each kind.
 */
export function errorByRole(
  ds: Dataset,
  samples: readonly number[],
  predictions: Record<string, Float32Array>,
): Record<string, string | number>[] {
  const n = samples.length * SEQ_LENGTH;
  const roles = samples.map((s) => positionRoles(shapesOf(ds.test, s)));
  const rows: Record<string, string | number>[] = Object.entries(predictions).map(([model, p]) => {
    const part: Record<string, number> = Object.fromEntries(POSITION_ROLES.map((r) => [r, 0]));
    samples.forEach((s, k) => {
      for (let t = 0; t < SEQ_LENGTH; t++) {
        const y = (ds.test.y[s * SEQ_LENGTH + t] - ds.mean) / ds.std;
        part[roles[k][t]] += (p[k * SEQ_LENGTH + t] - y) ** 2 / n;
      }
    });
    return { model, MSE: Object.values(part).reduce((a, b) => a + b, 0), ...part };
  });
  const share: Record<string, number> = Object.fromEntries(POSITION_ROLES.map((r) => [r, 0]));
  for (const r of roles) for (const x of r) share[x] += 1 / n;
  return [...rows, { model: 'share of positions', MSE: 1, ...share }];
}

/**
 * Each model's mean absolute height error (task units, 1 to 25; see heights.ts), with the shapes
 * grouped by how far their partner's centre is: [lo, hi) steps.
 */
export function heightErrorByDistance(
  ds: Dataset,
  samples: readonly number[],
  predictions: Record<string, Float32Array>,
  bins: readonly [number, number][] = [
    [0, 20],
    [20, 40],
    [40, 60],
    [60, 100],
  ],
): Record<string, string | number>[] {
  const rows = shapeHeights(ds, samples, predictions);
  const distance = rows.map((r) => {
    const shapes = shapesOf(ds.test, r.sample);
    const i = (SHAPE_LABELS as readonly string[]).indexOf(r.shape);
    return Math.abs(shapes[i].c - shapes[i ^ 1].c);
  });
  const label = ([lo, hi]: readonly [number, number]) => `${lo}–${hi} steps`;
  const counts = Object.fromEntries(
    bins.map((b) => [label(b), distance.filter((d) => d >= b[0] && d < b[1]).length]),
  );
  return [
    ...Object.keys(predictions).map((model) => ({
      model,
      ...Object.fromEntries(
        bins.map((b) => {
          const e = rows
            .filter((_, k) => distance[k] >= b[0] && distance[k] < b[1])
            .map((r) => Math.abs((r[model] as number) - r.target));
          return [label(b), e.reduce((a, x) => a + x, 0) / Math.max(1, e.length)];
        }),
      ),
    })),
    { model: 'shapes', ...counts },
  ];
}
