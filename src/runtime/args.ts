// Command-line flags to typed values. node's util.parseArgs does the parsing (strict: unknown
// flags are errors; dependency-free); every value then goes through the one validator, so a
// bad flag is a ConfigError naming the flag, and the CLI exits 2 before any work starts.
import { parseArgs } from 'node:util';
import { ConfigError, checkInt, checkOneOf, collectErrors } from './validate';

/** A malformed command line (an unknown flag, a missing value): the CLI prints the usage and exits 2. */
export class UsageError extends Error {}

export type Flags = Record<string, string | boolean | undefined>;
export type FlagSpec = Record<string, { type: 'string' | 'boolean' }>;

export function parseFlags(args: string[], options: FlagSpec): Flags {
  try {
    return parseArgs({
      args,
      options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values as Flags;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A whole number from `--name`, at least `min`, or the fallback when the flag is absent. */
export function intFlag(v: Flags, name: string, fallback: number, min?: number): number;
export function intFlag(
  v: Flags,
  name: string,
  fallback: undefined,
  min?: number,
): number | undefined;
export function intFlag(
  v: Flags,
  name: string,
  fallback: number | undefined,
  min = 0,
): number | undefined {
  const raw = v[name];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isInteger(n))
    throw new ConfigError(`--${name}`, `--${name} must be a whole number, got '${raw}'`);
  return checkInt(`--${name}`, n, min);
}

/** A comma-separated list of whole numbers ≥ min; every bad entry is named at once. */
export function intListFlag(v: Flags, name: string, min = 1): number[] | undefined {
  const raw = v[name];
  if (raw === undefined) return undefined;
  const parts = String(raw)
    .split(',')
    .map((s) => s.trim());
  const errors = collectErrors(
    parts.map((p) => () => intFlag({ [name]: p }, name, undefined, min)),
  );
  if (errors.length) {
    throw new ConfigError(
      `--${name}`,
      `--${name}: ${errors.map((e) => e.message.replace(`--${name} `, '')).join('; ')}`,
    );
  }
  return parts.map(Number);
}

/** A string flag restricted to a set of names. */
export function choiceFlag<T extends string>(
  v: Flags,
  name: string,
  options: readonly T[],
): T | undefined {
  const raw = v[name];
  return raw === undefined ? undefined : checkOneOf(`--${name}`, raw, options);
}
