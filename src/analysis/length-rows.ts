// Length generalisation of several models as one table (notebook 9): one row per model with its
// test MSE at each length and the share of the copy-the-input error it leaves there (its own
// data's copy error: a seed draws its own test sets), "n/a" where the model cannot run at that
// length, with the first such length's reason in a note; then the copy baseline and the noise floor of the first
// model's data as the last rows. length.ts's `lengthGeneralisation` makes each model's rows.
import { LengthRow } from './length';

type Cell = string | number;

/** The table: model, MSE per length, loss ÷ copy per length, note. */
export function lengthTable(results: Record<string, readonly LengthRow[]>): Record<string, Cell>[] {
  const models = Object.keys(results);
  if (models.length === 0) throw new Error('lengthTable: no models');
  const lengths = results[models[0]].map((r) => r.length);
  for (const m of models) {
    const ls = results[m].map((r) => r.length);
    if (ls.join() !== lengths.join())
      throw new Error(
        `lengthTable: model '${m}' was run at lengths ${ls.join(', ')}, not ${lengths.join(', ')}`,
      );
  }
  const rows: Record<string, Cell>[] = models.map((model) => {
    const rs = results[model];
    const not = rs.filter((r) => !r.applicable);
    const also = not.slice(1).map((r) => r.length);
    const note = not.length
      ? `${not[0].reason}${also.length ? ` (likewise at ${also.join(', ')})` : ''}`
      : '';
    return {
      model,
      ...Object.fromEntries(rs.map((r) => [`MSE at ${r.length}`, r.loss ?? 'n/a'])),
      ...Object.fromEntries(rs.map((r) => [`÷ copy at ${r.length}`, r.ofCopy ?? 'n/a'])),
      note,
    };
  });
  const first = results[models[0]];
  const yardstick = (name: string, value: (r: LengthRow) => number): Record<string, Cell> => ({
    model: name,
    ...Object.fromEntries(first.map((r) => [`MSE at ${r.length}`, value(r)])),
    ...Object.fromEntries(first.map((r) => [`÷ copy at ${r.length}`, value(r) / r.copy])),
    note: `on the test sets drawn for ${models[0]}`,
  });
  rows.push(yardstick('copy the input', (r) => r.copy));
  rows.push(yardstick('noise floor', (r) => r.floor));
  return rows;
}
