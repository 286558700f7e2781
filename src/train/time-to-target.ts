// Time to target (`bench --time-to-target`): the wall time from starting a cold process to the
// attention model's first validation MSE at or below the walk-through's level (0.001) on the full
// data (25,000 samples), with a named recipe. The run is the CLI's own `train` in a child process,
// with a throwaway data folder whose dataset cache is filled first (a user's cache is warm after
// the first run); the clock starts when the child is spawned and stops when its epoch line reports
// the target, read from its stderr as it arrives.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BACKEND_ENV } from '../runtime/backend';
import { ROOT } from '../runtime/paths';
import { recipeFit } from './recipes';

/** The walk-through's level for the attention model (normalised validation MSE). */
export const BLOG_LEVEL = 0.001;

export interface TimeToTarget {
  recipe: string;
  backend: string;
  target: number;
  /** Seconds from spawning the process to the first epoch at or below the target; undefined if never. */
  seconds: number | undefined;
  /** The epoch (1-based) that reached it. */
  epoch: number | undefined;
  /** Every finished epoch: its validation loss and the seconds since the spawn. */
  epochs: { epoch: number; valid: number; seconds: number }[];
  load: number;
}

/** "attention epoch 3/12  train 0.0123  valid 1.23e-3  19.0 s" → epoch 3, valid 0.00123. */
export function parseEpochLine(line: string): { epoch: number; valid: number } | undefined {
  const m = /epoch (\d+)\/\d+ .*valid (\S+)/.exec(line);
  if (!m) return undefined;
  const valid = Number(m[2]);
  return Number.isFinite(valid) ? { epoch: Number(m[1]), valid } : undefined;
}

/** Trains the attention model with `recipe` in a child process until it reaches `target`. */
export async function timeToTarget(
  recipe: string,
  backend: string,
  target = BLOG_LEVEL,
): Promise<TimeToTarget> {
  recipeFit(recipe); // an unknown recipe fails here, before any work
  const cli = path.join(ROOT, 'bin', 'exploring-attention.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-ttt-'));
  const env = { ...process.env, EA_DATA_DIR: dir, EA_QUIET: '1', [BACKEND_ENV]: backend };
  const args = [
    'train',
    '--model',
    'attention',
    '--profile',
    'full',
    '--recipe',
    recipe,
    '--retrain',
  ];
  try {
    const fill = spawnSync(process.execPath, [cli, 'generate', '--json'], {
      env,
      encoding: 'utf8',
    });
    if (fill.status !== 0) throw new Error(`generate failed: ${fill.stderr.trim()}`);
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, ...args], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const epochs: TimeToTarget['epochs'] = [];
    let hit: TimeToTarget['epochs'][number] | undefined;
    let tail = '';
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const seconds = (performance.now() - t0) / 1000;
      tail = (tail + chunk).slice(-2000);
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const e = parseEpochLine(line);
        if (!e) continue;
        epochs.push({ ...e, seconds });
        if (!hit && e.valid <= target) {
          hit = { ...e, seconds };
          child.kill(); // the question is answered
        }
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (!hit && code !== 0)
      throw new Error(`\`${args.join(' ')}\` failed: ${tail.trim().split('\n').pop()}`);
    return {
      recipe,
      backend,
      target,
      seconds: hit?.seconds,
      epoch: hit?.epoch,
      epochs,
      load: os.loadavg()[0],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
