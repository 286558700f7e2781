// TensorFlow's own ops, run on tfjs-node through the public methods of its backend
// (`NodeJSKernelBackend.executeSingleOutput` / `executeMultipleOutputs`, the calls tfjs-node's
// own kernels make). Every output is an ordinary tfjs tensor: tfjs's engine tracks it, `tidy`
// frees it and `tf.memory()` counts it. This file and its neighbours in runtime/native/ are the
// only code that names a TensorFlow op.
import * as tf from '@tensorflow/tfjs';

/** One attribute of a TensorFlow op, as tfjs-node's binding takes it. */
export interface OpAttr {
  name: string;
  type: number;
  value: unknown;
}

/** The public surface of tfjs-node's backend that runtime/native/ uses. */
export interface TensorFlowBackend {
  binding: {
    TF_ATTR_BOOL: number;
    TF_ATTR_FLOAT: number;
    TF_ATTR_INT: number;
    TF_ATTR_TYPE: number;
    TF_FLOAT: number;
    TF_INT32: number;
    TF_INT64: number;
  };
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[]): tf.Tensor;
  executeMultipleOutputs(
    name: string,
    attrs: OpAttr[],
    inputs: tf.TensorInfo[],
    numOutputs: number,
  ): tf.Tensor[];
}

/** tfjs-node's backend when it is the active one ('tensorflow'), else undefined. */
export function tensorflowBackend(): TensorFlowBackend | undefined {
  if (tf.getBackend() !== 'tensorflow') return undefined;
  const be = tf.backend() as unknown as Partial<TensorFlowBackend>;
  return be.binding && be.executeSingleOutput && be.executeMultipleOutputs
    ? (be as TensorFlowBackend)
    : undefined;
}

/** Runs TensorFlow ops by name on tfjs tensors; float32 ops unless an attribute says otherwise. */
export class TfOps {
  /** The `T: float32` attribute most ops take. */
  readonly T: OpAttr;

  constructor(readonly be: TensorFlowBackend) {
    this.T = this.type('T', 'float32');
  }

  run(op: string, attrs: OpAttr[], inputs: tf.TensorInfo[], numOutputs: number): tf.Tensor[] {
    return this.be.executeMultipleOutputs(op, attrs, inputs, numOutputs);
  }

  one(op: string, attrs: OpAttr[], inputs: tf.TensorInfo[]): tf.Tensor {
    return this.be.executeSingleOutput(op, attrs, inputs);
  }

  type(name: string, dtype: 'float32' | 'int32' | 'int64'): OpAttr {
    const b = this.be.binding;
    const value = { float32: b.TF_FLOAT, int32: b.TF_INT32, int64: b.TF_INT64 }[dtype];
    return { name, type: b.TF_ATTR_TYPE, value };
  }

  int(name: string, value: number): OpAttr {
    return { name, type: this.be.binding.TF_ATTR_INT, value };
  }

  bool(name: string, value: boolean): OpAttr {
    return { name, type: this.be.binding.TF_ATTR_BOOL, value };
  }

  float(name: string, value: number): OpAttr {
    return { name, type: this.be.binding.TF_ATTR_FLOAT, value };
  }

  /** `n` tensors from the leading axis of `x` (TensorFlow's Unpack: one op for all of them). */
  unpack(x: tf.Tensor, n: number): tf.Tensor[] {
    return this.run('Unpack', [this.T, this.int('num', n), this.int('axis', 0)], [x], n);
  }

  /** a · b. One row takes `MatMul` (oneDNN's matrix-vector path, 4× faster there than
   * `BatchMatMulV2` for [1, 512] · [512, 128]); more rows take `BatchMatMulV2`, as tf.matMul
   * does on tfjs-node. */
  matMul(a: tf.Tensor, b: tf.Tensor, transposeB = false): tf.Tensor {
    if (a.shape[0] === 1 && a.rank === 2) {
      const attrs = [this.bool('transpose_a', false), this.bool('transpose_b', transposeB), this.T];
      return this.one('MatMul', attrs, [a, b]);
    }
    const attrs = [this.T, this.bool('adj_x', false), this.bool('adj_y', transposeB)];
    return this.one('BatchMatMulV2', attrs, [a, b]);
  }

  add(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return this.one('AddV2', [this.T], [a, b]);
  }

  /**
   * An int64 scalar, which some ops take (tfjs has no int64 dtype): an int32 scalar cast by
   * TensorFlow. tfjs-node keeps the int64 handle and labels the tensor int32, with a console
   * warning that is silenced here. Dispose it after use like any tensor.
   */
  int64Scalar(value: number): tf.Tensor {
    const warn = console.warn;
    console.warn = () => {};
    try {
      return tf.tidy(() =>
        this.one(
          'Cast',
          [this.type('SrcT', 'int32'), this.type('DstT', 'int64'), this.bool('Truncate', false)],
          [tf.scalar(value, 'int32')],
        ),
      );
    } finally {
      console.warn = warn;
    }
  }
}
