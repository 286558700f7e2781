// Picks the fastest tfjs backend that works on this machine, in the order
// tfjs-node-gpu → tfjs-node → wasm → cpu, and says why each faster one was passed over.
// Every entry point (CLI, notebooks, tests, benchmark) calls `initBackend()` before any tensor
// work, so the whole project agrees on one backend. EA_BACKEND forces a choice.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { requireAtRunTime } from './lazy';
import { ROOT } from './paths';

export const BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export const BACKEND_ENV = 'EA_BACKEND';

export interface BackendInfo {
  name: BackendName;
  /** tfjs's own name for it: 'tensorflow', 'wasm' or 'cpu'. */
  tfName: string;
  /** Why each backend ahead of the chosen one was not used. */
  skipped: Partial<Record<BackendName, string>>;
  forced: boolean;
  /** One line for logs and notebooks. */
  summary: string;
}

/** Where `npm install` (scripts/setup-native.sh) puts the tfjs-node it builds against PyPI's TensorFlow. */
export const NATIVE_DIR = path.join(ROOT, '.native', 'node_modules', '@tensorflow', 'tfjs-node');
/** One line from scripts/postinstall.sh when npm install skipped or failed the native build. */
const NATIVE_STATUS = path.join(ROOT, '.native', 'install-status');

function gpuVisible(): string | undefined {
  if (fs.existsSync('/dev/nvidia0')) return undefined;
  return 'no GPU visible (/dev/nvidia0 is missing)';
}

function errorLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

/** Tries to make one backend active. Returns undefined on success, else the reason it failed. */
async function tryBackend(name: BackendName): Promise<string | undefined> {
  try {
    if (name === 'tfjs-node-gpu') {
      const noGpu = gpuVisible();
      if (noGpu) return noGpu;
      requireAtRunTime('@tensorflow/tfjs-node-gpu');
    } else if (name === 'tfjs-node') {
      const why = loadNative();
      if (why) return why;
    } else if (name === 'wasm') {
      requireAtRunTime('@tensorflow/tfjs-backend-wasm');
    }
    const tfName = name.startsWith('tfjs-node') ? 'tensorflow' : name;
    if (!(await tf.setBackend(tfName))) return `tfjs could not initialise the '${tfName}' backend`;
    await tf.ready();
    if (name === 'wasm') {
      // The wasm backend lacks some training kernels and has slow transposed matMuls; see wasm/index.ts.
      const { patchWasmKernels } = requireAtRunTime<typeof import('./wasm/index')>('./wasm/index');
      patchWasmKernels();
    }
    // A tiny op proves the backend really computes.
    const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]);
    if (probe !== 3) return `probe computed ${probe} instead of 3`;
    return undefined;
  } catch (err) {
    return errorLine(err);
  }
}

function resolves(id: string): boolean {
  try {
    require.resolve(id);
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads tfjs-node: npm's package (its install script reached Google's storage), else the one
 * `npm install` built in .native/. Returns undefined once one is in, else why neither is.
 * A package that is present but fails to load is reported, never silently skipped.
 */
let nativeWhy: { why: string | undefined } | undefined;
function loadNative(): string | undefined {
  nativeWhy ??= { why: findNative() };
  return nativeWhy.why;
}

function findNative(): string | undefined {
  // TensorFlow's C++ start-up banners (oneDNN, CPU features) are noise here; users can still set it.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  const failures: string[] = [];
  for (const where of ['@tensorflow/tfjs-node', NATIVE_DIR]) {
    if (!resolves(where)) continue;
    if (where === NATIVE_DIR && !fs.existsSync(path.join(NATIVE_DIR, '.native-build'))) {
      failures.push('the build in .native/ is incomplete (re-run `npm run setup:native`)');
      continue;
    }
    try {
      requireAtRunTime(where);
      return undefined;
    } catch (err) {
      failures.push(`${where === NATIVE_DIR ? '.native build' : where}: ${errorLine(err)}`);
    }
  }
  if (failures.length) return failures.join('; ');
  let status = 'npm install builds it into .native/ unless EA_NATIVE=0';
  try {
    status = fs.readFileSync(NATIVE_STATUS, 'utf8').trim() || status;
  } catch {
    // no status file: the install never tried (--ignore-scripts) or .native/ was removed
  }
  return `not installed (${status}; build it with \`npm run setup:native\`)`;
}

let chosen: Promise<BackendInfo> | undefined;
let active: BackendName | undefined;

/** The project's name for the backend in use ('tfjs-node', 'wasm', …), or tfjs's own name before `initBackend`. */
export function activeBackend(): string {
  return active ?? tf.getBackend();
}

/**
 * Chooses and activates the backend once per process (later calls return the same answer).
 * With EA_BACKEND set (or `force` given), only that backend is tried, and failure is an error.
 */
export function initBackend(opts: { force?: string; quiet?: boolean } = {}): Promise<BackendInfo> {
  chosen ??= choose(opts.force ?? process.env[BACKEND_ENV]).then((info) => {
    active = info.name;
    if (!opts.quiet && !process.env.EA_QUIET) console.error(info.summary);
    return info;
  });
  return chosen;
}

async function choose(force: string | undefined): Promise<BackendInfo> {
  const wanted = force?.trim();
  if (wanted) {
    if (!(BACKENDS as readonly string[]).includes(wanted)) {
      throw new Error(
        `${BACKEND_ENV}=${wanted} is not a backend; expected one of: ${BACKENDS.join(', ')}`,
      );
    }
    const name = wanted as BackendName;
    const why = await tryBackend(name);
    if (why)
      throw new Error(
        `backend '${name}' was requested (${BACKEND_ENV}) but is not available: ${why}`,
      );
    return info(name, {}, true);
  }
  const skipped: BackendInfo['skipped'] = {};
  for (const name of BACKENDS) {
    const why = await tryBackend(name);
    if (!why) return info(name, skipped, false);
    skipped[name] = why;
  }
  throw new Error(`no tfjs backend works here: ${JSON.stringify(skipped)}`);
}

function info(name: BackendName, skipped: BackendInfo['skipped'], forced: boolean): BackendInfo {
  const reasons = Object.entries(skipped).map(([k, v]) => `${k}: ${v}`);
  const why = forced
    ? `forced by ${BACKEND_ENV}`
    : reasons.length
      ? `not ${reasons.join('; ')}`
      : 'the fastest option';
  return { name, tfName: tf.getBackend(), skipped, forced, summary: `backend: ${name} (${why})` };
}
