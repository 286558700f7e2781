// Where the project lives on disk: its root and its data folder. The one place that knows, so
// the backend chooser, the stores and the notebook runner agree without importing each other.
import * as path from 'node:path';

/** The project root (the folder holding package.json), whatever the caller's cwd. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** Where generated data, trained models and figures live. EA_DATA_DIR moves it (tests use a temp dir). */
export function dataDir(): string {
  return process.env.EA_DATA_DIR ? path.resolve(process.env.EA_DATA_DIR) : path.join(ROOT, 'data');
}
