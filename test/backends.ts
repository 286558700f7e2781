// Runs a test suite on every tfjs backend this machine has, from one helper: the habit of
// tfjs-layers' `describeMathCPUAndGPU`. 'cpu' (tfjs's stock backend) is always there; 'tensorflow'
// (tfjs-node) is there when the project's own backend choice (`initBackend`) loaded it. A backend
// that is missing shows as a skipped suite that says why (and fails under CI=true), never as a
// silent pass, and every test
// checks that it really runs on the backend its suite names.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/runtime/backend';

/** tfjs's names of the backends a layer suite runs on. */
export const TEST_BACKENDS = ['cpu', 'tensorflow'] as const;
export type TestBackend = (typeof TEST_BACKENDS)[number];

let found: Promise<Set<TestBackend>> | undefined;

/** Which of TEST_BACKENDS tfjs can run here, once the project has chosen its backend. */
export function availableBackends(): Promise<Set<TestBackend>> {
  found ??= initBackend({ quiet: true }).then(
    () => new Set(TEST_BACKENDS.filter((name) => tf.findBackend(name) !== null)),
  );
  return found;
}

/**
 * Declares `describe(name)` with one sub-suite per backend, `on cpu` and `on tensorflow`; `fn`
 * declares the tests (hooks included) and is called once per backend, which it is given.
 */
export function describeOnBackends(name: string, fn: (backend: TestBackend) => void): void {
  describe(name, async () => {
    const available = await availableBackends();
    for (const backend of TEST_BACKENDS) {
      // CI tests the engine the project trains on: there a missing backend fails, never skips.
      if (!available.has(backend) && process.env.CI === 'true')
        assert.fail(`CI=true: the '${backend}' backend is not available here`);
      const skip = available.has(backend)
        ? false
        : `the '${backend}' backend is not available here (tfjs-node did not load; \`npm run setup:native\` builds it)`;
      describe(`on ${backend}`, { skip }, () => {
        let previous: string;
        before(async () => {
          previous = tf.getBackend();
          assert.ok(await tf.setBackend(backend), `tfjs could not switch to '${backend}'`);
        });
        beforeEach(() => assert.equal(tf.getBackend(), backend));
        after(async () => {
          await tf.setBackend(previous);
        });
        fn(backend);
      });
    }
  });
}
