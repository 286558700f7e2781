// Shared by the CLI's tests (test/cli.test.ts, test/cli/*.test.ts): `main` run in-process with its
// output captured, and the table of bad input that must exit 2 with the usage, writing nothing.
import { TMP } from '../setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { main } from '../../src/cli';

export async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every file under the throwaway data folder, so a test can show that nothing was written. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath ?? d.path, d.name))
    .sort();
}

/** One test per case: [what, argv, the message stderr must hold]. */
export type BadInput = [string, string[], RegExp];

/** Each case exits 2 with its message and the usage, prints nothing to stdout and writes nothing. */
export function exitsTwoWritingNothing(cases: BadInput[]): void {
  for (const [what, argv, msg] of cases) {
    it(`${what}`, async () => {
      const before = filesUnder(TMP!);
      const r = await run(...argv);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, msg);
      assert.match(r.err, /usage: exploring-attention <command>/);
      assert.equal(r.out, '');
      assert.deepEqual(filesUnder(TMP!), before, 'nothing written under the data folder');
    });
  }
}
