// Imported first by every test file: tests write into a throwaway data folder (never data/),
// use the tiny `smoke` profile, and keep the backend banner quiet.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

if (!process.env.EA_DATA_DIR) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-test-'));
  process.env.EA_DATA_DIR = dir;
  // Ours to remove: a folder the caller named is left alone. EA_KEEP_TEST_DATA=1 keeps it.
  process.on('exit', () => {
    if (process.env.EA_KEEP_TEST_DATA !== '1') fs.rmSync(dir, { recursive: true, force: true });
  });
}
process.env.EA_PROFILE ??= 'smoke';
process.env.EA_QUIET ??= '1';

export const TMP = process.env.EA_DATA_DIR;
export const ROOT = path.resolve(__dirname, '..');
