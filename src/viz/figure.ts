// What every figure returns, and the one helper that builds it: a long-format danfojs frame and
// the vega-lite spec drawn from that frame's rows. The spec is made from `toRows(frame)` and from
// nothing else that varies, so the frame a notebook shows is what the picture draws.
import { Frame, Row, toRows } from './frames';
import type { Spec } from './spec-parts';

export interface Figure {
  frame: Frame;
  spec: Spec;
}

/** A figure whose spec `draw` makes from the frame's rows. */
export function figure(frame: Frame, draw: (rows: Row[]) => Spec): Figure {
  return { frame, spec: draw(toRows(frame)) };
}
