// Where a sample's shapes are, as rows a chart can draw: each shape's span on the position axis
// (shaded and labelled T1, T2, B1, B2) and, for an attention map, the blocks where a shape's
// output positions meet the input positions of its own pair (the cells the pair mean needs).
import { Shape } from '../data/task';
import { kindOf, shapeSpan } from '../analysis/attention-by-shape';
import { SHAPE_LABELS } from '../analysis/attention-cells';
import { Row } from './frames';

/** One row per shape: (label, kind, start, end), the first and last step it covers. */
export function spanRows(shapes: readonly Shape[]): Row[] {
  return shapes.map((s, i) => {
    const span = shapeSpan(s, kindOf(i));
    return { label: SHAPE_LABELS[i], kind: kindOf(i), start: span[0], end: span[span.length - 1] };
  });
}

/**
 * For each shape, the blocks of an attention map where its output positions (rows, y) read the
 * input positions (columns, x) of itself ('own') and of its partner ('partner'): 8 rectangles
 * (x0, x1, y0, y1) on cell edges, so they outline whole cells.
 */
export function blockRows(shapes: readonly Shape[]): Row[] {
  const spans = spanRows(shapes);
  return spans.flatMap((out, i) =>
    [i, i ^ 1].map((j) => ({
      from: out.label,
      to: spans[j].label,
      relation: i === j ? 'own' : 'partner',
      x0: (spans[j].start as number) - 0.5,
      x1: (spans[j].end as number) + 0.5,
      y0: (out.start as number) - 0.5,
      y1: (out.end as number) + 0.5,
    })),
  );
}
