// The CLI's benchmark command (src/cli/bench-command.ts), through `main`: bad arguments exit 2
// before anything is timed.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli';
import { exitsTwoWritingNothing } from './run';

describe('cli bench: bad input exits 2 with the usage, before any work, writing nothing', () => {
  exitsTwoWritingNothing([
    ['an unknown backend', ['bench', '--backend', 'tpu'], /--backend must be one of/],
  ]);
});

describe('cli bench: bad arguments', () => {
  it('rejects bad arguments with exit code 2', async () => {
    const err: string[] = [];
    const io = { stdout: () => {}, stderr: (s: string) => err.push(s) };
    assert.equal(await main(['bench', '--models', 'gpt'], io), 2);
    assert.equal(await main(['bench', '--backend', 'tpu'], io), 2);
    assert.equal(await main(['bench', '--backend', 'cpu', '--all-backends'], io), 2);
    assert.equal(await main(['bench', '--tweak', '--all-backends'], io), 2);
    assert.equal(await main(['bench', '--ops', '--all-backends'], io), 2);
    assert.match(
      err.join('\n'),
      /model must be one of [\s\S]*--backend must be one of[\s\S]*not both[\s\S]*--tweak times one backend[\s\S]*--ops profiles one backend/,
    );
  });
});
