// Backend choice (src/runtime/backend.ts), through the CLI in child processes: the choice is made once
// per process, and tfjs-node cannot be unloaded once it is in.
import { ROOT } from '../setup';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { NATIVE_DIR } from '../../src/runtime/backend';

function backend(env: Record<string, string>) {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin', 'exploring-attention.js'), 'backend', '--json'],
    { encoding: 'utf8', env: { ...process.env, ...env } },
  );
  return {
    code: r.status,
    json: r.status === 0 ? JSON.parse(r.stdout.trim()) : undefined,
    stderr: r.stderr,
  };
}

const nativeInstalled =
  fs.existsSync(NATIVE_DIR) ||
  fs.existsSync(path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-node'));

describe('backend choice', () => {
  it('EA_BACKEND=cpu forces the stock cpu backend', () => {
    const r = backend({ EA_BACKEND: 'cpu' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.backend, 'cpu');
    assert.equal(r.json.tf_backend, 'cpu');
    assert.equal(r.json.forced, true);
  });

  it('EA_BACKEND=wasm is no longer a backend (bad input, exit 2)', () => {
    const r = backend({ EA_BACKEND: 'wasm' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /EA_BACKEND must be one of tfjs-node-gpu, tfjs-node, cpu, got 'wasm'/);
  });

  it(`EA_BACKEND=tfjs-node ${nativeInstalled ? 'uses the native build' : 'fails clearly when it is not installed'}`, () => {
    const r = backend({ EA_BACKEND: 'tfjs-node' });
    if (nativeInstalled) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.backend, 'tfjs-node');
      assert.equal(r.json.tf_backend, 'tensorflow');
    } else {
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /backend 'tfjs-node' was requested \(EA_BACKEND\) but is not available: not installed.*npm run setup:native/,
      );
    }
  });

  const gpu =
    fs.existsSync('/dev/nvidia0') && 'a GPU is visible here, so this machine cannot show the error';
  it('EA_BACKEND=tfjs-node-gpu without a GPU is an error, not a fallback', { skip: gpu }, () => {
    const r = backend({ EA_BACKEND: 'tfjs-node-gpu' });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /backend 'tfjs-node-gpu' was requested \(EA_BACKEND\) but is not available: no GPU visible/,
    );
  });

  it('an unknown backend name is bad input (exit 2) and lists the valid ones', () => {
    const r = backend({ EA_BACKEND: 'metal' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /EA_BACKEND must be one of tfjs-node-gpu, tfjs-node, cpu, got 'metal'/);
  });

  it('without EA_BACKEND it picks the fastest available and says why the faster ones were skipped', () => {
    const env = { ...process.env };
    delete env.EA_BACKEND;
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin', 'exploring-attention.js'), 'backend', '--json'],
      { encoding: 'utf8', env },
    );
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout.trim());
    assert.equal(j.backend, nativeInstalled ? 'tfjs-node' : 'cpu');
    assert.equal(j.forced, false);
    if (!fs.existsSync('/dev/nvidia0')) assert.match(j.skipped['tfjs-node-gpu'], /no GPU visible/);
    if (!nativeInstalled) assert.match(j.skipped['tfjs-node'], /not installed/);
  });
});
