// Where the project lives on disk: its root and its data folder. The one place that knows, so
// the backend chooser, the stores and the notebook runner agree without importing each other.
import * as path from 'node:path';

/** The project root (the folder holding package.json), whatever the caller's cwd. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** Where generated data, trained models and figures live. EA_DATA_DIR moves it (tests use a temp dir). */
export function dataDir(): string {
  return process.env.EA_DATA_DIR ? path.resolve(process.env.EA_DATA_DIR) : path.join(ROOT, 'data');
}

/**
 * Where the notebooks' "try it" runs are saved: <data>/tmp/try-it/, with the same layout as the
 * data folder (models/, results/, sweeps/). data/tmp/ is git-ignored, so trying a tweak, or
 * reproducing the notebooks that do, never adds files beside the committed runs.
 */
export function tryItDir(): string {
  return path.join(dataDir(), 'tmp', 'try-it');
}

/** The folder a run's files go under: the data folder, or the try-it folder for a try-it run. */
export function runsDir(opts: { tryIt?: boolean } = {}): string {
  return opts.tryIt ? tryItDir() : dataDir();
}
