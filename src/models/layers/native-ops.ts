// Raw access to tfjs-node's TensorFlow binding for the native LSTM scan (native-lstm.ts): the
// binding's types, the active native backend, and TensorFlow ops run straight on tensor
// handles, skipping tfjs's engine, whose per-op cost exceeds the ops themselves at batch 1.
import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-node's NodeJSKernelBackend used here (dist/nodejs_kernel_backend.js). */
export interface NativeBinding {
  TF_ATTR_BOOL: number;
  TF_ATTR_FLOAT: number;
  TF_ATTR_INT: number;
  TF_ATTR_TYPE: number;
  TF_FLOAT: number;
  TF_INT32: number;
  TF_INT64: number;
  createTensor(shape: number[], dtype: number, values: Int32Array | Float32Array): number;
  deleteTensor(id: number): void;
  executeOp(
    name: string,
    attrs: { name: string; type: number; value: unknown }[],
    inputIds: number[],
    numOutputs: number,
  ): TensorMetadata[];
}
/** What the binding returns for each op output: the handle's id, shape and dtype. */
export interface TensorMetadata {
  id: number;
  shape: number[];
  dtype: number;
}
export interface NativeBackend {
  binding: NativeBinding;
  getInputTensorIds(tensors: tf.Tensor[]): number[];
  createOutputTensor(metadata: TensorMetadata): tf.Tensor;
}

export function nativeBackend(): NativeBackend | undefined {
  if (tf.getBackend() !== 'tensorflow') return undefined;
  const be = tf.backend() as unknown as Partial<NativeBackend>;
  return be.binding && be.getInputTensorIds && be.createOutputTensor
    ? (be as NativeBackend)
    : undefined;
}

/**
 * Runs a TensorFlow op whose first input is the int64 scalar `seqLen` (tfjs has no int64 dtype, so
 * the handle is made through the binding, as tfjs-node's Int64Scalar does, and freed right after).
 */
export function runWithSeqLen(
  be: NativeBackend,
  op: string,
  attrs: { name: string; type: number; value: unknown }[],
  seqLen: number,
  inputs: tf.Tensor[],
  numOutputs: number,
): tf.Tensor[] {
  const { binding } = be;
  // Little-endian int64: low word, high word (tfjs-node's Int64Scalar makes the same layout).
  const seqId = binding.createTensor([], binding.TF_INT64, new Int32Array([seqLen, 0]));
  try {
    const out = binding.executeOp(op, attrs, [seqId, ...be.getInputTensorIds(inputs)], numOutputs);
    return out.map((m) => be.createOutputTensor(m));
  } finally {
    binding.deleteTensor(seqId);
  }
}

export function forwardAttrs(b: NativeBinding) {
  return [
    { name: 'cell_clip', type: b.TF_ATTR_FLOAT, value: 0 },
    { name: 'use_peephole', type: b.TF_ATTR_BOOL, value: false },
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
  ];
}

export type Attr = { name: string; type: number; value: unknown };

/**
 * TensorFlow ops run straight on the binding's tensor handles, skipping tfjs's engine, which
 * costs more than the ops themselves at batch 1. Every handle made here is freed by `free()`,
 * except those `output()` hands over to tfjs.
 */
export class RawOps {
  private readonly b: NativeBinding;
  /** Handles to free, with the metadata of op outputs (for `output`). */
  private readonly made = new Map<number, TensorMetadata | undefined>();
  readonly T: Attr;

  constructor(private readonly be: NativeBackend) {
    this.b = be.binding;
    this.T = { name: 'T', type: this.b.TF_ATTR_TYPE, value: this.b.TF_FLOAT };
  }

  run(op: string, attrs: Attr[], inputs: number[], numOutputs = 1): number[] {
    const out = this.b.executeOp(op, attrs, inputs, numOutputs);
    for (const m of out) this.made.set(m.id, m);
    return out.map((m) => m.id);
  }

  one(op: string, attrs: Attr[], inputs: number[]): number {
    return this.run(op, attrs, inputs, 1)[0];
  }

  int(name: string, value: number): Attr {
    return { name, type: this.b.TF_ATTR_INT, value };
  }

  bool(name: string, value: boolean): Attr {
    return { name, type: this.b.TF_ATTR_BOOL, value };
  }

  int32Type(name: string): Attr {
    return { name, type: this.b.TF_ATTR_TYPE, value: this.b.TF_INT32 };
  }

  /** An int32 constant: a vector, or a scalar when `scalar`. */
  ints(values: number[], scalar = false): number {
    const shape = scalar ? [] : [values.length];
    const id = this.b.createTensor(shape, this.b.TF_INT32, Int32Array.from(values));
    this.made.set(id, undefined);
    return id;
  }

  /** A float32 vector of zeros. */
  zeros(n: number): number {
    const id = this.b.createTensor([n], this.b.TF_FLOAT, new Float32Array(n));
    this.made.set(id, undefined);
    return id;
  }

  reshape(x: number, shape: number[]): number {
    return this.one('Reshape', [this.T, this.int32Type('Tshape')], [x, this.ints(shape)]);
  }

  /** Items [from, from + size) of the leading axis of a rank-`rank` tensor. */
  slice0(x: number, from: number, size: number, rank: number): number {
    const rest = Array<number>(rank - 1);
    const begin = [from, ...rest.fill(0)];
    const sizes = [size, ...rest.fill(-1)];
    const attrs = [this.T, this.int32Type('Index')];
    return this.one('Slice', attrs, [x, this.ints(begin), this.ints(sizes)]);
  }

  unpack(x: number, num: number): number[] {
    return this.run('Unpack', [this.T, this.int('num', num), this.int('axis', 0)], [x], num);
  }

  pack(xs: number[]): number {
    return this.one('Pack', [this.T, this.int('N', xs.length), this.int('axis', 0)], xs);
  }

  concat0(xs: number[]): number {
    const attrs = [this.T, this.int('N', xs.length), this.int32Type('Tidx')];
    return this.one('ConcatV2', attrs, [...xs, this.ints([0], true)]);
  }

  add(a: number, b: number): number {
    return this.one('AddV2', [this.T], [a, b]);
  }

  mul(a: number, b: number): number {
    return this.one('Mul', [this.T], [a, b]);
  }

  unary(op: 'Sigmoid' | 'Tanh', x: number): number {
    return this.one(op, [this.T], [x]);
  }

  /** `n` equal pieces along axis 1. */
  split1(x: number, n: number): number[] {
    return this.run('Split', [this.T, this.int('num_split', n)], [this.ints([1], true), x], n);
  }

  /**
   * a · b (either transposed) with BatchMatMulV2, the op tfjs-node itself uses. TensorFlow's
   * `MatMul` (oneDNN's sgemm in this build) corrupts the heap when a signal reaches the process
   * while it runs with more than one row: 5-13 SIGUSR2s, or `node --cpu-prof`, were enough to
   * abort with "corrupted size vs. prev_size" (BatchMatMulV2 and Conv2D took 600-1,900 without
   * harm). So `MatMul` is used only by `rowTimesMatrix`.
   */
  matMul(a: number, b: number, transposeA = false, transposeB = false): number {
    const attrs = [this.T, this.bool('adj_x', transposeA), this.bool('adj_y', transposeB)];
    return this.one('BatchMatMulV2', attrs, [a, b]);
  }

  /**
   * [1, K] · [K, N] with `MatMul`, which for a single row takes oneDNN's matrix-vector path:
   * 4× faster than BatchMatMulV2 there (30 against 117 µs for 512 × 128), and it came through
   * 600,000 calls under `--cpu-prof` and 1,700 SIGUSR2s unharmed (see `matMul`).
   */
  rowTimesMatrix(a: number, b: number): number {
    const attrs = [this.bool('transpose_a', false), this.bool('transpose_b', false), this.T];
    return this.one('MatMul', attrs, [a, b]);
  }

  /** Sum over the leading axis of a matrix. */
  sum0(x: number): number {
    const attrs = [this.T, this.int32Type('Tidx'), this.bool('keep_dims', false)];
    return this.one('Sum', attrs, [x, this.ints([0], true)]);
  }

  transpose2(x: number): number {
    return this.one('Transpose', [this.T, this.int32Type('Tperm')], [x, this.ints([1, 0])]);
  }

  /** Columns picked along the last axis (`axis` = rank − 1). */
  gather(x: number, columns: number[], axis: number): number {
    const attrs = [
      { name: 'Tparams', type: this.b.TF_ATTR_TYPE, value: this.b.TF_FLOAT },
      this.int32Type('Tindices'),
      this.int32Type('Taxis'),
      this.int('batch_dims', 0),
    ];
    return this.one('GatherV2', attrs, [x, this.ints(columns), this.ints([axis], true)]);
  }

  /** The tfjs tensor for an op output made here; tfjs owns it from now on. */
  output(id: number): tf.Tensor {
    const m = this.made.get(id);
    if (!m) throw new Error(`RawOps.output: handle ${id} is not an op output made here`);
    this.made.delete(id);
    return this.be.createOutputTensor(m);
  }

  free(): void {
    for (const id of this.made.keys()) this.b.deleteTensor(id);
    this.made.clear();
  }
}
