// Small pure statistics that more than one stage needs (the benchmark's step times, the
// variant tables' epoch times). No tensors: plain arrays in, a number out.

/** The middle value (the mean of the two middle values for an even count); NaN when empty. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
