// The CLI's benchmark command (src/cli/bench-command.ts), through `main`: bad arguments exit 2
// before anything is timed.
import '../setup';
import { describe } from 'node:test';
import { exitsTwoWritingNothing } from './run';

describe('cli bench: bad input exits 2 with the usage, before any work, writing nothing', () => {
  exitsTwoWritingNothing([
    ['an unknown backend', ['bench', '--backend', 'tpu'], /--backend must be one of/],
  ]);
});
