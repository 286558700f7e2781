// Additive attention masks (seed 004: "subtract a large number before the softmax"). A rule says
// whether output position i may attend to input position j; the mask holds 0 where it may and
// MASKED where it may not, and is added to the [.., L, L] scores before the softmax.
import * as tf from '@tensorflow/tfjs';
import { checkInt } from '../../runtime/validate';

/** Whether output position i may attend to input position j. */
export type AttentionRule = (i: number, j: number) => boolean;

/**
 * The score of a forbidden pair. exp(-1e9 − max) underflows to exactly 0 in float32, so a masked
 * pair gets zero weight and zero gradient; unlike -Infinity it never produces NaN (−∞ − (−∞)).
 */
export const MASKED = -1e9;

/**
 * The additive [length, length] mask of a rule. Every row must allow at least one position:
 * a row with none would share its weight among forbidden positions instead of giving none.
 */
export function additiveMask(length: number, allowed: AttentionRule): tf.Tensor2D {
  checkInt('additiveMask.length', length, 1);
  const values = new Float32Array(length * length);
  for (let i = 0; i < length; i++) {
    let any = false;
    for (let j = 0; j < length; j++) {
      if (allowed(i, j)) any = true;
      else values[i * length + j] = MASKED;
    }
    if (!any) throw new Error(`additiveMask: the rule lets position ${i} attend to nothing`);
  }
  return tf.tensor2d(values, [length, length]);
}

/** Restricted (local) attention: position i sees only j with |i − j| ≤ radius (seed 004). */
export function withinWindow(radius: number): AttentionRule {
  return (i, j) => Math.abs(i - j) <= radius;
}

/** Causal attention: position i sees only itself and the positions before it. */
export const causal: AttentionRule = (i, j) => j <= i;
