// The one place that chooses the backend. The project trains on native TensorFlow: tfjs-node-gpu
// where a GPU is visible, else tfjs-node. Where neither loads, tfjs's stock 'cpu' backend still
// opens the notebooks and redraws saved runs, but training stops first (`requireTrainingBackend`)
// with one line on how to get native. Every entry point (CLI, notebooks, tests, benchmark) calls
// `initBackend()` before any tensor work, so the whole process uses one backend from start to end.
// EA_BACKEND forces a choice (EA_BACKEND=cpu also allows training on the stock backend).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { requireAtRunTime } from './lazy';
import { ROOT } from './paths';
import { prepareTensorFlow } from './native/env';

export const BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export const BACKEND_ENV = 'EA_BACKEND';

export interface BackendInfo {
  name: BackendName;
  /** tfjs's own name for it: 'tensorflow' or 'cpu'. */
  tfName: string;
  /** Why each backend ahead of the chosen one was not used. */
  skipped: Partial<Record<BackendName, string>>;
  forced: boolean;
  /** One line for logs and notebooks. */
  summary: string;
}

/** Where `npm install` (scripts/setup-native.sh) puts the tfjs-node it builds against PyPI's tensorflow-cpu. */
export const NATIVE_DIR = path.join(ROOT, '.native', 'node_modules', '@tensorflow', 'tfjs-node');
/** Where `npm run setup:native -- --gpu` puts tfjs-node-gpu, built against PyPI's tensorflow + CUDA 12 wheels. */
export const NATIVE_GPU_DIR = path.join(
  ROOT,
  '.native',
  'gpu',
  'node_modules',
  '@tensorflow',
  'tfjs-node-gpu',
);
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
      const why = loadNative(name);
      if (why) return why;
    } else if (name === 'tfjs-node') {
      const why = loadNative(name);
      if (why) return why;
    }
    const tfName = name.startsWith('tfjs-node') ? 'tensorflow' : name;
    if (!(await tf.setBackend(tfName))) return `tfjs could not initialise the '${tfName}' backend`;
    await tf.ready();
    // A tiny op proves the backend really computes.
    const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]);
    if (probe !== 3) return `probe computed ${probe} instead of 3`;
    return undefined;
  } catch (err) {
    return errorLine(err);
  }
}

type Native = 'tfjs-node' | 'tfjs-node-gpu';

/**
 * Where each native package may come from, in the order tried. CPU: npm's package (its install
 * script reached Google's storage), else the one `npm install` built in .native/. GPU: the
 * opt-in build in .native/gpu/ (CUDA 12 from PyPI), else npm's (which wants CUDA 11.2 + cuDNN 8.1).
 */
const NATIVE_SOURCES: Record<Native, { where: string; label: string }[]> = {
  'tfjs-node': [
    { where: '@tensorflow/tfjs-node', label: "npm's @tensorflow/tfjs-node" },
    { where: NATIVE_DIR, label: 'the build in .native/' },
  ],
  'tfjs-node-gpu': [
    { where: NATIVE_GPU_DIR, label: 'the build in .native/gpu/' },
    { where: '@tensorflow/tfjs-node-gpu', label: "npm's @tensorflow/tfjs-node-gpu" },
  ],
};

function notInstalled(name: Native): string {
  if (name === 'tfjs-node-gpu')
    return "not installed (opt-in: `npm run setup:native -- --gpu` builds it from PyPI's tensorflow and CUDA 12 wheels, ~2.2 GB)";
  let status = 'npm install builds it into .native/ unless EA_NATIVE=0';
  try {
    status = fs.readFileSync(NATIVE_STATUS, 'utf8').trim() || status;
  } catch {
    // no status file: the install never tried (--ignore-scripts) or .native/ was removed
  }
  return `not installed (${status}; build it with \`npm run setup:native\`)`;
}

function packageDir(where: string): string | undefined {
  try {
    return path.dirname(fs.realpathSync(require.resolve(`${where}/package.json`)));
  } catch {
    return undefined;
  }
}

/**
 * Loads the package's N-API binding on its own first, where its index.js would find it. A binding
 * that cannot load (missing libtensorflow, wrong CUDA) then fails before the package has
 * registered its kernels with tfjs, so the next candidate starts clean.
 */
function loadBinding(dir: string): void {
  const preGyp = requireAtRunTime<{ find(packageJson: string): string }>(
    require.resolve('@mapbox/node-pre-gyp', { paths: [dir] }),
  );
  requireAtRunTime(preGyp.find(path.join(dir, 'package.json')));
}

/** Which native package this process loaded: TensorFlow's binding cannot be loaded twice. */
let nativeLoaded: Native | undefined;
const nativeResults = new Map<Native, string | undefined>();

/** Loads tfjs-node or tfjs-node-gpu. Returns undefined once it is in, else why it is not. */
function loadNative(name: Native): string | undefined {
  if (!nativeResults.has(name)) nativeResults.set(name, findNative(name));
  return nativeResults.get(name);
}

function findNative(name: Native): string | undefined {
  if (nativeLoaded && nativeLoaded !== name)
    return `${nativeLoaded} is already loaded in this process, and TensorFlow cannot be loaded twice`;
  // TensorFlow's C++ start-up banners (oneDNN, CPU features) are noise here; users can still set it.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  // TensorFlow would otherwise reserve nearly all GPU memory at start-up.
  if (name === 'tfjs-node-gpu') process.env.TF_FORCE_GPU_ALLOW_GROWTH ??= 'true';
  prepareTensorFlow(); // threads and the ReLU gradient; see native/env.ts
  const failures: string[] = [];
  for (const { where, label } of NATIVE_SOURCES[name]) {
    const dir = packageDir(where);
    if (!dir) continue;
    if (path.isAbsolute(where) && !fs.existsSync(path.join(dir, '.native-build'))) {
      failures.push(
        `${label} is incomplete (re-run \`npm run setup:native${name.endsWith('gpu') ? ' -- --gpu' : ''}\`)`,
      );
      continue;
    }
    try {
      loadBinding(dir);
    } catch (err) {
      failures.push(`${label}: ${errorLine(err)}`); // a present but broken package is reported
      continue;
    }
    nativeLoaded = name;
    try {
      requireAtRunTime(dir);
      return undefined;
    } catch (err) {
      return [...failures, `${label}: ${errorLine(err)}`].join('; ');
    }
  }
  // A package npm left half-installed (its binary download failed) says so, then how to get one.
  return [...failures, notInstalled(name)].join('; ');
}

let chosen: Promise<BackendInfo> | undefined;
let active: BackendName | undefined;

/** The project's name for the backend in use ('tfjs-node', 'cpu', …), or tfjs's own name before `initBackend`. */
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

/** The one line a user sees when training is asked for without native TensorFlow. */
export const NEEDS_NATIVE =
  'training needs native TensorFlow (tfjs-node), which is not installed here: run `npm run setup:native` (saved runs still load and redraw on the stock backend)';

/**
 * Throws before any training work unless the backend is native TensorFlow, or the stock backend
 * was asked for on purpose (EA_BACKEND=cpu). Call it where a run is about to train.
 */
export function requireTrainingBackend(
  name: string = activeBackend(),
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (name === 'tfjs-node' || name === 'tfjs-node-gpu') return;
  if (name === 'cpu' && env[BACKEND_ENV]?.trim() === 'cpu') return;
  throw new Error(NEEDS_NATIVE);
}
