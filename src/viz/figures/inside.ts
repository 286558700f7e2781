// Figures of notebook 9, "Inside the attention": the patching results (test MSE of the model
// with its attention replaced, on a log axis, the noise floor as a dashed rule), attention maps
// side by side at 2 × 2 blocks (raw, value-weighted, ideal), and where each output role's mass
// goes in each map. Pure: the numbers come from src/analysis/ (patching.ts, value-maps.ts,
// role-masses.ts); the specs are drawn here, as no mark elsewhere draws them.
import type { PatchResult } from '../../analysis/patching';
import type { RoleMass } from '../../analysis/role-masses';
import { SEQ_LENGTH } from '../../data/task';
import { Figure, figure } from '../figure';
import { Row, recordsFrame } from '../frames';
import { attentionHeatmap } from '../marks/heatmaps';
import { Spec, WIDTH, firstSeen, header, roundRows } from '../spec-parts';

/** A labelled vertical rule on the loss axis, e.g. the CNN's test loss. */
export interface Reference {
  label: string;
  value: number;
}

/**
 * The patching table as bars, one per patch in the order given: test MSE on a log axis with its
 * value written beside the bar; `floor` (the noise floor) as a dashed rule, each of `references`
 * as a dotted rule with its label. The frame holds (patch, mse, moved).
 */
export function patchingFigure(
  results: readonly PatchResult[],
  opts: { floor?: number; references?: readonly Reference[]; title?: string } = {},
): Figure {
  if (results.length === 0) throw new Error('patchingFigure: no results');
  const frame = recordsFrame(
    results.map((r) => ({ patch: r.patch, mse: r.mse, moved: r.moved })),
    ['patch', 'mse', 'moved'],
  );
  const rules = [
    ...(opts.floor !== undefined
      ? [{ label: 'noise floor', value: opts.floor, dash: [4, 3] }]
      : []),
    ...(opts.references ?? []).map((r) => ({ ...r, dash: [1, 2] })),
  ];
  return figure(frame, (rows) => {
    const values = [...rows.map((r) => Number(r.mse)), ...rules.map((r) => r.value)];
    const pow = (k: number) => Number(`1e${k}`); // exact powers of ten: 10 ** -4 is not 1e-4
    const low = Math.floor(Math.log10(Math.min(...values)));
    const high = Math.ceil(Math.log10(Math.max(...values) * 3));
    const lo = pow(low);
    const hi = pow(high);
    const ticks = Array.from({ length: high - low + 1 }, (_, k) => pow(low + k));
    const x = {
      field: 'mse',
      type: 'quantitative',
      scale: { type: 'log', domain: [lo, hi] },
      axis: { values: ticks, format: '~g', grid: false },
    };
    const subtitle = [
      'test MSE (normalised) of the trained model with its attention matrix replaced; log scale',
      ...(rules.length
        ? [rules.map((r) => `${r.label} ${r.value.toPrecision(2)}`).join(' · ')]
        : []),
    ];
    return {
      ...header({ title: opts.title ?? 'What the output needs from the attention map', subtitle }),
      width: WIDTH - 260,
      height: { step: 24 },
      layer: [
        {
          data: { values: roundRows(rows) },
          encoding: {
            y: {
              field: 'patch',
              type: 'nominal',
              sort: firstSeen(rows, 'patch'),
              title: null,
              axis: { labelLimit: 320 },
            },
          },
          layer: [
            {
              mark: { type: 'bar', color: '#f58518', height: { band: 0.7 } },
              encoding: {
                // A log axis has no 0: each bar starts at the axis' left end.
                x: { ...x, title: 'test MSE (log scale)' },
                x2: { datum: lo },
                tooltip: [
                  { field: 'patch' },
                  { field: 'mse', format: '.3g', title: 'test MSE' },
                  { field: 'moved', format: '.2f', title: 'mass moved per row' },
                ],
              },
            },
            {
              mark: { type: 'text', align: 'left', dx: 3, fontSize: 11 },
              encoding: { x, text: { field: 'mse', type: 'quantitative', format: '.2g' } },
            },
          ],
        },
        ...rules.map((r) => ({
          data: { values: [{ value: Number(r.value.toPrecision(4)), label: r.label }] },
          mark: { type: 'rule', strokeDash: r.dash, color: 'gray' },
          encoding: {
            x: { field: 'value', type: 'quantitative' },
            tooltip: [{ field: 'label' }, { field: 'value', format: '.2g' }],
          },
        })),
      ],
    } as Spec;
  });
}

/**
 * Several [100 × 100] maps side by side in the order given (e.g. raw, value-weighted, ideal),
 * averaged over `block` × `block` cells (default 2, so 50 × 50 and a small notebook), on one
 * shared sqrt colour scale. Rows (panel, output, input, attention); a cell is the mean over its
 * block's outputs of the mass on its block's inputs, so rows still sum to 1 over the inputs.
 */
export function mapPanelsFigure(
  maps: Record<string, ArrayLike<number>>,
  opts: { title: string; subtitle?: string | string[]; block?: number; size?: number },
): Figure {
  const names = Object.keys(maps);
  if (names.length === 0) throw new Error('mapPanelsFigure: no maps');
  const block = opts.block ?? 2;
  if (!Number.isInteger(block) || block < 1 || SEQ_LENGTH % block !== 0)
    throw new Error(`mapPanelsFigure: block must divide ${SEQ_LENGTH}, got ${block}`);
  const L = SEQ_LENGTH;
  const n = L / block;
  const rows: Row[] = [];
  names.forEach((name, panel) => {
    const m = maps[name];
    if (m.length !== L * L)
      throw new Error(`mapPanelsFigure: map '${name}' has ${m.length} cells, not ${L * L}`);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let a = 0; a < block; a++)
          for (let b = 0; b < block; b++) sum += m[(i * block + a) * L + j * block + b];
        rows.push({ panel, output: i * block, input: j * block, attention: sum / block });
      }
  });
  return figure(recordsFrame(rows, ['panel', 'output', 'input', 'attention']), (rs) =>
    attentionHeatmap(rs, {
      title: opts.title,
      subtitle: opts.subtitle ?? 'one colour scale for all maps (sqrt)',
      size: opts.size ?? 220,
      column: 'panel',
      order: names.map((_, k) => k),
      labels: names,
      scale: { type: 'sqrt' },
      block: block > 1 ? block : undefined,
    }),
  );
}

/** The parts of a role's mass, in stacking order, with their colours. */
const PARTS = [
  { key: 'own', label: 'own shape', color: '#f58518' },
  { key: 'partner', label: 'partner', color: '#e45756' },
  { key: 'otherPair', label: 'other pair', color: '#72b7b2' },
  { key: 'shapes', label: 'shapes (floor outputs)', color: '#4c78a8' },
  { key: 'floor', label: 'floor', color: '#bab0ac' },
] as const;

const SINGULAR: Record<string, string> = { triangles: 'triangle', boxes: 'box', shapes: 'shape' };

/**
 * Where each output role's attention goes, one stacked bar per map (e.g. learned, value-weighted,
 * ideal) and role (triangles, boxes, floor): own shape, partner, other pair and floor for shape
 * outputs; shapes and floor for floor outputs. `tables` are role-masses.ts `roleMasses` results.
 */
export function roleMassFigure(
  tables: Record<string, readonly RoleMass[]>,
  opts: { title?: string; subtitle?: string; outputs?: readonly string[] } = {},
): Figure {
  const outputs = opts.outputs ?? ['triangles', 'boxes', 'floor'];
  const records = Object.entries(tables).flatMap(([map, table]) =>
    outputs.flatMap((o) => {
      const r = table.find((x) => x.outputs === o);
      if (!r) throw new Error(`roleMassFigure: map '${map}' has no '${o}' row`);
      const onShape = r.own !== null;
      const mass = {
        own: r.own ?? 0,
        partner: r.partner ?? 0,
        otherPair: r.otherPair ?? 0,
        shapes: onShape ? 0 : r.shapes,
        floor: r.floor,
      };
      return PARTS.map((p, order) => ({
        map,
        outputs: `${SINGULAR[o] ?? o} outputs`,
        on: p.label,
        order,
        mass: mass[p.key],
      })).filter((x) => x.mass > 0);
    }),
  );
  const frame = recordsFrame(records, ['map', 'outputs', 'on', 'order', 'mass']);
  return figure(
    frame,
    (rows) =>
      ({
        ...header({
          title: opts.title ?? 'Where each role of output puts its attention',
          subtitle:
            opts.subtitle ?? 'mean attention mass of the output rows of each role; bars sum to 1',
        }),
        data: { values: roundRows(rows, 3) },
        facet: {
          row: {
            field: 'outputs',
            type: 'nominal',
            title: null,
            sort: firstSeen(rows, 'outputs'),
            header: {
              labelAngle: 0,
              labelOrient: 'top',
              labelAnchor: 'start',
              labelFontWeight: 'bold',
            },
          },
        },
        spec: {
          width: WIDTH - 200,
          height: { step: 20 },
          mark: { type: 'bar' },
          encoding: {
            y: { field: 'map', type: 'nominal', sort: firstSeen(rows, 'map'), title: null },
            x: {
              field: 'mass',
              type: 'quantitative',
              stack: 'zero',
              title: 'attention mass',
              scale: { domain: [0, 1] },
            },
            color: {
              field: 'on',
              type: 'nominal',
              title: 'read from',
              legend: { labelLimit: 200 },
              scale: { domain: PARTS.map((p) => p.label), range: PARTS.map((p) => p.color) },
            },
            order: { field: 'order', type: 'quantitative' },
            tooltip: [
              { field: 'map' },
              { field: 'outputs' },
              { field: 'on' },
              { field: 'mass', format: '.3f' },
            ],
          },
        },
      }) as Spec,
  );
}
