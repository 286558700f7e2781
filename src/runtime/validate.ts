// The one validator. Every config (data, model, fit, profile, CLI flags) is checked here before
// any work starts, and a bad value throws a ConfigError that names the field, the value and
// what was expected. The CLI maps ConfigError to exit code 2; notebooks show its message.

/** A bad input, found before any work: `field` names what was wrong (e.g. 'attention.kernelSize'). */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : String(v));

function fail(field: string, value: unknown, expected: string): never {
  throw new ConfigError(field, `${field} must be ${expected}, got ${show(value)}`);
}

/** An integer ≥ `min` (default 1: a count, a size, a number of epochs or channels). */
export function checkInt(field: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    fail(field, value, `an integer >= ${min}`);
  if (value < min) fail(field, value, `an integer >= ${min}`);
  return value;
}

/** An odd positive integer: a kernel that 'same' padding can centre on its step. */
export function checkOddInt(field: string, value: unknown): number {
  checkInt(field, value, 1);
  // With an even kernel, 'same' padding cannot be symmetric: PyTorch's padding=k//2 returns 101
  // steps instead of 100, TensorFlow pads one more step on the right and shifts the window.
  if ((value as number) % 2 === 0) {
    fail(field, value, "odd (an even kernel cannot be centred on its step under 'same' padding)");
  }
  return value as number;
}

/** A finite number within [min, max] (either end may be open). */
export function checkNumber(
  field: string,
  value: unknown,
  range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, minOpen = false, maxOpen = false } = range;
  const lo = `${minOpen ? '>' : '>='} ${min}`;
  const hi = `${maxOpen ? '<' : '<='} ${max}`;
  const want = [min > -Infinity ? lo : '', max < Infinity ? hi : ''].filter(Boolean).join(' and ');
  const expected = `a finite number${want ? ' ' + want : ''}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, value, expected);
  if (value < min || (minOpen && value === min)) fail(field, value, expected);
  if (value > max || (maxOpen && value === max)) fail(field, value, expected);
  return value;
}

export function checkBool(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(field, value, 'true or false');
  return value;
}

/** One of a fixed set of names (a model kind, a profile, a backend, an encoding). */
export function checkOneOf<T extends string>(
  field: string,
  value: unknown,
  options: readonly T[],
): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    fail(field, value, `one of ${options.join(', ')}`);
  }
  return value as T;
}

/** Rejects fields an object does not know (a typo in a config must not be silently ignored). */
export function checkKnownFields(where: string, given: object, known: object): void {
  for (const key of Object.keys(given)) {
    if (!(key in known)) {
      throw new ConfigError(
        `${where}.${key}`,
        `${where}: unknown config field '${key}'; expected one of: ${Object.keys(known).join(', ')}`,
      );
    }
  }
}

/** Every failure of several checks at once, so a list with many bad values names them all. */
export function collectErrors(checks: (() => unknown)[]): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (err) {
      if (err instanceof ConfigError) errors.push(err);
      else throw err;
    }
  }
  return errors;
}
