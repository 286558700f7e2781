// How far apart the two shapes of a pair are: the reach an output position needs to find its
// partner. Each target height is the mean of a pair, so a local window narrower than this
// distance cannot see the partner at all.
import { Split, shapesOf } from '../data/task';
import { shapeSpan } from './attention-by-shape';

export interface PartnerDistance {
  sample: number;
  pair: 'triangles' | 'boxes';
  /** |c1 − c2| in steps between the pair's centres. */
  distance: number;
}

/** The centre-to-centre distance of both pairs of every sample of a split. */
export function partnerDistances(split: Split): PartnerDistance[] {
  const out: PartnerDistance[] = [];
  for (let i = 0; i < split.n; i++) {
    const [t1, t2, b1, b2] = shapesOf(split, i);
    out.push({ sample: i, pair: 'triangles', distance: Math.abs(t1.c - t2.c) });
    out.push({ sample: i, pair: 'boxes', distance: Math.abs(b1.c - b2.c) });
  }
  return out;
}

/**
 * The share of shape positions (steps inside a triangle or a box) whose nearest partner step is
 * more than `window` steps away: positions that a ±window attention cannot connect to the
 * height they need. 0 means the window reaches every partner.
 */
export function outOfReach(split: Split, window: number): number {
  let far = 0;
  let all = 0;
  for (let i = 0; i < split.n; i++) {
    const spans = shapesOf(split, i).map(shapeSpan);
    spans.forEach((own, k) => {
      const partner = spans[k ^ 1]; // 0↔1 triangles, 2↔3 boxes
      for (const t of own) {
        all++;
        if (Math.min(...partner.map((u) => Math.abs(u - t))) > window) far++;
      }
    });
  }
  return far / all;
}
