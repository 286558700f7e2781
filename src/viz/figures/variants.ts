// Figures of notebook 8's variants that no other subject covers: how far apart partner shapes
// are against the local windows tried (the seed spread is in seeds.ts). Pure: numbers in,
// figures out. (Their scoreboard and table are in results.ts, their attention maps in attention.ts.)
import { PartnerDistance } from '../../analysis/partners';
import { Figure, figure } from '../figure';
import { Row, recordsFrame } from '../frames';
import { distanceHistogram } from '../marks/distributions';

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
