// The LSTM scan of lstm.ts run by TensorFlow's kernels on the native (tfjs-node) backend.
// Forward: at batch 1 (the blog LSTM), `BlockLSTMV2` computes every time step of one direction
// in a single op. With more rows it is not used: its step products go through TensorFlow's BLAS
// path (oneDNN's sgemm), which in this build corrupts the heap when a signal reaches the process
// mid-product (a notebook interrupt, `node --cpu-prof`; a sequence-LSTM training step died after
// ~60 SIGUSR2s, before this change too). `forwardSteps` does the same per step with ops that
// take thousands of signals unharmed: one BatchMatMulV2 for h·U, then elementwise ops.
// Backward: one `LSTMBlockCellGrad` (the gate gradients of one step, elementwise) and one matrix
// product (the recurrent gradient dh_{t-1} = dgates_t · Uᵀ) per step, run on raw TensorFlow
// handles through the binding; then the weight gradients of all steps in one product each.
// TensorFlow's fused `BlockLSTMGradV2` would be one op, but it accumulates the weight gradient
// at every step (a pass over all of [in + H, 4H]) and computes dgates · wᵀ with a strided,
// unvectorised matrix-vector product: 20-28 ms of CPU for the blog LSTM's 128 steps of batch 1.
// This way a whole blog-LSTM training step takes ~23 ms of CPU instead of 43 (2 cores, load ~7,
// same losses to 7 digits over 2 epochs); the sequence LSTM costs about what it did with the
// fused ops, now without the signal hazard.
// Same signature and results as `lstmScan`.
//
// Op contract (tensorflow/core/ops/rnn_ops.cc, kernels/rnn/lstm_ops.cc):
//   BlockLSTMV2(seq_len_max: int64, x [T, B, in], cs_prev [B, H], h_prev [B, H],
//               w [in + H, 4H], wci [H], wcf [H], wco [H], b [4H]; cell_clip, use_peephole, T)
//     → i, cs, f, o, ci, co, h, each [T, B, H]
//   (forwardSteps returns the same 7 outputs.)
//   LSTMBlockCellGrad(x [B, in], cs_prev, h_prev, w, wci, wcf, wco, b, i, cs, f, o, ci, co,
//                     cs_grad, h_grad, each state [B, H]; use_peephole, T)
//     → cs_prev_grad [B, H], dicfo [B, 4H], wci_grad, wcf_grad, wco_grad
//     Elementwise only: x, h_prev, w and b are read for their shapes, not their values.
// V2 uses the IFCO gate layout (i, f, ci, o), which is PyTorch's (i, f, g, o), so our columns need
// no permutation (V1 `BlockLSTM` is ICFO and adds a forget_bias). V2 has no forget_bias, and
// cell_clip ≤ 0 means no clipping. cs is the cell state before tanh, h the output. The cell
// gradient's dicfo is in V1's ICFO order: the recurrent MatMul uses U's columns in that order,
// and the weight gradients, computed in ICFO, have their columns put back in IFCO order.
import * as tf from '@tensorflow/tfjs';
import type { LstmWeights } from './lstm-weights';

/** The parts of tfjs-node's NodeJSKernelBackend used here (dist/nodejs_kernel_backend.js). */
interface NativeBinding {
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
interface TensorMetadata {
  id: number;
  shape: number[];
  dtype: number;
}
interface NativeBackend {
  binding: NativeBinding;
  getInputTensorIds(tensors: tf.Tensor[]): number[];
  createOutputTensor(metadata: TensorMetadata): tf.Tensor;
}

function nativeBackend(): NativeBackend | undefined {
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
function runWithSeqLen(
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

function forwardAttrs(b: NativeBinding) {
  return [
    { name: 'cell_clip', type: b.TF_ATTR_FLOAT, value: 0 },
    { name: 'use_peephole', type: b.TF_ATTR_BOOL, value: false },
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
  ];
}

type Attr = { name: string; type: number; value: unknown };

/**
 * TensorFlow ops run straight on the binding's tensor handles, skipping tfjs's engine, which
 * costs more than the ops themselves at batch 1. Every handle made here is freed by `free()`,
 * except those `output()` hands over to tfjs.
 */
class RawOps {
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

/** Column order that takes IFCO-ordered gate columns to ICFO (and, applied to ICFO, back). */
function swapGates(hidden: number): number[] {
  const block = (k: number) => Array.from({ length: hidden }, (_, j) => k * hidden + j);
  return [...block(0), ...block(2), ...block(1), ...block(3)];
}

/**
 * Back-propagates one direction. Handles: x [T, B, in], wu [in + H, 4H] (IFCO), b [4H],
 * h0/c0 [B, H], outs = BlockLSTMV2's 7 outputs, dy [T + 1, B, H] (dh of the T outputs, then dc of
 * the final cell state). Returns handles of dx [T, B, in], dw [in, 4H], du [H, 4H], db [1, 4H],
 * dh0 [B, H], dc0 [B, H].
 */
function backwardOneDirection(
  ops: RawOps,
  a: {
    t: number;
    batch: number;
    cin: number;
    hidden: number;
    x: number;
    wu: number;
    b: number;
    h0: number;
    c0: number;
    outs: number[];
    dy: number;
  },
): number[] {
  const { t, batch, cin, hidden } = a;
  const swap = swapGates(hidden);
  // Uᵀ with its rows in ICFO order: dh_{t-1} = dicfo_t · Uᵀ, [B, 4H] · [4H, H].
  const u = ops.slice0(a.wu, cin, hidden, 2); // [H, 4H], IFCO columns
  const uT = ops.transpose2(ops.gather(u, swap, 1)); // [4H, H], ICFO rows
  const [iS, csS, fS, oS, ciS, coS] = a.outs.slice(0, 6).map((id) => ops.unpack(id, t));
  const hGrad = ops.unpack(ops.slice0(a.dy, 0, t, 3), t); // T × [B, H]
  let csGrad = ops.reshape(ops.slice0(a.dy, t, 1, 3), [batch, hidden]);
  // The cell gradient reads x, h_prev, w and b for their shapes only (see the header).
  const xShape = ops.reshape(ops.slice0(a.x, 0, 1, 3), [batch, cin]);
  const zerosH = ops.zeros(hidden); // the unused peephole weights
  const cellAttrs = [ops.bool('use_peephole', false), ops.T];
  const dicfo: number[] = new Array<number>(t);
  let dhRec: number | undefined;
  for (let s = t - 1; s >= 0; s--) {
    const hg = dhRec === undefined ? hGrad[s] : ops.add(hGrad[s], dhRec);
    const csPrev = s > 0 ? csS[s - 1] : a.c0;
    const [dcsPrev, dg] = ops.run(
      'LSTMBlockCellGrad',
      cellAttrs,
      [
        xShape,
        csPrev,
        a.h0,
        a.wu,
        zerosH,
        zerosH,
        zerosH,
        a.b,
        iS[s],
        csS[s],
        fS[s],
        oS[s],
        ciS[s],
        coS[s],
        csGrad,
        hg,
      ],
      5,
    );
    dicfo[s] = dg;
    csGrad = dcsPrev;
    dhRec = batch === 1 ? ops.rowTimesMatrix(dg, uT) : ops.matMul(dg, uT);
  }
  // All steps at once, still in ICFO order (a column permutation of all of dgates cost more
  // than the rest of the backward pass): one MatMul per weight, whose small results are then
  // permuted back to IFCO.
  const dg = ops.reshape(ops.pack(dicfo), [t * batch, 4 * hidden]); // [T·B, 4H], ICFO
  const x2 = ops.reshape(a.x, [t * batch, cin]);
  const hPrev =
    t === 1
      ? a.h0
      : ops.concat0([
          a.h0,
          ops.reshape(ops.slice0(a.outs[6], 0, t - 1, 3), [(t - 1) * batch, hidden]),
        ]);
  const wIcfo = ops.gather(ops.slice0(a.wu, 0, cin, 2), swap, 1); // [in, 4H]
  return [
    ops.reshape(ops.matMul(dg, wIcfo, false, true), [t, batch, cin]), // dx = dg · wᵀ
    ops.gather(ops.matMul(x2, dg, true, false), swap, 1), // dw = xᵀ · dg
    ops.gather(ops.matMul(hPrev, dg, true, false), swap, 1), // du = h_prevᵀ · dg
    ops.reshape(ops.gather(ops.sum0(dg), swap, 0), [1, 4 * hidden]), // db
    dhRec!, // dh0
    csGrad, // dc0
  ];
}

/**
 * BlockLSTMV2's seven outputs for one direction with more than one row, from ops that stay
 * sound when a signal arrives: BlockLSTMV2 does its step products through TensorFlow's BLAS
 * path (oneDNN's sgemm), which corrupts the heap under signals when the batch has several rows
 * (see RawOps.matMul; a sequence-LSTM training step died after ~60 SIGUSR2s). Per step: one
 * BatchMatMulV2 for h·U, then the gates, c and h as elementwise ops. x [T, B, in], w [in + H, 4H],
 * b [4H], h0/c0 [B, H] (tfjs tensors); returns i, cs, f, o, ci, co, h, each [T, B, H].
 */
function forwardSteps(
  be: NativeBackend,
  x: tf.Tensor,
  wu: tf.Tensor,
  b: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
): tf.Tensor[] {
  const [t, batch, cin] = x.shape;
  const [rows, g4] = wu.shape;
  const hidden = rows - cin;
  const ops = new RawOps(be);
  try {
    const [xId, wuId, bId, h0Id, c0Id] = be.getInputTensorIds([x, wu, b, h0, c0]);
    const w = ops.slice0(wuId, 0, cin, 2); // [in, 4H]
    const u = ops.slice0(wuId, cin, hidden, 2); // [H, 4H]
    // x·w + b for every step at once: [T·B, in] · [in, 4H] → T × [B, 4H].
    const xw = ops.add(ops.matMul(ops.reshape(xId, [t * batch, cin]), w), bId);
    const steps = ops.unpack(ops.reshape(xw, [t, batch, g4]), t);
    const outs: number[][] = [[], [], [], [], [], [], []]; // i, cs, f, o, ci, co, h
    let h = h0Id;
    let c = c0Id;
    for (let s = 0; s < t; s++) {
      const [zi, zf, zg, zo] = ops.split1(ops.add(steps[s], ops.matMul(h, u)), 4);
      const i = ops.unary('Sigmoid', zi);
      const f = ops.unary('Sigmoid', zf);
      const g = ops.unary('Tanh', zg);
      const o = ops.unary('Sigmoid', zo);
      c = ops.add(ops.mul(f, c), ops.mul(i, g));
      const co = ops.unary('Tanh', c);
      h = ops.mul(o, co);
      [i, c, f, o, g, co, h].forEach((id, k) => outs[k].push(id));
    }
    return outs.map((l) => ops.output(ops.pack(l)));
  } finally {
    ops.free();
  }
}

/** BlockLSTMV2's 7 outputs, in op order. */
const FWD_OUTPUTS = 7;

/**
 * One customGrad over all directions. Inputs x [D, T, B, in], w, u, b, h0, c0; the single output
 * (customGrad allows one) packs [D, T + 1, B, H]: the T outputs h, then the final cell state.
 */
const fusedScan = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, u, b, h0, c0] = args as [
    tf.Tensor4D,
    tf.Tensor3D,
    tf.Tensor3D,
    tf.Tensor3D,
    tf.Tensor3D,
    tf.Tensor3D,
  ];
  const save = args[6] as tf.GradSaveFunc;
  const be = nativeBackend();
  if (!be)
    throw new Error(
      `nativeLstmScan needs the 'tensorflow' (tfjs-node) backend, not '${tf.getBackend()}'`,
    );
  const [d, t, batch, cin] = x.shape;
  const hidden = u.shape[1];
  const zerosH = tf.zeros([hidden]);
  const packed: tf.Tensor[] = [];
  const kept: tf.Tensor[] = [];
  const wu = tf.concat([w, u], 1); // BlockLSTM's w: [x, h] · [in + H, 4H]
  for (let k = 0; k < d; k++) {
    const xk = tf.reshape(tf.slice(x, [k, 0, 0, 0], [1, t, batch, cin]), [t, batch, cin]);
    const wk = tf.reshape(tf.slice(wu, [k, 0, 0], [1, cin + hidden, 4 * hidden]), [
      cin + hidden,
      4 * hidden,
    ]);
    const bk = tf.reshape(tf.slice(b, [k, 0, 0], [1, 1, 4 * hidden]), [4 * hidden]);
    const hk = tf.reshape(tf.slice(h0, [k, 0, 0], [1, batch, hidden]), [batch, hidden]);
    const ck = tf.reshape(tf.slice(c0, [k, 0, 0], [1, batch, hidden]), [batch, hidden]);
    const outs =
      batch === 1
        ? runWithSeqLen(
            be,
            'BlockLSTMV2',
            forwardAttrs(be.binding),
            t,
            [xk, ck, hk, wk, zerosH, zerosH, zerosH, bk],
            FWD_OUTPUTS,
          )
        : forwardSteps(be, xk, wk, bk, hk, ck);
    const [, cs, , , , , h] = outs;
    packed.push(tf.concat([h, tf.slice(cs, [t - 1, 0, 0], [1, batch, hidden])], 0));
    kept.push(...outs);
  }
  save([x, wu, b, h0, c0, ...kept]);
  return {
    value: tf.stack(packed) as tf.Tensor4D,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const be2 = nativeBackend();
      if (!be2)
        throw new Error(
          `nativeLstmScan's gradient needs the 'tensorflow' backend, not '${tf.getBackend()}'`,
        );
      const [sx, swu, sb, sh0, sc0, ...fwd] = saved;
      const grads: tf.Tensor[][] = [[], [], [], [], [], []]; // x, w, u, b, h0, c0
      const ops = new RawOps(be2);
      try {
        const [xId, wuId, bId, h0Id, c0Id, dyId] = be2.getInputTensorIds([
          sx,
          swu,
          sb,
          sh0,
          sc0,
          dy,
        ]);
        // Direction k of a rank-`rank` [D, …] tensor, reshaped to what the ops take.
        const at = (id: number, rank: number, k: number, shape: number[]) =>
          ops.reshape(d === 1 ? id : ops.slice0(id, k, 1, rank), shape);
        for (let k = 0; k < d; k++) {
          const outs = be2.getInputTensorIds(fwd.slice(k * FWD_OUTPUTS, (k + 1) * FWD_OUTPUTS));
          const g = backwardOneDirection(ops, {
            t,
            batch,
            cin,
            hidden,
            x: at(xId, 4, k, [t, batch, cin]),
            wu: at(wuId, 3, k, [cin + hidden, 4 * hidden]),
            b: at(bId, 3, k, [4 * hidden]),
            h0: at(h0Id, 3, k, [batch, hidden]),
            c0: at(c0Id, 3, k, [batch, hidden]),
            outs,
            dy: at(dyId, 4, k, [t + 1, batch, hidden]),
          });
          g.forEach((id, i) => grads[i].push(ops.output(id)));
        }
      } finally {
        ops.free();
      }
      return grads.map((g) => (d === 1 ? tf.expandDims(g[0], 0) : tf.stack(g)));
    },
  };
}) as (
  x: tf.Tensor4D,
  w: tf.Tensor3D,
  u: tf.Tensor3D,
  b: tf.Tensor3D,
  h0: tf.Tensor3D,
  c0: tf.Tensor3D,
) => tf.Tensor4D;

/**
 * `lstmScan` (lstm.ts) on TensorFlow's fused BlockLSTMV2 kernels: D directions of an LSTM over
 * time-major inputs. xs: D tensors [T, B, in] (direction d already in its own time order),
 * h0/c0: [D, B, H]. Returns the outputs [D, T, B, H] and the final states [D, B, H].
 * Needs the 'tensorflow' backend; see `nativeLstmAvailable`.
 */
export function nativeLstmScan(
  xs: tf.Tensor3D[],
  wts: LstmWeights,
  h0: tf.Tensor3D,
  c0: tf.Tensor3D,
): { ys: tf.Tensor4D; h: tf.Tensor3D; c: tf.Tensor3D } {
  const [d, , h4] = wts.w.shape;
  const hidden = h4 / 4;
  const [t, b] = xs[0].shape;
  if (xs.length !== d) throw new Error(`nativeLstmScan: ${xs.length} inputs for ${d} directions`);
  if (t < 1) throw new Error('nativeLstmScan: the sequence must have at least one step');
  const packed = fusedScan(tf.stack(xs) as tf.Tensor4D, wts.w, wts.u, wts.b, h0, c0); // [D, T + 1, B, H]
  return {
    ys: tf.slice(packed, [0, 0, 0, 0], [d, t, b, hidden]),
    h: tf.reshape(tf.slice(packed, [0, t - 1, 0, 0], [d, 1, b, hidden]), [d, b, hidden]),
    c: tf.reshape(tf.slice(packed, [0, t, 0, 0], [d, 1, b, hidden]), [d, b, hidden]),
  };
}

const probed = new WeakMap<object, boolean>();

/** True when the active backend is tfjs-node ('tensorflow') and its BlockLSTMV2 kernels run. */
export function nativeLstmAvailable(): boolean {
  const be = nativeBackend();
  if (!be) return false;
  let ok = probed.get(be);
  if (ok === undefined) {
    try {
      ok = tf.tidy(() => {
        const one = tf.ones([1, 1, 1, 1]) as tf.Tensor4D;
        const w = tf.fill([1, 1, 4], 0.5) as tf.Tensor3D;
        const zero = tf.zeros([1, 1, 1]) as tf.Tensor3D;
        const g = tf.grads((x: tf.Tensor) =>
          fusedScan(x as tf.Tensor4D, w, w, w, zero, zero).sum(),
        );
        const [dx] = g([one]);
        // h = σ(1)·tanh(σ(1)·tanh(1)) for x = 1, zero state, all weights and the bias 0.5.
        const s = 1 / (1 + Math.exp(-1));
        const want = s * Math.tanh(s * Math.tanh(1));
        const got = fusedScan(one, w, w, w, zero, zero).dataSync();
        return Math.abs(got[0] - want) < 1e-5 && Number.isFinite(dx.dataSync()[0]);
      });
    } catch {
      ok = false;
    }
    probed.set(be, ok);
  }
  return ok;
}
