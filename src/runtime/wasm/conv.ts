// Convolution gradients (NHWC, stride 1, dilation 1; conv1d lowers to these):
// Conv2DBackpropFilter, which stock wasm lacks, and a fast Conv2DBackpropInput.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import {
  type BackendWasm,
  type Ctx,
  type KernelArgs,
  alloc,
  ctxFor,
  dataOf,
  free,
  heapF32,
  transposeInto,
  unview,
  view,
  xnnMatMul,
} from './heap';

function rawConv2d(
  ctx: Ctx,
  xId: number,
  batch: number,
  inH: number,
  inW: number,
  filterId: number,
  fh: number,
  fw: number,
  padT: number,
  padR: number,
  padB: number,
  padL: number,
  inC: number,
  outC: number,
  outId: number,
): void {
  ctx.backend.wasm._Conv2D(
    xId,
    batch,
    inH,
    inW,
    filterId,
    fh,
    fw,
    padT,
    padR,
    padB,
    padL,
    0 /* explicit padding */,
    1,
    1,
    1,
    1,
    inC,
    outC,
    outId,
  );
}

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function convInfoFor(
  xShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
  kernel: string,
): tf.backend_util.Conv2DInfo {
  const fmt = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad as never,
    attrs.dimRoundingMode,
    false,
    fmt,
  );
  const problems: string[] = [];
  if (info.dataFormat !== 'channelsLast') problems.push(`dataFormat ${attrs.dataFormat}`);
  if (info.strideHeight !== 1 || info.strideWidth !== 1) {
    problems.push(`strides ${info.strideHeight}x${info.strideWidth}`);
  }
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) problems.push('dilations != 1');
  if (problems.length > 0) {
    throw new Error(
      `wasm-kernels ${kernel}: only NHWC, stride 1, dilation 1 is supported ` +
        `(got ${problems.join(', ')}).`,
    );
  }
  return info;
}

export function conv2DBackpropFilter(args: KernelArgs): TensorInfo {
  const backend = args.backend as unknown as BackendWasm;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { filterShape: number[] };
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error('wasm-kernels Conv2DBackpropFilter: only float32 is supported.');
  }
  const info = convInfoFor(x.shape, attrs.filterShape, attrs, 'Conv2DBackpropFilter');
  const {
    batchSize: B,
    inHeight: H,
    inWidth: W,
    inChannels: Ci,
    outHeight: oH,
    outWidth: oW,
    outChannels: Co,
    filterHeight: fh,
    filterWidth: fw,
    padInfo,
  } = info;
  const ctx = ctxFor(backend);
  const R = fh * fw * Ci; // rows of cols = rows of dW
  const P = B * oH * oW; // output positions = the contracted dimension
  const out = backend.makeOutput([fh, fw, Ci, Co], 'float32');
  if (P === 0 || R * Co === 0) {
    const o = dataOf(ctx, out).memoryOffset >>> 2;
    heapF32(ctx).fill(0, o, o + R * Co);
    return out;
  }
  // dW[kh,kw,ci,co] = sum_{b,i,j} x[b, i+kh-pT, j+kw-pL, ci] * dy[b, i, j, co]
  //                 = (cols · dy)[(kh,kw,ci), co]
  // with cols[(kh,kw,ci), (b,i,j)] = x[b, i+kh-pT, j+kw-pL, ci] (0 outside).
  const temps: TensorInfo[] = [];
  try {
    // x channel-major, [Ci, B, H, W], so every cols row is copied in runs.
    let xt: TensorInfo = x;
    if (Ci > 1) {
      xt = transposeInto(ctx, x, [B * H * W, Ci], [1, 0]);
      temps.push(xt);
    }
    const cols = alloc(ctx, [R, P]);
    temps.push(cols);
    const heap = heapF32(ctx);
    const src = dataOf(ctx, xt).memoryOffset >>> 2;
    const dst = dataOf(ctx, cols).memoryOffset >>> 2;
    const pT = padInfo.top;
    const pL = padInfo.left;
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        // valid output columns j: 0 <= j + kw - pL < W
        const j0 = Math.min(oW, Math.max(0, pL - kw));
        const j1 = Math.max(j0, Math.min(oW, W + pL - kw));
        for (let ci = 0; ci < Ci; ci++) {
          const row = dst + ((kh * fw + kw) * Ci + ci) * P;
          for (let b = 0; b < B; b++) {
            for (let i = 0; i < oH; i++) {
              const d = row + (b * oH + i) * oW;
              const ih = i + kh - pT;
              if (ih < 0 || ih >= H || j1 === j0) {
                heap.fill(0, d, d + oW);
                continue;
              }
              if (j0 > 0) heap.fill(0, d, d + j0);
              if (j1 < oW) heap.fill(0, d + j1, d + oW);
              const s = src + ((ci * B + b) * H + ih) * W + (j0 + kw - pL);
              heap.copyWithin(d + j0, s, s + (j1 - j0));
            }
          }
        }
      }
    }
    const w = view(ctx, dataOf(ctx, dy).memoryOffset, P * Co);
    xnnMatMul(ctx, dataOf(ctx, cols).id, R, P, w, Co, dataOf(ctx, out).id);
    unview(ctx, w);
    return out;
  } catch (e) {
    free(ctx, out);
    throw e;
  } finally {
    for (const t of temps) free(ctx, t);
  }
}

export function conv2DBackpropInputFast(args: KernelArgs): TensorInfo | null {
  const backend = args.backend as unknown as BackendWasm;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { inputShape: number[] };
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  let info: tf.backend_util.Conv2DInfo;
  try {
    info = convInfoFor(attrs.inputShape, filter.shape, attrs, 'Conv2DBackpropInput');
  } catch {
    return null; // the stock kernel handles strides etc. (slowly)
  }
  const {
    batchSize: B,
    inHeight: H,
    inWidth: W,
    inChannels: Ci,
    outHeight: oH,
    outWidth: oW,
    outChannels: Co,
    filterHeight: fh,
    filterWidth: fw,
    padInfo,
  } = info;
  // dx = conv(dy, flipped filter) with these paddings
  const padT = fh - 1 - padInfo.top;
  const padL = fw - 1 - padInfo.left;
  const padB = H - oH + fh - 1 - padT;
  const padR = W - oW + fw - 1 - padL;
  if (padT < 0 || padL < 0 || padB < 0 || padR < 0) return null;
  if (B * H * W * Ci === 0 || oH * oW * Co === 0) return null;
  const ctx = ctxFor(backend);
  // flipped[kh,kw,co,ci] = filter[fh-1-kh, fw-1-kw, ci, co]
  const wf = alloc(ctx, [fh, fw, Co, Ci]);
  try {
    const heap = heapF32(ctx);
    const src = dataOf(ctx, filter).memoryOffset >>> 2;
    const dst = dataOf(ctx, wf).memoryOffset >>> 2;
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        const s0 = src + ((fh - 1 - kh) * fw + (fw - 1 - kw)) * Ci * Co;
        const d0 = dst + (kh * fw + kw) * Co * Ci;
        for (let ci = 0; ci < Ci; ci++) {
          for (let co = 0; co < Co; co++) heap[d0 + co * Ci + ci] = heap[s0 + ci * Co + co];
        }
      }
    }
    const out = backend.makeOutput([B, H, W, Ci], 'float32');
    rawConv2d(
      ctx,
      dataOf(ctx, dy).id,
      B,
      oH,
      oW,
      dataOf(ctx, wf).id,
      fh,
      fw,
      padT,
      padR,
      padB,
      padL,
      Co,
      Ci,
      dataOf(ctx, out).id,
    );
    return out;
  } finally {
    free(ctx, wf);
  }
}
