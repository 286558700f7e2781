// The CLI's commands that look without training (src/cli/data-commands.ts), through `main`:
// generate and summary refuse bad input, and with --json print one object.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODEL_KINDS } from '../../src/models/configs';
import { exitsTwoWritingNothing, run } from './run';

describe('cli generate, summary: bad input exits 2 with the usage, before any work, writing nothing', () => {
  exitsTwoWritingNothing([
    ['a fraction', ['generate', '--seed', '1.5'], /--seed must be a whole number/],
    [
      'an even kernel in summary',
      ['summary', '--model', 'attention', '--kernel-size', '4'],
      /attention\.kernelSize must be odd/,
    ],
  ]);
});

describe('cli generate, summary: output', () => {
  it('generate --json prints one JSON object with the dataset statistics', async () => {
    const r = await run('generate', '--train', '50', '--test', '10', '--seed', '42', '--json');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.equal(lines.length, 1);
    const obj = JSON.parse(lines[0]);
    for (const k of ['train', 'test', 'mean', 'std', 'rejected', 'seconds']) assert.ok(k in obj, k);
    assert.equal(obj.train, 50);
    assert.equal(obj.test, 10);
  });

  it('summary --json gives the parameter count and layers', async () => {
    const r = await run('summary', '--model', 'cnn', '--json');
    assert.equal(r.code, 0, r.err);
    const obj = JSON.parse(r.out);
    assert.equal(obj.params, 62_337);
    assert.equal(obj.layers.filter((l: { type: string }) => l.type === 'Conv1D').length, 5);
  });

  it('summary --json prints the parameters of every model kind', async () => {
    const expected: Record<string, number> = {
      cnn: 62_337,
      attention: 58_177,
      'lstm-blog': 130_660,
      'lstm-seq': 134_401,
    };
    for (const kind of MODEL_KINDS) {
      const r = await run('summary', '--model', kind, '--json');
      assert.equal(r.code, 0, r.err);
      const params = JSON.parse(r.out).params;
      assert.ok(Number.isInteger(params) && params > 0, `${kind}: ${params}`);
      if (kind in expected) assert.equal(params, expected[kind], kind);
    }
  });
});
