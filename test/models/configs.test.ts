// Model configs (src/models/configs.ts): resolveConfig's checks reject a bad config with an error
// that names the field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/models/configs';

describe('model configs', () => {
  it('rejects bad configs with clear errors that name the field', () => {
    const cases: [() => unknown, RegExp][] = [
      [
        () => resolveConfig('cnn', { keyChannels: 8 } as never),
        /cnn: unknown config field 'keyChannels'/,
      ],
      [
        () => resolveConfig('attention', { heads: 5 }),
        /attention\.heads must divide keyChannels \(96\).*got 5/,
      ],
      [
        () => resolveConfig('attention', { window: -1 }),
        /attention\.window must be an integer >= 0, got -1/,
      ],
      [
        () => resolveConfig('attention', { positionEncoding: 'learned' as 'none' }),
        /attention\.positionEncoding must be one of none, sinusoidal, got 'learned'/,
      ],
      [
        () => resolveConfig('lstm-attention', { placement: 'middle' as 'after' }),
        /lstm-attention\.placement must be one of before, after/,
      ],
      [
        () => resolveConfig('lstm-blog', { carryState: 'yes' as unknown as boolean }),
        /lstm-blog\.carryState must be true or false/,
      ],
    ];
    for (const [f, msg] of cases) assert.throws(f, msg);
  });
});
