// data/results/summary.json (src/train/summary-file.ts): one entry per run under its profile,
// written without touching the others, read back in camelCase even from the old snake_case.
import { TMP } from '../setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { DEFAULT_DATA } from '../../src/data/task';
import { DEFAULT_CNN } from '../../src/models/configs';
import { DEFAULT_FIT } from '../../src/train/learner';
import { RunRecord } from '../../src/train/runs';
import { readSummary, recordSummary, summaryFile } from '../../src/train/summary-file';

function record(over: Partial<RunRecord> = {}): RunRecord {
  return {
    kind: 'cnn',
    config: { ...DEFAULT_CNN },
    data: { ...DEFAULT_DATA, nTrain: 100 },
    fit: { ...DEFAULT_FIT, epochs: 2 },
    params: 62_337,
    backend: 'cpu',
    profile: 'smoke',
    history: [],
    epochSeconds: [1.23456, 2.00049],
    trainLoss: 0.3,
    validLoss: 0.2,
    testLoss: 0.1,
    resumedFromEpoch: 0,
    finishedAt: '2026-12-01T00:00:00.000Z',
    ...over,
  };
}

beforeEach(() => fs.rmSync(summaryFile(), { force: true }));

describe('summary file', () => {
  it('lives at data/results/summary.json, and reads as {} before the first run', () => {
    assert.equal(summaryFile(), path.join(TMP!, 'results', 'summary.json'));
    assert.deepEqual(readSummary(), {});
  });

  it('adds one entry per run under its profile, keeping every other entry', () => {
    recordSummary('cnn', record());
    recordSummary('attention', record({ kind: 'attention', validLoss: 0.05 }));
    recordSummary('cnn', record({ profile: 'full', validLoss: 0.01 }));
    recordSummary('cnn', record({ validLoss: 0.15 })); // replaces smoke's cnn only
    recordSummary('cnn-as-quick', record(), 'quick'); // an explicit profile wins over the record's
    const doc = readSummary();
    assert.deepEqual(Object.keys(doc).sort(), ['full', 'quick', 'smoke']);
    assert.deepEqual(Object.keys(doc.smoke).sort(), ['attention', 'cnn']);
    assert.equal(doc.smoke.cnn.validLoss, 0.15);
    assert.equal(doc.smoke.attention.validLoss, 0.05);
    assert.equal(doc.full.cnn.validLoss, 0.01);
    assert.equal(doc.quick['cnn-as-quick'].profile, 'quick');
  });

  it('writes the entry fields, epoch times rounded to milliseconds, and no history', () => {
    recordSummary('cnn', record());
    const raw = JSON.parse(fs.readFileSync(summaryFile(), 'utf8'));
    assert.deepEqual(raw.smoke.cnn, {
      kind: 'cnn',
      params: 62_337,
      trainLoss: 0.3,
      validLoss: 0.2,
      testLoss: 0.1,
      epochSeconds: [1.235, 2],
      backend: 'cpu',
      profile: 'smoke',
      config: { ...DEFAULT_CNN },
      data: { ...DEFAULT_DATA, nTrain: 100 },
      fit: { ...DEFAULT_FIT, epochs: 2 },
    });
    assert.deepEqual(readSummary().smoke.cnn, raw.smoke.cnn);
  });

  it('reads entries written before record fields were camelCase', () => {
    fs.mkdirSync(path.dirname(summaryFile()), { recursive: true });
    const old = {
      params: 10,
      train_loss: 0.4,
      valid_loss: 0.3,
      test_loss: 0.2,
      epoch_s: [1.5],
      backend: 'wasm',
      config: {},
      data: DEFAULT_DATA,
      train: DEFAULT_FIT,
    };
    fs.writeFileSync(summaryFile(), JSON.stringify({ full: { 'lstm-blog': old } }));
    assert.deepEqual(readSummary().full['lstm-blog'], {
      kind: 'lstm-blog', // the entry's name, when the kind was not written
      params: 10,
      trainLoss: 0.4,
      validLoss: 0.3,
      testLoss: 0.2,
      epochSeconds: [1.5],
      backend: 'wasm',
      profile: 'custom',
      config: {},
      data: DEFAULT_DATA,
      fit: DEFAULT_FIT,
    });
  });

  it('moves an unreadable file aside instead of overwriting it', () => {
    fs.mkdirSync(path.dirname(summaryFile()), { recursive: true });
    fs.writeFileSync(summaryFile(), '{ not json');
    recordSummary('cnn', record());
    assert.deepEqual(Object.keys(readSummary().smoke), ['cnn']);
    const dir = path.dirname(summaryFile());
    const moved = fs.readdirSync(dir).filter((f) => f.startsWith('summary.json.bad-'));
    assert.equal(moved.length, 1);
    assert.equal(fs.readFileSync(path.join(dir, moved[0]), 'utf8'), '{ not json');
  });
});
