// Patching results of several models side by side (notebook 9 patches the walk-through's model
// and three seeds of the fast recipe): one row per patch with each model's test MSE, the noise
// floor as the last row; and, for two patches, the ratio of their losses model by model (how much
// more one replacement hurts than the other, e.g. edge cells against the same mass elsewhere).
import { PatchResult } from './patching';

/** One row per patch (in the first model's order), a column per model; the floor last. */
export function patchingRows(
  results: Record<string, readonly PatchResult[]>,
  floor?: number,
): Record<string, string | number>[] {
  const models = Object.keys(results);
  if (models.length === 0) throw new Error('patchingRows: no models');
  const patches = results[models[0]].map((r) => r.patch);
  for (const m of models) {
    const names = results[m].map((r) => r.patch);
    if (names.length !== patches.length || names.some((p, i) => p !== patches[i]))
      throw new Error(`patchingRows: model '${m}' has other patches than '${models[0]}'`);
  }
  const rows: Record<string, string | number>[] = patches.map((patch, i) => ({
    patch,
    ...Object.fromEntries(models.map((m) => [m, results[m][i].mse])),
  }));
  if (floor !== undefined)
    rows.push({ patch: 'noise floor', ...Object.fromEntries(models.map((m) => [m, floor])) });
  return rows;
}

/** Per model, patch `a`'s test MSE over patch `b`'s. */
export function patchRatio(
  results: Record<string, readonly PatchResult[]>,
  a: string,
  b: string,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(results).map(([m, rs]) => {
      const get = (name: string) => {
        const r = rs.find((x) => x.patch === name);
        if (!r) throw new Error(`patchRatio: model '${m}' has no patch '${name}'`);
        return r.mse;
      };
      return [m, get(a) / get(b)];
    }),
  );
}
