// npm's postinstall (scripts/postinstall.sh) around the native build: opting out and a failed
// build are never a failed install. Runs the script in a scratch copy of the project's scripts/
// (no node_modules there, so setup-native fails at once), with the Python step skipped: fast and
// offline. Also the chooser's GPU path, with a GPU faked for fs.existsSync('/dev/nvidia0').
import { ROOT } from '../setup';
import { NATIVE_GPU_DIR } from '../../src/runtime/backend';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

const scratch: string[] = [];
after(() => scratch.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function scratchProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ea-postinstall-'));
  scratch.push(dir);
  fs.mkdirSync(path.join(dir, 'scripts'));
  for (const f of ['postinstall.sh', 'setup-native.sh', 'setup-python.sh'])
    fs.copyFileSync(path.join(ROOT, 'scripts', f), path.join(dir, 'scripts', f));
  return dir;
}

function postinstall(dir: string, env: Record<string, string>) {
  const r = spawnSync('bash', [path.join(dir, 'scripts', 'postinstall.sh')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      EXPLORING_ATTENTION_SKIP_PYTHON: '1',
      npm_lifecycle_event: 'postinstall',
      ...env,
    },
  });
  const lines = (r.stdout + r.stderr)
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('setup-python:'));
  return { code: r.status, lines };
}

const status = (dir: string) =>
  fs.readFileSync(path.join(dir, '.native', 'install-status'), 'utf8');

describe('postinstall: the native backend', () => {
  it('EA_NATIVE=0 skips the build in one line and records why', () => {
    const dir = scratchProject();
    const r = postinstall(dir, { EA_NATIVE: '0' });
    assert.equal(r.code, 0);
    assert.equal(r.lines.length, 1, r.lines.join('\n'));
    assert.match(r.lines[0], /skipped \(EA_NATIVE=0\)/);
    assert.match(status(dir), /^skipped: npm install ran with EA_NATIVE=0\n$/);
    assert.ok(!fs.existsSync(path.join(dir, '.native', 'node_modules')));
  });

  it('a failed build is one warning line, exit 0, no half-built package, and a status line', () => {
    const dir = scratchProject();
    const r = postinstall(dir, { EA_NATIVE: '1' });
    assert.equal(r.code, 0);
    const warnings = r.lines.filter((l) => /WARNING/.test(l));
    assert.equal(warnings.length, 1, r.lines.join('\n'));
    assert.match(
      warnings[0],
      /^postinstall: WARNING: native TensorFlow backend not built \(.*node_modules\/@tensorflow\/tfjs is missing.*\); using tfjs's cpu backend, which redraws saved runs but does not train/,
    );
    assert.match(status(dir), /^failed at npm install: .*tfjs is missing/);
    assert.ok(
      !fs.existsSync(path.join(dir, '.native', 'node_modules', '@tensorflow', 'tfjs-node')),
    );
    assert.match(fs.readFileSync(path.join(dir, '.native', 'install.log'), 'utf8'), /ERROR/);
  });
});

describe('backend choice with a GPU visible (faked)', () => {
  it('EA_BACKEND=tfjs-node-gpu uses the .native/gpu build, or says how to make it', () => {
    const dir = scratchProject();
    const fake = path.join(dir, 'fake-gpu.js');
    fs.writeFileSync(
      fake,
      "const fs = require('fs'); const real = fs.existsSync;\n" +
        "fs.existsSync = (p) => p === '/dev/nvidia0' || real(p);\n",
    );
    const r = spawnSync(
      process.execPath,
      ['-r', fake, path.join(ROOT, 'bin', 'exploring-attention.js'), 'backend', '--json'],
      { encoding: 'utf8', env: { ...process.env, EA_BACKEND: 'tfjs-node-gpu' } },
    );
    if (fs.existsSync(path.join(NATIVE_GPU_DIR, '.native-build'))) {
      assert.equal(r.status, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout.trim()).backend, 'tfjs-node-gpu');
    } else {
      assert.equal(r.status, 1);
      assert.match(r.stderr, /not installed \(opt-in: `npm run setup:native -- --gpu`/);
    }
  });
});
