// The attention the task asks for, written down from the generator's shape positions, and how far
// a map (learned or not) is from it. The definition, for one sample:
//   - an output step inside a shape reads its own shape and its partner (the other of its kind,
//     or of its side with `groupByLocations`) half and half, each half spread evenly over that
//     shape's span: a weighted mean of the values then mixes the two shapes of the pair equally,
//     the pair mean the target asks for;
//   - an output step on the floor reads the floor evenly: the target there is the floor again.
// It is one map of many that carry the right information (any split that the later convs could
// undo would do), but the plainest: no shape of the other pair, no floor for a shape, no
// preference inside a span. Rows sum to 1, row i = output position i, as everywhere else.
//
// The score of a map is 1 − its mean total-variation distance to the ideal rows:
//   TV(p, q) = ½ Σ_j |p_j − q_j|, the mass that has to move to turn one row into the other.
// 1 means the ideal map itself; 0 means every row puts all its mass where the ideal puts none.
// Floor outputs are two thirds of the rows and easy (uniform rows score 0.67 there, 0.17 on shape
// outputs, 0.50 in all on the walk-through's test set), so the score comes per role as well.
// Where the mass goes, role by role, is role-masses.ts.
import { Dataset, SEQ_LENGTH, Shape, shapesOf } from '../data/task';
import { shapeSpan } from './attention-by-shape';
import { partnersOf } from './blind';

const L = SEQ_LENGTH;
const CELLS = L * L;

/** Which shape covers each step (0…3 in (tri, tri, box, box) order), or −1 for the floor: [100]. */
export function shapeRoles(shapes: readonly Shape[]): Int8Array {
  const role = new Int8Array(L).fill(-1);
  shapes.forEach((s, k) => {
    for (const t of shapeSpan(s, k)) if (role[t] < 0) role[t] = k;
  });
  return role;
}

/** Throws unless `a` is one [100 × 100] map. */
export function checkMap(a: ArrayLike<number>, where: string): void {
  if (a.length !== CELLS)
    throw new Error(`${where}: a map has ${CELLS} cells ([100 × 100]), got ${a.length}`);
}

/** The ideal attention of a sample with these shapes (see the header): [100 × 100], row-major. */
export function idealAttention(
  shapes: readonly Shape[],
  opts: { groupByLocations?: boolean } = {},
): Float32Array {
  if (shapes.length !== 4) throw new Error(`idealAttention: 4 shapes, got ${shapes.length}`);
  const role = shapeRoles(shapes);
  const partner = partnersOf(shapes, opts.groupByLocations ?? false);
  const spans = [0, 1, 2, 3].map((k) => [...role.keys()].filter((t) => role[t] === k));
  const floor = [...role.keys()].filter((t) => role[t] < 0);
  const a = new Float32Array(CELLS);
  for (let i = 0; i < L; i++) {
    const k = role[i];
    const reads = k < 0 ? [floor] : [spans[k], spans[partner[k]]];
    for (const span of reads) for (const j of span) a[i * L + j] += 1 / reads.length / span.length;
  }
  return a;
}

/** Total-variation distance of each row of `a` to the same row of `b`: [100], each in [0, 1]. */
export function rowDistances(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  checkMap(a, 'rowDistances');
  checkMap(b, 'rowDistances');
  const d = new Float64Array(L);
  for (let i = 0; i < L; i++) {
    let s = 0;
    for (let j = 0; j < L; j++) s += Math.abs(a[i * L + j] - b[i * L + j]);
    d[i] = s / 2;
  }
  return d;
}

/** The score of the header, over all 100 rows of every map, and over its shape and floor rows. */
export function idealScore(
  maps: readonly ArrayLike<number>[],
  shapes: readonly (readonly Shape[])[],
  opts: { groupByLocations?: boolean } = {},
): { all: number; shapes: number; floor: number } {
  if (maps.length !== shapes.length || maps.length === 0)
    throw new Error(
      `idealScore: one list of shapes per map, at least one map (got ${maps.length} maps, ${shapes.length} shape lists)`,
    );
  const sum = { shapes: 0, floor: 0 };
  const rows = { shapes: 0, floor: 0 };
  maps.forEach((a, k) => {
    const role = shapeRoles(shapes[k]);
    const d = rowDistances(a, idealAttention(shapes[k], opts));
    for (let i = 0; i < L; i++) {
      const g = role[i] < 0 ? 'floor' : 'shapes';
      sum[g] += d[i];
      rows[g]++;
    }
  });
  return {
    all: 1 - (sum.shapes + sum.floor) / (rows.shapes + rows.floor),
    shapes: rows.shapes ? 1 - sum.shapes / rows.shapes : NaN,
    floor: rows.floor ? 1 - sum.floor / rows.floor : NaN,
  };
}

/** The ideal map of one test sample of a dataset (see idealAttention). */
export function idealOf(data: Dataset, sample: number): Float32Array {
  if (!Number.isInteger(sample) || sample < 0 || sample >= data.test.n)
    throw new RangeError(`sample ${sample} is outside the test split (0..${data.test.n - 1})`);
  return idealAttention(shapesOf(data.test, sample), {
    groupByLocations: data.config.groupByLocations,
  });
}
