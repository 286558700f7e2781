// How the attention emerges during training (notebook 9): for each weight snapshot of one run
// (train/snapshots.ts), the validation loss the run recorded there, the ideal-attention score of
// its maps (ideal.ts, per role) and where the shapes' outputs put their attention (role-masses.ts),
// over a fixed set of test samples; plus one sample's map per snapshot for the slider. The numbers
// come from the snapshot's float16 weights (2⁻¹¹ relative error); the validation loss is the one
// measured during training at full precision.
import { Dataset, shapesOf } from '../data/task';
import { ModelKind } from '../models/configs';
import { SnapshotSet, replaySnapshots } from '../train/snapshots';
import { attentionMaps, quartiles } from './attention-stats';
import { idealScore } from './ideal';
import { pairReads, roleMasses } from './role-masses';

/** One snapshot's numbers (the fields emergenceFigure draws, and a few more for tables). */
export interface EmergencePoint {
  /** Epochs done when the snapshot was taken (0.25: a quarter of the first epoch). */
  epoch: number;
  step: number;
  /** Validation MSE, normalised units, as recorded during training. */
  valid: number;
  /** The ideal-attention score over all rows, and over shape and floor rows. */
  score: number;
  scoreShapes: number;
  scoreFloor: number;
  /** Mean mass of the shapes' output rows on their own shape, partner, other pair, floor. */
  own: number;
  partner: number;
  otherKind: number;
  floor: number;
  /** Mean mass of the floor's output rows on the floor. */
  floorOnFloor: number;
  /** Share of box pairs whose two shapes both lean on one of them, and on the taller one. */
  boxesOnOne: number;
  boxesOnTaller: number;
  /** Median lean of the box pairs and of the triangle pairs (½: even; 1: all on one shape). */
  boxLean: number;
  triangleLean: number;
}

/** Each snapshot's numbers over `samples` (test indices), and `mapSample`'s map at each. */
export function emergenceOf<K extends ModelKind>(
  set: SnapshotSet<K>,
  data: Dataset,
  opts: { samples: readonly number[]; mapSample: number },
): { points: EmergencePoint[]; maps: { epoch: number; map: Float32Array }[] } {
  const { samples, mapSample } = opts;
  if (samples.length === 0) throw new Error('emergenceOf: no samples');
  for (const s of [...samples, mapSample])
    if (!Number.isInteger(s) || s < 0 || s >= data.test.n)
      throw new RangeError(`sample ${s} is outside the test split (0..${data.test.n - 1})`);
  const shapes = samples.map((s) => shapesOf(data.test, s));
  const byLocation = { groupByLocations: data.config.groupByLocations };
  const points: EmergencePoint[] = [];
  const maps: { epoch: number; map: Float32Array }[] = [];
  for (const { snapshot, learner } of replaySnapshots(set, data)) {
    const all = attentionMaps(learner, [...samples, mapSample]); // [100 × 100] each, heads averaged
    const a = all.slice(0, samples.length);
    const score = idealScore(a, shapes, byLocation);
    const roles = roleMasses(a, shapes, byLocation);
    const of = (g: string) => roles.find((r) => r.outputs === g)!;
    const pairs = pairReads(a, shapes, samples, byLocation);
    const boxes = pairs.filter((p) => p.kind === 'boxes');
    const lean = (kind: string) =>
      quartiles(pairs.filter((p) => p.kind === kind).map((p) => p.lean)).median;
    const share = (f: (p: (typeof boxes)[number]) => boolean) =>
      boxes.filter(f).length / boxes.length;
    points.push({
      epoch: snapshot.position,
      step: snapshot.step,
      valid: snapshot.validLoss,
      score: score.all,
      scoreShapes: score.shapes,
      scoreFloor: score.floor,
      own: of('shapes').own!,
      partner: of('shapes').partner!,
      otherKind: of('shapes').otherPair!,
      floor: of('shapes').floor,
      floorOnFloor: of('floor').floor,
      boxesOnOne: share((p) => p.pattern.startsWith('both')),
      boxesOnTaller: share((p) => p.pattern.startsWith('both') && p.favoured.height === 'taller'),
      boxLean: lean('boxes'),
      triangleLean: lean('triangles'),
    });
    maps.push({ epoch: snapshot.position, map: all[samples.length] });
  }
  return { points, maps };
}
