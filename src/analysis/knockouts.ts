// Which cells of an attention map to knock out, and the knock-out itself: the chosen cells set to
// 0 and every row renormalised to sum to 1 again, so the layer still takes a weighted mean, only
// of the other inputs. Three selections, each a [100 × 100] mask (1 = knocked out):
//   brightEdgeCells   per row, the brightest cells within ±1 step of a shape's first or last step
//                     (its edges), taken largest first until they hold half the row's mass. The
//                     trained model's shape outputs put most of their weight there (56% of it
//                     within ±1 of an edge, on the committed model's test set).
//   anchorColumns     the k input columns (default 3) that receive the most mass summed over all
//                     rows: the few inputs the whole map leans on, knocked out in every row.
//   massMatchedAway   the control for brightEdgeCells: per row, cells away from every edge
//                     band, in a seeded random order, until they hold as much mass as that row
//                     lost to the first mask. Same mass moved, other cells.
// Pure functions of one map and the sample's shapes; analysis/patching.ts applies them to a model.
import { Rng, shuffle } from '../data/random';
import { SEQ_LENGTH, Shape } from '../data/task';
import { shapeSpan } from './attention-by-shape';

const L = SEQ_LENGTH;

function checkMap(a: ArrayLike<number>, where: string): void {
  if (a.length !== L * L)
    throw new Error(`${where}: a map has ${L * L} cells ([100 × 100]), got ${a.length}`);
}

/** The steps within ±`reach` of a shape's first or last step: [100], 1 inside the band. */
export function edgeBand(shapes: readonly Shape[], reach = 1): Uint8Array {
  const band = new Uint8Array(L);
  shapes.forEach((s, k) => {
    const span = shapeSpan(s, k);
    for (const e of [span[0], span[span.length - 1]])
      for (let t = e - reach; t <= e + reach; t++) if (t >= 0 && t < L) band[t] = 1;
  });
  return band;
}

/** Per row, the edge band's cells largest first until they hold `share` of the row's mass. */
export function brightEdgeCells(
  a: ArrayLike<number>,
  shapes: readonly Shape[],
  opts: { share?: number; reach?: number } = {},
): Uint8Array {
  checkMap(a, 'brightEdgeCells');
  const share = opts.share ?? 0.5; // half the row: the cells the row leans on most
  if (!(share > 0 && share <= 1)) throw new Error(`brightEdgeCells: share in (0, 1], got ${share}`);
  const band = edgeBand(shapes, opts.reach ?? 1);
  const cols = [...band.keys()].filter((j) => band[j]);
  const mask = new Uint8Array(L * L);
  for (let i = 0; i < L; i++) {
    const order = [...cols].sort((p, q) => a[i * L + q] - a[i * L + p]);
    let taken = 0;
    for (const j of order) {
      if (taken >= share) break;
      mask[i * L + j] = 1;
      taken += a[i * L + j];
    }
  }
  return mask;
}

/** The `k` input columns with the largest total mass over all rows, masked in every row. */
export function anchorColumns(a: ArrayLike<number>, k = 3): Uint8Array {
  checkMap(a, 'anchorColumns');
  if (!Number.isInteger(k) || k < 1 || k >= L)
    throw new Error(`anchorColumns: k must be an integer from 1 to ${L - 1}, got ${k}`);
  const total = new Float64Array(L);
  for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) total[j] += a[i * L + j];
  const top = [...total.keys()].sort((p, q) => total[q] - total[p]).slice(0, k);
  const mask = new Uint8Array(L * L);
  for (let i = 0; i < L; i++) for (const j of top) mask[i * L + j] = 1;
  return mask;
}

/**
 * The control of a mask: per row, cells outside the edge band (±`reach`) taken in a random order
 * until they hold at least the mass `like` takes from that row (all of them if they hold less).
 */
export function massMatchedAway(
  a: ArrayLike<number>,
  like: Uint8Array,
  shapes: readonly Shape[],
  rng: Rng,
  opts: { reach?: number } = {},
): Uint8Array {
  checkMap(a, 'massMatchedAway');
  checkMap(like, 'massMatchedAway');
  const band = edgeBand(shapes, opts.reach ?? 1);
  const away = Int32Array.from([...band.keys()].filter((j) => !band[j]));
  const mask = new Uint8Array(L * L);
  for (let i = 0; i < L; i++) {
    let want = 0;
    for (let j = 0; j < L; j++) if (like[i * L + j]) want += a[i * L + j];
    shuffle(away, rng);
    let taken = 0;
    for (const j of away) {
      if (taken >= want) break;
      mask[i * L + j] = 1;
      taken += a[i * L + j];
    }
  }
  return mask;
}

/**
 * The map with the masked cells set to 0 and each row renormalised. A row that keeps no mass
 * (every kept cell exactly 0, or all cells masked) is spread evenly over its kept cells, or left
 * as it was when every cell is masked: the layer needs some distribution to read.
 */
export function knockOut(a: ArrayLike<number>, mask: Uint8Array): Float32Array {
  checkMap(a, 'knockOut');
  checkMap(mask, 'knockOut');
  const out = new Float32Array(L * L);
  for (let i = 0; i < L; i++) {
    let kept = 0;
    let cells = 0;
    for (let j = 0; j < L; j++) {
      if (mask[i * L + j]) continue;
      kept += a[i * L + j];
      cells++;
    }
    for (let j = 0; j < L; j++) {
      const k = i * L + j;
      if (cells === 0) out[k] = a[k];
      else if (mask[k]) out[k] = 0;
      else out[k] = kept > 0 ? a[k] / kept : 1 / cells;
    }
  }
  return out;
}
