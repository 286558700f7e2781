// Atomic, checked files (src/store.ts) and the dataset cache built on them (src/dataset.ts).
import { TMP } from '../setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, mock } from 'node:test';
import { datasetFile, loadDataset } from '../../src/data/dataset';
import { requireAtRunTime } from '../../src/runtime/lazy';
import {
  keyOf,
  readBlob,
  readJsonChecked,
  writeAtomic,
  writeBlob,
  writeJsonChecked,
} from '../../src/runtime/store';

const dir = path.join(TMP!, 'store-test');

describe('atomic files', () => {
  it('replaces a file whole and leaves no temp file behind', () => {
    const f = path.join(dir, 'a.txt');
    writeAtomic(f, 'first');
    writeAtomic(f, 'second');
    assert.equal(fs.readFileSync(f, 'utf8'), 'second');
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.startsWith('a.txt')),
      ['a.txt'],
    );
  });

  it('keeps the old file intact when a write is interrupted before the rename', () => {
    const f = path.join(dir, 'b.txt');
    writeAtomic(f, 'safe');
    // Patch the real module object (the namespace import is a read-only view of it).
    const realFs = requireAtRunTime<typeof fs>('node:fs');
    const rename = mock.method(realFs, 'renameSync', () => {
      throw new Error('killed');
    });
    try {
      assert.throws(() => writeAtomic(f, 'half-written'), /killed/);
    } finally {
      rename.mock.restore();
    }
    assert.equal(fs.readFileSync(f, 'utf8'), 'safe');
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.startsWith('b.txt')),
      ['b.txt'],
    );
  });

  it('gives a key independent of object key order', () => {
    assert.equal(keyOf({ a: 1, b: { c: 2, d: 3 } }), keyOf({ b: { d: 3, c: 2 }, a: 1 }));
    assert.notEqual(keyOf({ a: 1 }), keyOf({ a: 2 }));
  });

  it('detects a flipped byte, a truncation and a key mismatch in a blob', () => {
    const f = path.join(dir, 'c.bin');
    writeBlob(f, 'k1', { note: 'x' }, new Uint8Array([1, 2, 3, 4]));
    assert.equal(readBlob(f, 'k1').ok, true);
    assert.match((readBlob(f, 'k2') as { reason: string }).reason, /key mismatch/);
    const buf = fs.readFileSync(f);
    buf[buf.length - 1] ^= 0xff;
    fs.writeFileSync(f, buf);
    assert.match((readBlob(f, 'k1') as { reason: string }).reason, /corrupt/);
    fs.writeFileSync(f, buf.subarray(0, 5));
    assert.match((readBlob(f, 'k1') as { reason: string }).reason, /corrupt/);
    assert.equal(
      (readBlob(path.join(dir, 'nope.bin'), 'k1') as { reason: string }).reason,
      'missing',
    );
  });

  it('checks JSON files the same way', () => {
    const f = path.join(dir, 'd.json');
    writeJsonChecked(f, 'k', { loss: [0.5, 0.25] });
    assert.deepEqual(readJsonChecked(f, 'k'), { ok: true, value: { loss: [0.5, 0.25] } });
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('0.25', '0.35'));
    assert.match((readJsonChecked(f, 'k') as { reason: string }).reason, /checksum/);
  });
});

describe('dataset cache', () => {
  const cfg = { nTrain: 60, nTest: 10, seed: 3 };

  it('writes once, then loads the identical dataset from the cache', () => {
    const first = loadDataset(cfg, { log: () => {} });
    const second = loadDataset(cfg, { log: () => {} });
    assert.equal(first.source, 'generated');
    assert.equal(second.source, 'cache');
    assert.deepEqual(second.dataset.pool.x, first.dataset.pool.x);
    assert.deepEqual(second.dataset.trainIdx, first.dataset.trainIdx);
    assert.equal(second.dataset.std, first.dataset.std);
  });

  it('keys the cache by the full config', () => {
    assert.notEqual(
      datasetFile({ ...loadDataset(cfg).dataset.config }),
      datasetFile({ ...loadDataset(cfg).dataset.config, groupByLocations: true }),
    );
  });

  it('moves a corrupt cache file aside, says so, and rebuilds', () => {
    const { file, dataset } = loadDataset(cfg, { log: () => {} });
    const buf = fs.readFileSync(file);
    buf[buf.length - 10] ^= 0x55;
    fs.writeFileSync(file, buf);
    const msgs: string[] = [];
    const again = loadDataset(cfg, { log: (m) => msgs.push(m) });
    assert.equal(again.source, 'generated');
    assert.match(msgs.join('\n'), /unusable: corrupt/);
    assert.deepEqual(again.dataset.pool.x, dataset.pool.x);
    assert.ok(
      fs.readdirSync(path.dirname(file)).some((n) => n.startsWith(path.basename(file) + '.bad-')),
      'the bad file is kept aside',
    );
  });

  it('detects a cache file that belongs to another config', () => {
    const a = loadDataset({ ...cfg, seed: 4 }, { log: () => {} });
    const b = loadDataset({ ...cfg, seed: 5 }, { log: () => {} });
    fs.copyFileSync(a.file, b.file);
    const msgs: string[] = [];
    const again = loadDataset({ ...cfg, seed: 5 }, { log: (m) => msgs.push(m) });
    assert.equal(again.source, 'generated');
    assert.match(msgs.join('\n'), /key mismatch/);
    assert.deepEqual(again.dataset.pool.x, b.dataset.pool.x);
  });
});
