// Seeded randomness for data generation and batch order. seedrandom's Alea is used rather than
// Math.random because it is seedable and fast, and its state can be saved and restored, which
// lets an interrupted training run resume with the very same batch order.
import seedrandom from 'seedrandom';

export type Rng = () => number;

/** A seeded PRNG; the same seed string always gives the same stream. */
export function rngFrom(seed: string): Rng {
  return seedrandom.alea(seed);
}

/** A draw from U(lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/** Shuffles `a` in place (Fisher–Yates) with the given PRNG and returns it. */
export function shuffle<T extends { length: number; [i: number]: number }>(a: T, rng: Rng): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** A random permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Int32Array {
  return shuffle(
    Int32Array.from({ length: n }, (_, i) => i),
    rng,
  );
}
