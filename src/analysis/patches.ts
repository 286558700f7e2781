// The replacements for a trained model's attention matrix that notebook 9 patches in
// (patching.ts runs them): each answers "does the output need *this* map?". A replacement that
// leaves the test loss where it was does not matter to the model; one that sends it up to the
// CNN's 0.07 takes away what the attention layer adds. Every replacement's rows sum to 1.
//   unpatched    the learned map itself (the model's own loss: the check of the machinery)
//   ideal        analysis/ideal.ts's map, on all rows or only on one role's rows
//   uniform      1/100 everywhere: every output the plain average of the values
//   identity     every output reads only its own input: no mixing of positions at all
//   shuffled     each sample gets another sample's learned map (a seeded cycle over the test set)
//   knock-outs   the learned map without chosen cells, rows renormalised (knockouts.ts)
import * as tf from '@tensorflow/tfjs';
import { SEQ_LENGTH, Shape } from '../data/task';
import { permutation, rngFrom } from '../data/random';
import { idealAttention, shapeRoles } from './ideal';
import { anchorColumns, brightEdgeCells, knockOut, massMatchedAway } from './knockouts';
import { Patch } from './patching';

const L = SEQ_LENGTH;

/** The learned map itself: must give the model's own test loss. */
export const unpatched = (): Patch => ({
  name: 'unpatched',
  replace: (b) => b.learned.clone(),
});

/** Which output rows a partial patch replaces: all, shape steps, floor steps, or one kind's. */
export type RowSet = 'all' | 'shapes' | 'floor' | 'triangles' | 'boxes';

/** Whether an output of role `role` (shapeRoles: 0…3, or −1 for the floor) is in `rows`. */
function inRows(rows: RowSet, role: number): boolean {
  if (rows === 'all') return true;
  if (rows === 'floor') return role < 0;
  if (rows === 'shapes') return role >= 0;
  return rows === 'triangles' ? role === 0 || role === 1 : role >= 2;
}

const ROW_NAMES: Record<RowSet, string> = {
  all: 'all',
  shapes: 'shape',
  floor: 'floor',
  triangles: 'triangle',
  boxes: 'box',
};

/**
 * The ideal map of analysis/ideal.ts, from each sample's shapes, for every head; with `rows`,
 * only those output rows take the ideal and the others keep the learned map.
 */
export const idealPatch = (rows: RowSet = 'all'): Patch => ({
  name: rows === 'all' ? 'ideal' : `ideal on ${ROW_NAMES[rows]} rows`,
  replace: (b) => {
    const byLocation = b.data.config.groupByLocations;
    const [n, heads] = b.learned.shape;
    const out = Float32Array.from(b.learned.dataSync() as Float32Array); // [n, heads, 100, 100]
    b.shapes.forEach((shapes, s) => {
      const ideal = idealAttention(shapes, { groupByLocations: byLocation });
      const role = shapeRoles(shapes);
      for (let h = 0; h < heads; h++)
        for (let i = 0; i < L; i++)
          if (inRows(rows, role[i]))
            out.set(ideal.subarray(i * L, (i + 1) * L), ((s * heads + h) * L + i) * L);
    });
    return tf.tensor4d(out, [n, heads, L, L]);
  },
});

/** Every output reads every input at 1/100: the plain average of the values. */
export const uniformPatch = (): Patch => ({
  name: 'uniform',
  replace: (b) => tf.fill([b.samples.length, L, L], 1 / L),
});

/** Every output reads only its own input: no mixing of positions at all. */
export const identityPatch = (): Patch => ({
  name: 'identity',
  replace: (b) => tf.tidy(() => tf.tile(tf.expandDims(tf.eye(L), 0), [b.samples.length, 1, 1])),
});

/**
 * Another sample's learned map: sample s gets, row for row, the map of sample π(s), where π is a
 * seeded random cycle over the whole test split (so no sample keeps its own map).
 */
export function shuffledPatch(seed = 0): Patch {
  let pi: Int32Array | undefined;
  return {
    name: 'shuffled across samples',
    replace: (b) => {
      const n = b.data.test.n;
      if (!pi || pi.length !== n) {
        const order = permutation(n, rngFrom(`shuffled-attention/${seed}`));
        pi = new Int32Array(n);
        for (let r = 0; r < n; r++) pi[order[r]] = order[(r + 1) % n];
      }
      return b.attentionFor(Int32Array.from(b.samples, (s) => pi![s]));
    },
  };
}

/**
 * The learned map with the cells `select` marks knocked out, rows renormalised (knockouts.ts);
 * the mask is chosen per sample and head from that head's map.
 */
export function knockOutPatch(
  name: string,
  select: (a: Float32Array, shapes: Shape[], sample: number) => Uint8Array,
): Patch {
  return {
    name,
    replace: (b) => {
      const [n, heads] = b.learned.shape;
      const all = b.learned.dataSync() as Float32Array;
      const out = new Float32Array(all.length);
      for (let k = 0; k < n * heads; k++) {
        const a = all.subarray(k * L * L, (k + 1) * L * L);
        const s = Math.floor(k / heads);
        out.set(knockOut(a, select(a, b.shapes[s], b.samples[s])), k * L * L);
      }
      return tf.tensor4d(out, b.learned.shape);
    },
  };
}

/** Knocks out the bright edge cells of every row (knockouts.ts `brightEdgeCells`). */
export const edgeCellsPatch = (): Patch =>
  knockOutPatch('bright edge cells knocked out', (a, shapes) => brightEdgeCells(a, shapes));

/** Knocks out the `k` anchor columns of every map (knockouts.ts `anchorColumns`). */
export const anchorColumnsPatch = (k = 3): Patch =>
  knockOutPatch(`${k} anchor columns knocked out`, (a) => anchorColumns(a, k));

/** The edge knock-out's control: as much mass per row, from cells away from the edges. */
export const awayFromEdgesPatch = (seed = 0): Patch =>
  knockOutPatch('same mass off the edges knocked out', (a, shapes, sample) =>
    massMatchedAway(a, brightEdgeCells(a, shapes), shapes, rngFrom(`away/${seed}/${sample}`)),
  );

/** The patches of notebook 9's table, in its order. */
export const standardPatches = (seed = 0): Patch[] => [
  unpatched(),
  idealPatch(),
  idealPatch('triangles'),
  idealPatch('boxes'),
  idealPatch('floor'),
  uniformPatch(),
  identityPatch(),
  shuffledPatch(seed),
  edgeCellsPatch(),
  awayFromEdgesPatch(seed),
  anchorColumnsPatch(3),
];
