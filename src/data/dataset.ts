// The generated dataset, cached under data/cache/ and keyed by its full config, the seed and
// the generator version; plus the normalised [batch, 100, channels] tensors the models eat.
// Generation takes a couple of seconds at full size, so the cache matters mostly for the
// notebooks, which reload the same data many times.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  DataConfig,
  Dataset,
  DEFAULT_DATA,
  GENERATOR_VERSION,
  POSITION_BITS,
  SEQ_LENGTH,
  Split,
  generateDataset,
  inputChannels,
  positionChannels,
  validateDataConfig,
} from './task';
import { dataDir } from '../runtime/paths';
import { checkInt } from '../runtime/validate';
import { Rng, shuffle } from './random';
import { keyOf, quarantine, readBlob, writeBlob } from '../runtime/store';

export interface LoadedDataset {
  dataset: Dataset;
  source: 'cache' | 'generated';
  /** Wall time to load or build it. */
  seconds: number;
  file: string;
}

export function datasetKey(config: DataConfig): string {
  return keyOf({ generator: GENERATOR_VERSION, config });
}

export function datasetFile(config: DataConfig): string {
  return path.join(dataDir(), 'cache', `dataset-${datasetKey(config)}.bin`);
}

interface Header {
  config: DataConfig;
  mean: number;
  std: number;
  rejected: number;
}

function pack(ds: Dataset): Uint8Array {
  const parts: ArrayBufferView[] = [
    ds.pool.x,
    ds.pool.y,
    ds.pool.shapes,
    ds.test.x,
    ds.test.y,
    ds.test.shapes,
    ds.trainIdx,
    ds.validIdx,
  ];
  const bytes = parts.reduce((a, p) => a + p.byteLength, 0);
  const out = new Uint8Array(bytes);
  let o = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), o);
    o += p.byteLength;
  }
  return out;
}

function unpack(h: Header, payload: Buffer): Dataset {
  // Copy into a fresh, aligned buffer so the typed-array views below are valid.
  const buf = new Uint8Array(payload.byteLength);
  buf.set(payload);
  let o = 0;
  const take = <T>(
    Ctor: { new (b: ArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number },
    n: number,
  ): T => {
    const v = new Ctor(buf.buffer, o, n);
    o += n * Ctor.BYTES_PER_ELEMENT;
    return v;
  };
  const split = (n: number): Split => ({
    n,
    x: take(Float32Array, n * SEQ_LENGTH),
    y: take(Float32Array, n * SEQ_LENGTH),
    shapes: take(Float64Array, n * 12),
  });
  const pool = split(h.config.nTrain);
  const test = split(h.config.nTest);
  const cut = Math.floor(h.config.validFraction * h.config.nTrain);
  const trainIdx = take(Int32Array, h.config.nTrain - cut);
  const validIdx = take(Int32Array, cut);
  return {
    config: h.config,
    pool,
    test,
    mean: h.mean,
    std: h.std,
    rejected: h.rejected,
    trainIdx,
    validIdx,
  };
}

/**
 * Loads the dataset for `config` from the cache, or generates and caches it. A corrupt or
 * mismatched cache file is moved aside (never deleted) and rebuilt, with a message.
 */
export function loadDataset(
  partial: Partial<DataConfig> = {},
  opts: { log?: (msg: string) => void; noCache?: boolean } = {},
): LoadedDataset {
  const log = opts.log ?? ((m: string) => console.error(m));
  const config = validateDataConfig({ ...DEFAULT_DATA, ...partial });
  const t0 = performance.now();
  const file = datasetFile(config);
  const key = datasetKey(config);
  if (!opts.noCache) {
    const got = readBlob<Header>(file, key);
    if (got.ok) {
      return {
        dataset: unpack(got.blob.header, got.blob.payload),
        source: 'cache',
        seconds: (performance.now() - t0) / 1000,
        file,
      };
    }
    if (got.reason !== 'missing') {
      const moved = quarantine(file);
      log(
        `dataset cache ${path.basename(file)} is unusable: ${got.reason}; moved it to ${moved && path.basename(moved)} and rebuilding`,
      );
    }
  }
  const dataset = generateDataset(config);
  if (!opts.noCache) {
    const header: Header = {
      config,
      mean: dataset.mean,
      std: dataset.std,
      rejected: dataset.rejected,
    };
    writeBlob(file, key, header, pack(dataset));
  }
  return { dataset, source: 'generated', seconds: (performance.now() - t0) / 1000, file };
}

export type SplitName = 'train' | 'valid' | 'test';

/** Indices of a split: train/valid index into `dataset.pool`, test into `dataset.test`. */
export function indicesOf(ds: Dataset, split: SplitName): Int32Array {
  if (split === 'train') return ds.trainIdx;
  if (split === 'valid') return ds.validIdx;
  return Int32Array.from({ length: ds.test.n }, (_, i) => i);
}

/**
 * The noise floor: the MSE, in normalised units, that even a perfect model keeps on this data,
 * because every target step carries its own uniform noise of width `noiseLevel` (Fleuret's 0.3,
 * U(−0.15, 0.15)) that nothing in the input predicts. Its variance is noiseLevel² / 12, divided
 * by the training std² when normalised: about 0.00021 for the walk-through's data.
 */
export function noiseFloor(ds: { config: Pick<DataConfig, 'noiseLevel'>; std: number }): number {
  return ds.config.noiseLevel ** 2 / 12 / ds.std ** 2;
}

/** A sequence in the units the models see: (value − training mean) / training std. */
export function normalise(ds: Pick<Dataset, 'mean' | 'std'>, a: Float32Array): Float32Array {
  return a.map((v) => (v - ds.mean) / ds.std);
}

/** The raw (un-normalised) input and target of one sample, for plotting. */
export function sample(
  ds: Dataset,
  split: 'pool' | 'test',
  i: number,
): { x: Float32Array; y: Float32Array } {
  const s = split === 'pool' ? ds.pool : ds.test;
  if (!Number.isInteger(i) || i < 0 || i >= s.n)
    throw new RangeError(`sample ${i} is outside the ${split} split (0..${s.n - 1})`);
  return {
    x: s.x.slice(i * SEQ_LENGTH, (i + 1) * SEQ_LENGTH),
    y: s.y.slice(i * SEQ_LENGTH, (i + 1) * SEQ_LENGTH),
  };
}

/**
 * Normalised tensors for the given sample indices of a split.
 * x: [batch, 100, 1] (or [batch, 100, 8] with positional encoding; the position bits are not
 * normalised), y: [batch, 100, 1]. Both use the training mean and std.
 */
export function batchTensors(
  ds: Dataset,
  split: SplitName,
  idx: ArrayLike<number>,
): { x: tf.Tensor3D; y: tf.Tensor3D } {
  const s = split === 'test' ? ds.test : ds.pool;
  const b = idx.length;
  const ch = inputChannels(ds.config);
  const xs = new Float32Array(b * SEQ_LENGTH * ch);
  const ys = new Float32Array(b * SEQ_LENGTH);
  const pos = ds.config.positionalEncoding ? positionChannels() : undefined;
  for (let k = 0; k < b; k++) {
    const i = idx[k];
    for (let t = 0; t < SEQ_LENGTH; t++) {
      const src = i * SEQ_LENGTH + t;
      const dst = (k * SEQ_LENGTH + t) * ch;
      xs[dst] = (s.x[src] - ds.mean) / ds.std;
      if (pos) for (let j = 0; j < POSITION_BITS; j++) xs[dst + 1 + j] = pos[t * POSITION_BITS + j];
      ys[k * SEQ_LENGTH + t] = (s.y[src] - ds.mean) / ds.std;
    }
  }
  return { x: tf.tensor3d(xs, [b, SEQ_LENGTH, ch]), y: tf.tensor3d(ys, [b, SEQ_LENGTH, 1]) };
}

/** Splits indices into batches of `size` (the last one may be smaller), shuffled when an rng is given. */
export function batchesOf(idx: Int32Array, size: number, rng?: Rng): Int32Array[] {
  checkInt('batchSize', size, 1);
  const order = Int32Array.from(idx);
  if (rng) shuffle(order, rng);
  const out: Int32Array[] = [];
  for (let i = 0; i < order.length; i += size) out.push(order.subarray(i, i + size));
  return out;
}
