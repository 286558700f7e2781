// TensorFlow's start-up settings (src/runtime/native/env.ts).
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepareTensorFlow, tfEnvSettings } from '../../../src/runtime/native/env';

describe('native/env', () => {
  it('uses the defaults where the user set nothing, and the user value where set', () => {
    assert.deepEqual(tfEnvSettings({}, 2), [
      { name: 'TF_NUM_INTRAOP_THREADS', value: '2', source: 'default' },
      { name: 'TF_NUM_INTEROP_THREADS', value: '2', source: 'default' },
    ]);
    const mixed = tfEnvSettings({ TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '' }, 4);
    assert.deepEqual(mixed, [
      { name: 'TF_NUM_INTRAOP_THREADS', value: '1', source: 'user' },
      { name: 'TF_NUM_INTEROP_THREADS', value: '4', source: 'default' },
    ]);
  });

  it('writes only the missing variables', () => {
    const env: NodeJS.ProcessEnv = { TF_NUM_INTRAOP_THREADS: '3' };
    prepareTensorFlow(env);
    assert.equal(env.TF_NUM_INTRAOP_THREADS, '3');
    assert.ok(Number(env.TF_NUM_INTEROP_THREADS) >= 1);
  });
});
