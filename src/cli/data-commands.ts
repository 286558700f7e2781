// The CLI's commands that look without training: generate a dataset, say which backend runs,
// summarise a model.
import { initBackend } from '../runtime/backend';
import { parseFlags, intFlag } from '../runtime/args';
import { DEFAULT_DATA } from '../data/task';
import { loadDataset } from '../data/dataset';
import { buildModel } from '../models/build';
import { resolveConfig } from '../models/configs';
import { summary } from '../models/summary';
import { MODEL_FLAG_SPEC, Out, dataFlags, modelKind, modelOverrides } from './flags';

export const dataCommands: Record<string, (args: string[], out: Out) => Promise<void>> = {
  async generate(args, out) {
    const v = parseFlags(args, {
      train: { type: 'string' },
      test: { type: 'string' },
      seed: { type: 'string' },
      'group-by-locations': { type: 'boolean' },
      'positional-encoding': { type: 'boolean' },
    });
    const config = {
      ...dataFlags(v, DEFAULT_DATA),
      seed: intFlag(v, 'seed', DEFAULT_DATA.seed, 0),
    };
    const { dataset: d, seconds, source, file } = loadDataset(config);
    const r = {
      train: d.pool.n,
      test: d.test.n,
      mean: d.mean,
      std: d.std,
      rejected: d.rejected,
      seconds,
      source,
      file,
    };
    out(
      `${r.train} train + ${r.test} test samples (${source}, ${seconds.toFixed(2)} s): mean ${d.mean.toFixed(4)}, std ${d.std.toFixed(4)}, ${d.rejected} draws rejected\n${file}`,
      r,
    );
  },

  async backend(args, out) {
    parseFlags(args, {});
    const info = await initBackend({ quiet: true });
    out(info.summary, {
      backend: info.name,
      tf_backend: info.tfName,
      forced: info.forced,
      skipped: info.skipped,
    });
  },

  async summary(args, out) {
    const v = parseFlags(args, MODEL_FLAG_SPEC);
    const kind = modelKind(v);
    const config = modelOverrides(kind, v);
    resolveConfig(kind, config as never); // every field checked before the backend starts
    await initBackend({ quiet: true });
    const s = summary(buildModel(kind, config as never));
    const lines = s.layers.map(
      (l) =>
        `  ${l.name.padEnd(16)} ${l.type.padEnd(16)} [${l.outputShape.map((d) => d ?? 'batch').join(', ')}]`.padEnd(
          62,
        ) + String(l.params).padStart(8),
    );
    out(
      [
        `${kind}: ${s.params.toLocaleString('en')} parameters`,
        ...lines,
        ...(s.note ? [s.note] : []),
      ].join('\n'),
      {
        model: kind,
        params: s.params,
        layers: s.layers,
        note: s.note,
      },
    );
  },
};
