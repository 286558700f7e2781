// Where each output role puts its attention, beside the ideal's answer (ideal.ts): for a shape's
// output rows the mass on its own shape, on its partner, on the other pair and on the floor (the
// ideal: ½, ½, 0, 0); for floor rows the mass on the shapes and on the floor (ideal: 0, 1).
// And, pair by pair, whether the two shapes of a pair read each other or both lean on the same
// one of them. That needs the pair, not each shape alone: when both shapes' outputs lean on one
// shape, their partner shares are p and 1 − p, so any average over the pair (or over many
// samples' "T1", an arbitrary label) lands on ½ and hides it.
import { SEQ_LENGTH, Shape, shapesOf } from '../data/task';
import { Learner } from '../train/learner';
import { SHAPE_LABELS } from './attention-cells';
import { attentionMaps, quartiles } from './attention-stats';
import { partnersOf } from './blind';
import { checkMap, idealAttention, rowDistances, shapeRoles } from './ideal';

const L = SEQ_LENGTH;

/** What the output positions of a group read, as mean masses over their rows. */
export interface RoleMass {
  /** 'T1' … 'B2' (one shape's outputs), 'triangles', 'boxes', 'shapes' or 'floor'. */
  outputs: string;
  /** How many output rows the means are over. */
  rows: number;
  /** Mass on the output's own shape, its partner and the other pair; null for floor outputs. */
  own: number | null;
  partner: number | null;
  otherPair: number | null;
  /** Mass on all four shapes, and on the floor between them. */
  shapes: number;
  floor: number;
  /** 1 − the mean TV distance of these rows to the ideal rows (ideal.ts's score). */
  score: number;
}

const GROUPS = [...SHAPE_LABELS, 'triangles', 'boxes', 'shapes', 'floor'] as const;

function checkPairs(maps: readonly unknown[], shapes: readonly unknown[], where: string): void {
  if (maps.length !== shapes.length || maps.length === 0)
    throw new Error(
      `${where}: one list of shapes per map, at least one map (got ${maps.length} maps, ${shapes.length} shape lists)`,
    );
}

/** Mass of row i of `a` on each shape 0…3 and (index 4) on the floor. */
function massByRole(a: ArrayLike<number>, role: Int8Array, i: number): Float64Array {
  const on = new Float64Array(5);
  for (let j = 0; j < L; j++) on[role[j] < 0 ? 4 : role[j]] += a[i * L + j];
  return on;
}

/**
 * Where the output positions of each role put their attention, averaged over every output row of
 * the given maps (one per sample, `shapes[k]` the shapes of `maps[k]`): one row per shape label
 * (T1 … B2), per kind, all shape outputs together, and the floor outputs.
 */
export function roleMasses(
  maps: readonly ArrayLike<number>[],
  shapes: readonly (readonly Shape[])[],
  opts: { groupByLocations?: boolean } = {},
): RoleMass[] {
  checkPairs(maps, shapes, 'roleMasses');
  const acc = new Map<string, number[]>(); // rows, own, partner, otherPair, floor, distance
  maps.forEach((a, k) => {
    checkMap(a, 'roleMasses');
    const role = shapeRoles(shapes[k]);
    const partner = partnersOf(shapes[k], opts.groupByLocations ?? false);
    const distance = rowDistances(a, idealAttention(shapes[k], opts));
    for (let i = 0; i < L; i++) {
      const r = role[i];
      const on = massByRole(a, role, i);
      const own = r < 0 ? 0 : on[r];
      const mate = r < 0 ? 0 : on[partner[r]];
      const other = on[0] + on[1] + on[2] + on[3] - own - mate;
      const groups = r < 0 ? ['floor'] : [SHAPE_LABELS[r], r < 2 ? 'triangles' : 'boxes', 'shapes'];
      for (const g of groups) {
        const s = acc.get(g) ?? [0, 0, 0, 0, 0, 0];
        [1, own, mate, other, on[4], distance[i]].forEach((v, n) => (s[n] += v));
        acc.set(g, s);
      }
    }
  });
  return GROUPS.filter((g) => acc.has(g)).map((g) => {
    const [rows, own, partner, otherPair, floor, distance] = acc.get(g)!;
    const onShape = g !== 'floor';
    return {
      outputs: g,
      rows,
      own: onShape ? own / rows : null,
      partner: onShape ? partner / rows : null,
      otherPair: onShape ? otherPair / rows : null,
      shapes: 1 - floor / rows,
      floor: floor / rows,
      score: 1 - distance / rows,
    };
  });
}

/** How the two shapes of one pair of one sample read each other. */
export interface PairRead {
  sample: number;
  /** The pair, e.g. 'T1·T2'; and its kind, or 'mixed' when `groupByLocations` pairs kinds. */
  pair: string;
  kind: 'triangles' | 'boxes' | 'mixed';
  /** The partner's share of the mass that the first shape's outputs put on the pair (ideal ½). */
  firstShare: number;
  /** The same for the second shape's outputs. */
  secondShare: number;
  /**
   * 'each on its partner', 'each on itself', or 'both on the first' / 'both on the second' (the
   * first shape's outputs favour their partner, the second's themselves, or the reverse).
   */
  pattern: string;
  /** Both shapes' outputs pooled: the share of their pair mass on the shape they favour (½…1). */
  lean: number;
  /** Which shape that is: 'taller', 'shorter' (by input height), and 'left' or 'right'. */
  favoured: { height: 'taller' | 'shorter'; side: 'left' | 'right' };
}

/** For each sample and pair, partner shares, the pattern they make, and the pooled lean. */
export function pairReads(
  maps: readonly ArrayLike<number>[],
  shapes: readonly (readonly Shape[])[],
  samples: readonly number[],
  opts: { groupByLocations?: boolean } = {},
): PairRead[] {
  checkPairs(maps, shapes, 'pairReads');
  if (samples.length !== maps.length)
    throw new Error(`pairReads: ${maps.length} maps for ${samples.length} samples`);
  return maps.flatMap((a, k) => {
    checkMap(a, 'pairReads');
    const sh = shapes[k];
    const role = shapeRoles(sh);
    const partner = partnersOf(sh, opts.groupByLocations ?? false);
    const to = [0, 1, 2, 3].map(() => new Float64Array(4)); // to[p][q]: p's outputs on shape q
    for (let i = 0; i < L; i++)
      if (role[i] >= 0) massByRole(a, role, i).forEach((m, q) => q < 4 && (to[role[i]][q] += m));
    const pairs = [0, 1, 2, 3].filter((p) => p < partner[p]).map((p) => [p, partner[p]]);
    return pairs.map(([p, q]) => {
      const firstShare = to[p][q] / (to[p][p] + to[p][q]);
      const secondShare = to[q][p] / (to[q][q] + to[q][p]);
      const onP = to[p][p] + to[q][p];
      const onQ = to[p][q] + to[q][q];
      const fav = onP >= onQ ? p : q;
      const other = fav === p ? q : p;
      const pattern =
        firstShare > 0.5 === secondShare > 0.5
          ? firstShare > 0.5
            ? 'each on its partner'
            : 'each on itself'
          : firstShare > 0.5
            ? 'both on the second'
            : 'both on the first';
      return {
        sample: samples[k],
        pair: `${SHAPE_LABELS[p]}·${SHAPE_LABELS[q]}`,
        kind: p < 2 === q < 2 ? (p < 2 ? 'triangles' : 'boxes') : 'mixed',
        firstShare,
        secondShare,
        pattern,
        lean: Math.max(onP, onQ) / (onP + onQ),
        favoured: {
          height: sh[fav].h >= sh[other].h ? 'taller' : 'shorter',
          side: sh[fav].c <= sh[other].c ? 'left' : 'right',
        },
      } satisfies PairRead;
    });
  });
}

/**
 * pairReads summed up per kind of pair: how often both shapes lean on one of them, the median
 * lean (½: even; 1: all on one), and how often the favoured shape is the taller or the left one.
 */
export function pairReadSummary(reads: readonly PairRead[]): Record<string, string | number>[] {
  const kinds = [...new Set(reads.map((r) => r.kind))];
  return kinds.map((kind) => {
    const r = reads.filter((x) => x.kind === kind);
    const share = (f: (x: PairRead) => boolean) => r.filter(f).length / r.length;
    return {
      pairs: kind,
      count: r.length,
      'both on one shape': share((x) => x.pattern.startsWith('both')),
      'each on itself': share((x) => x.pattern === 'each on itself'),
      'each on its partner': share((x) => x.pattern === 'each on its partner'),
      'median lean': quartiles(r.map((x) => x.lean)).median,
      'favoured is taller': share((x) => x.favoured.height === 'taller'),
      'favoured is left': share((x) => x.favoured.side === 'left'),
    };
  });
}

/** roleMasses and pairReads of a trained model's maps (averaged over heads) on test samples. */
export function roleMassesOf(
  learner: Learner,
  samples: readonly number[],
): { roles: RoleMass[]; pairs: PairRead[] } {
  const maps = attentionMaps(learner, samples);
  const shapes = samples.map((s) => shapesOf(learner.data.test, s));
  const opts = { groupByLocations: learner.data.config.groupByLocations };
  return {
    roles: roleMasses(maps, shapes, opts),
    pairs: pairReads(maps, shapes, samples, opts),
  };
}
