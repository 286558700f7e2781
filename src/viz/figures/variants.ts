// Figures of notebook 8's variants that no other subject covers: the spread of one variant over
// seeds, and how far apart partner shapes are against the local windows tried. Pure: numbers in,
// figures out. (Their scoreboard and table are in results.ts, their attention maps in attention.ts.)
import { PartnerDistance } from '../../analysis/partners';
import { Figure, figure } from '../figure';
import { Row, recordsFrame } from '../frames';
import { seedDots } from '../marks/dots';
import { distanceHistogram } from '../marks/distributions';

/**
 * The same variant trained from several seeds: each seed's final validation MSE and their median;
 * with `floor` (data/dataset.ts's `noiseFloor`), the noise floor drawn and named.
 */
export function seedSpreadFigure(
  runs: readonly { variant: string; seed: number; valid: number }[],
  opts: { title: string; subtitle?: string; floor?: number },
): Figure {
  const frame = recordsFrame(
    runs.map((r) => ({ ...r })),
    ['variant', 'seed', 'valid'],
  );
  const floorText =
    opts.floor === undefined ? '' : `dashed line: the noise floor, ${opts.floor.toPrecision(2)}`;
  const subtitle = [opts.subtitle, floorText].filter(Boolean).join('; ') || undefined;
  return figure(frame, (rows) => seedDots(rows, { ...opts, subtitle }));
}

/**
 * How far apart partner shapes are (a histogram of centre distances, by pair) with the local
 * windows tried drawn as rules: a window narrower than the distance cannot see the partner.
 */
export function distanceFigure(
  distances: readonly PartnerDistance[],
  opts: { windows: readonly number[]; title: string; subtitle?: string },
): Figure {
  const rows: Row[] = [
    ...distances.map((d) => ({ kind: 'distance', pair: d.pair, distance: d.distance })),
    ...opts.windows.map((w) => ({ kind: 'window', pair: '', distance: w })),
  ];
  return figure(recordsFrame(rows, ['kind', 'pair', 'distance']), (rs) =>
    distanceHistogram(rs, { title: opts.title, subtitle: opts.subtitle }),
  );
}
