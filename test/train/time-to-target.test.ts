// Time to target (src/train/time-to-target.ts): reading the child's epoch lines, and the CLI's
// checks. The timing itself is a benchmark (`bench --time-to-target`), never run here.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli';
import { terminalProgress } from '../../src/train/progress';
import { parseEpochLine } from '../../src/train/time-to-target';

describe('time to target', () => {
  it('reads the epoch and validation loss from the terminal progress line, small losses included', () => {
    const lines: string[] = [];
    const progress = terminalProgress('attention', (s) => lines.push(s));
    const event = { epochs: 12, batch: 1, batches: 1, trainLoss: 0.5, epochSeconds: 3 };
    progress({ ...event, epoch: 0, validLoss: 0.0567 });
    progress({ ...event, epoch: 6, validLoss: 0.000987 });
    progress({ ...event, epoch: 7, trainLoss: 0.4 }); // mid-epoch: no line
    assert.equal(lines.length, 2);
    assert.deepEqual(lines.map(parseEpochLine), [
      { epoch: 1, valid: 0.0567 },
      { epoch: 7, valid: 0.000987 },
    ]);
    assert.equal(parseEpochLine('backend: tfjs-node (the fastest option)'), undefined);
  });

  it('refuses bad flags with exit code 2 before any work', async () => {
    const err: string[] = [];
    const io = { stdout: () => {}, stderr: (s: string) => err.push(s) };
    assert.equal(await main(['bench', '--recipe', 'fast'], io), 2);
    assert.equal(await main(['bench', '--time-to-target', '--recipe', 'turbo'], io), 2);
    assert.equal(await main(['bench', '--time-to-target', '--all-backends'], io), 2);
    assert.match(
      err.join('\n'),
      /--recipe applies to --time-to-target and --sweep-estimate only[\s\S]*recipe must be one of blog, fast[\s\S]*--time-to-target runs alone/,
    );
  });
});
