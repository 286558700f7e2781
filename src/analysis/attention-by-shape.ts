// The attention heatmap reduced to a few numbers: for the output positions of each shape, the
// mean attention mass that lands on each shape's input positions, and on the flat floor.
import { SEQ_LENGTH, Shape } from '../data/task';

export const SHAPE_NAMES = ['triangle 1', 'triangle 2', 'box 1', 'box 2'] as const;

export type ShapeKind = 'triangle' | 'box';

/** The kind of shape `i` of a sample's (tri, tri, box, box). */
export const kindOf = (i: number): ShapeKind => (i < 2 ? 'triangle' : 'box');

/**
 * The steps a shape covers (where its profile is above 0): a triangle reaches |t − c| < w/2 + 0.5
 * (its profile is flat-topped over the middle step), a box only |t − c| < w/2. The kind may be
 * given as the shape's index in (tri, tri, box, box), so `shapes.map(shapeSpan)` is right.
 */
export function shapeSpan(s: Shape, kind: ShapeKind | number = 'triangle'): number[] {
  const k = typeof kind === 'number' ? kindOf(kind) : kind;
  const reach = k === 'triangle' ? s.w / 2 + 0.5 : s.w / 2;
  const steps: number[] = [];
  for (let t = 0; t < SEQ_LENGTH; t++) if (Math.abs(t - s.c) < reach) steps.push(t);
  return steps;
}

export interface ShapeAttentionRow {
  /** Whose output positions this row averages over. */
  from: string;
  /** Mean attention mass on each shape's input positions, keyed by SHAPE_NAMES. */
  to: Record<string, number>;
  /** The rest: the flat floor between the shapes. Rows sum to 1. */
  elsewhere: number;
}

/** `a` is one [100 × 100] attention matrix (row = output position); `shapes` the sample's (tri, tri, box, box). */
export function attentionByShape(
  a: ArrayLike<number>,
  shapes: readonly Shape[],
): ShapeAttentionRow[] {
  const spans = shapes.map(shapeSpan);
  return spans.map((outs, i) => {
    const to: Record<string, number> = {};
    let inShapes = 0;
    spans.forEach((ins, j) => {
      let m = 0;
      for (const o of outs) for (const k of ins) m += a[o * SEQ_LENGTH + k];
      to[SHAPE_NAMES[j]] = m / outs.length;
      inShapes += m / outs.length;
    });
    return { from: SHAPE_NAMES[i], to, elsewhere: 1 - inShapes };
  });
}

/**
 * How close the weights come to the ideal: the target of each shape is its pair's mean height,
 * and attention is a weighted mean, so weight 1/2 on each shape of the pair (and 0 elsewhere)
 * gives exactly that mean. Returns, per shape, the mass on its own pair (ideal 1) and how the
 * pair's mass splits between the partner and itself (ideal 0.5).
 */
export function pairMass(
  rows: readonly ShapeAttentionRow[],
): { from: string; onPair: number; partnerShare: number }[] {
  return rows.map((r, i) => {
    const partner = i ^ 1; // 0↔1 (triangles), 2↔3 (boxes)
    const own = r.to[SHAPE_NAMES[i]];
    const other = r.to[SHAPE_NAMES[partner]];
    return { from: r.from, onPair: own + other, partnerShare: other / (own + other) };
  });
}
