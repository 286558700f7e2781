// What the trained attention does cell by cell: which shape covers a step, which inputs the
// brightest cells read, what the steps around a box read, and the partner's share of the mass.
import { SEQ_LENGTH, Shape, shapesOf } from '../data/task';
import { Learner } from '../train/learner';
import { SHAPE_NAMES, attentionByShape, kindOf, shapeSpan } from './attention-by-shape';
import { partnersOf } from './blind';

import { attentionMaps, quartiles } from './attention-stats';

/** Which shape covers step t ('T1', 'T2', 'B1', 'B2'), or 'floor'. */
export function whereIs(shapes: readonly Shape[], t: number): string {
  const i = shapes.findIndex((s, k) => shapeSpan(s, kindOf(k)).includes(t));
  return i < 0 ? 'floor' : SHAPE_LABELS[i];
}

/** Short labels of the four shapes, in (tri, tri, box, box) order. */
export const SHAPE_LABELS = ['T1', 'T2', 'B1', 'B2'] as const;

export interface TopInputsRow {
  output: number;
  /** What the output position is: a shape's step ('B2') or the floor. */
  at: string;
  /** The k inputs it reads most, strongest first. */
  reads: { input: number; at: string; weight: number }[];
}

/** For each of `outputs`, the `k` input positions with the largest attention weight. */
export function topInputs(
  a: ArrayLike<number>,
  shapes: readonly Shape[],
  outputs: readonly number[],
  k = 2,
): TopInputsRow[] {
  return outputs.map((o) => {
    const row = Array.from({ length: SEQ_LENGTH }, (_, j) => ({
      input: j,
      weight: a[o * SEQ_LENGTH + j],
    }));
    row.sort((p, q) => q.weight - p.weight);
    return {
      output: o,
      at: whereIs(shapes, o),
      reads: row.slice(0, k).map((r) => ({ ...r, at: whereIs(shapes, r.input) })),
    };
  });
}

/**
 * The `n` largest cells of a matrix as (output, input, weight), largest first: where the
 * brightest spots of a heatmap are.
 */
export function brightestCells(
  a: ArrayLike<number>,
  n: number,
): { output: number; input: number; weight: number }[] {
  const cells = Array.from({ length: a.length }, (_, k) => ({
    output: Math.floor(k / SEQ_LENGTH),
    input: k % SEQ_LENGTH,
    weight: a[k],
  }));
  return cells.sort((p, q) => q.weight - p.weight).slice(0, n);
}

/** The steps on either side of each box edge: the last step inside and the first step outside. */
export function boxEdges(shapes: readonly Shape[]): number[] {
  const out = new Set<number>();
  shapes.forEach((s, i) => {
    if (kindOf(i) !== 'box') return;
    const span = shapeSpan(s, 'box');
    const [first, last] = [span[0], span[span.length - 1]];
    for (const t of [first - 1, first, last, last + 1]) if (t >= 0 && t < SEQ_LENGTH) out.add(t);
  });
  return [...out].sort((a, b) => a - b);
}

/** topInputs as flat table rows: the output, what it is, and the inputs it reads most. */
export function topInputRows(rows: readonly TopInputsRow[]): Record<string, string | number>[] {
  return rows.map((r) => ({
    output: r.output,
    'output is': r.at,
    ...Object.fromEntries(
      r.reads.flatMap((x, i) => [
        [`input ${i + 1}`, `${x.input} (${x.at})`],
        [`weight ${i + 1}`, x.weight],
      ]),
    ),
  }));
}

/** brightestCells with each position named ('B2', 'floor', …). */
export function brightestCellRows(
  a: ArrayLike<number>,
  shapes: readonly Shape[],
  n: number,
): Record<string, string | number>[] {
  return brightestCells(a, n).map((c) => ({
    output: c.output,
    'output is': whereIs(shapes, c.output),
    input: c.input,
    'input is': whereIs(shapes, c.input),
    weight: c.weight,
  }));
}

/** The output positions around a box and inside a triangle, by their role. */
export const EDGE_ROLES = [
  'floor step before a box',
  'first box step',
  'middle box step',
  'last box step',
  'first floor step after a box',
  'second floor step after a box',
  'middle triangle step',
] as const;

function roleSteps(shapes: readonly Shape[]): { role: (typeof EDGE_ROLES)[number]; t: number }[] {
  const out: { role: (typeof EDGE_ROLES)[number]; t: number }[] = [];
  shapes.forEach((s, i) => {
    const span = shapeSpan(s, i);
    const [a, b] = [span[0], span[span.length - 1]];
    const mid = Math.round((a + b) / 2);
    if (kindOf(i) === 'triangle') {
      out.push({ role: 'middle triangle step', t: mid });
      return;
    }
    out.push(
      { role: 'floor step before a box', t: a - 1 },
      { role: 'first box step', t: a },
      { role: 'middle box step', t: mid },
      { role: 'last box step', t: b },
      { role: 'first floor step after a box', t: b + 1 },
      { role: 'second floor step after a box', t: b + 2 },
    );
  });
  return out.filter((r) => r.t >= 0 && r.t < SEQ_LENGTH);
}

/**
 * Over many samples, how concentrated each role's reading is: the largest single weight of the
 * output (median and quartiles) and where that strongest input lies (the floor, a box, a
 * triangle), as shares of the outputs of that role.
 */
export function roleReads(
  matrices: readonly ArrayLike<number>[],
  shapes: readonly (readonly Shape[])[],
): Record<string, string | number>[] {
  const acc = new Map<string, { top: number[]; floor: number; box: number; triangle: number }>();
  matrices.forEach((a, k) => {
    for (const { role, t } of roleSteps(shapes[k])) {
      let best = -1;
      let at = 0;
      for (let j = 0; j < SEQ_LENGTH; j++) {
        const w = a[t * SEQ_LENGTH + j];
        if (w > best) [best, at] = [w, j];
      }
      const r = acc.get(role) ?? { top: [], floor: 0, box: 0, triangle: 0 };
      r.top.push(best);
      const where = whereIs(shapes[k], at);
      if (where === 'floor') r.floor++;
      else if (where.startsWith('B')) r.box++;
      else r.triangle++;
      acc.set(role, r);
    }
  });
  return EDGE_ROLES.filter((role) => acc.has(role)).map((role) => {
    const r = acc.get(role)!;
    const q = quartiles(r.top);
    const n = r.top.length;
    return {
      'output position': role,
      outputs: n,
      'largest weight: median': q.median,
      q1: q.q1,
      q3: q.q3,
      'it is on the floor': r.floor / n,
      'on a box': r.box / n,
      'on a triangle': r.triangle / n,
    };
  });
}

/** roleReads for test samples of a trained attention model. */
export function roleReadsOf(
  learner: Learner,
  samples: readonly number[],
): Record<string, string | number>[] {
  return roleReads(
    attentionMaps(learner, samples),
    samples.map((s) => shapesOf(learner.data.test, s)),
  );
}

/**
 * For one map, where each shape's outputs put their attention (mean mass): on the partner, on
 * itself, on the other two shapes, on the floor. The partner follows the pairing: same kind, or
 * same side with `groupByLocations`.
 */
export function partnerMassRows(
  a: ArrayLike<number>,
  shapes: readonly Shape[],
  groupByLocations: boolean,
): {
  shape: string;
  partner: string;
  'on partner': number;
  'on itself': number;
  'on the other two': number;
  floor: number;
}[] {
  const partner = partnersOf(shapes, groupByLocations);
  return attentionByShape(a, shapes).map((row, i) => {
    const on = (j: number) => row.to[SHAPE_NAMES[j]];
    const p = on(partner[i]);
    const self = on(i);
    return {
      shape: SHAPE_LABELS[i],
      partner: SHAPE_LABELS[partner[i]],
      'on partner': p,
      'on itself': self,
      'on the other two': 1 - row.elsewhere - p - self,
      floor: row.elsewhere,
    };
  });
}

/** partnerMassRows over test samples of a trained model: the median of each column. */
export function partnerMassOf(
  learner: Learner,
  samples: readonly number[],
): { 'on partner': number; 'on itself': number; 'on the other two': number; floor: number } {
  const maps = attentionMaps(learner, samples);
  const rows = maps.flatMap((a, k) =>
    partnerMassRows(
      a,
      shapesOf(learner.data.test, samples[k]),
      learner.data.config.groupByLocations,
    ),
  );
  const med = (f: (r: (typeof rows)[number]) => number) => quartiles(rows.map(f)).median;
  return {
    'on partner': med((r) => r['on partner']),
    'on itself': med((r) => r['on itself']),
    'on the other two': med((r) => r['on the other two']),
    floor: med((r) => r.floor),
  };
}
