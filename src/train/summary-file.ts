// data/results/summary.json: one entry per named run under its profile, from the latest
// reproduction (the walk-through's models, the LSTM control run, notebook 08's variants).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataDir } from '../runtime/paths';
import { quarantine, writeAtomic } from '../runtime/store';
import { DataConfig } from '../data/task';
import { FitConfig } from './learner';
import { RunRecord } from './runs';

export function summaryFile(): string {
  return path.join(dataDir(), 'results', 'summary.json');
}

export interface SummaryEntry {
  kind: string;
  params: number;
  trainLoss: number;
  validLoss: number;
  testLoss: number;
  epochSeconds: number[];
  backend: string;
  profile: string;
  config: object;
  data: DataConfig;
  fit: FitConfig;
}

type SummaryDoc = Record<string, Record<string, SummaryEntry>>;

/** Entries written before record types were camelCase (train_loss, epoch_s, train). */
function upgrade(name: string, e: Record<string, unknown>): SummaryEntry {
  const pick = (camel: string, snake: string) => e[camel] ?? e[snake];
  return {
    kind: (e.kind as string) ?? name,
    params: e.params as number,
    trainLoss: pick('trainLoss', 'train_loss') as number,
    validLoss: pick('validLoss', 'valid_loss') as number,
    testLoss: pick('testLoss', 'test_loss') as number,
    epochSeconds: pick('epochSeconds', 'epoch_s') as number[],
    backend: e.backend as string,
    profile: (e.profile as string) ?? 'custom',
    config: e.config as object,
    data: e.data as DataConfig,
    fit: pick('fit', 'train') as FitConfig,
  };
}

/** Every entry, by profile and name ({} when the file does not exist yet). */
export function readSummary(): SummaryDoc {
  const file = summaryFile();
  if (!fs.existsSync(file)) return {};
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<
    string,
    Record<string, Record<string, unknown>>
  >;
  return Object.fromEntries(
    Object.entries(raw).map(([profile, entries]) => [
      profile,
      Object.fromEntries(Object.entries(entries).map(([name, e]) => [name, upgrade(name, e)])),
    ]),
  );
}

/**
 * Adds (or replaces) one run's entry in summary.json under its profile, keeping every other
 * entry, so a quick or smoke reproduction never overwrites the full one. Atomic; a file that
 * cannot be read is moved aside, never overwritten.
 */
export function recordSummary(name: string, r: RunRecord, profile = r.profile): void {
  let doc: SummaryDoc = {};
  try {
    doc = readSummary();
  } catch {
    quarantine(summaryFile());
  }
  doc[profile] ??= {};
  doc[profile][name] = {
    kind: r.kind,
    params: r.params,
    trainLoss: r.trainLoss,
    validLoss: r.validLoss,
    testLoss: r.testLoss,
    epochSeconds: r.epochSeconds.map((s) => Number(s.toFixed(3))),
    backend: r.backend,
    profile,
    config: r.config,
    data: r.data,
    fit: r.fit,
  };
  writeAtomic(summaryFile(), JSON.stringify(doc, null, 2) + '\n');
}
