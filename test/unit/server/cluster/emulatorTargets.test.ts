// Finding the emulator through its state dir: endpoints.json plus the kubeconfig make a
// target, their absence a reason; the slow poll notices changes even without fs events.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorTargets } from '../../../../server/src/cluster/emulatorTargets';
import { kubeconfigTargets } from '../../../../server/src/cluster/kubeconfigTargets';
import type { TargetSource, TargetState } from '../../../../server/src/cluster/clusterTargets';
import { kubeconfigText } from '../../../../emulator/src/emulator';
import { FakeClock } from '../../../../emulator/src/clock';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ksl-targets-'));
  dirs.push(d);
  return d;
}

/** Resolves with the state after the next change the source announces. */
function nextState(source: TargetSource): Promise<TargetState> {
  return new Promise((resolve) => {
    const stop = source.onDidChange(() => {
      stop();
      resolve(source.current());
    });
  });
}

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

test('no endpoints.json means not running; writing it (and the kubeconfig) makes a target', async () => {
  const dir = stateDir();
  const clock = new FakeClock();
  const source = emulatorTargets({ stateDir: dir, clock, log: () => undefined, pollMs: 2000 });
  try {
    assert.deepEqual(await nextState(source), { reason: 'the emulator is not running' });
    writeFileSync(join(dir, 'kubeconfig'), kubeconfigText('https://127.0.0.1:4321', 'tok', CA));
    writeFileSync(join(dir, 'endpoints.json'), JSON.stringify({ api: 'https://127.0.0.1:4321', dns: '127.0.0.1:5353' }));
    const appeared = nextState(source);
    clock.advance(2000);
    const state = await appeared;
    assert.ok(state.target, JSON.stringify(state));
    assert.deepEqual(state.target.source, { kind: 'emulator', stateDir: dir, url: 'https://127.0.0.1:4321' });
    assert.equal(state.target.label, 'emulator at https://127.0.0.1:4321');
    assert.equal(state.target.defaultNamespace, 'default');
    assert.equal(state.target.connection.server, 'https://127.0.0.1:4321');

    rmSync(join(dir, 'endpoints.json'));
    const gone = nextState(source);
    clock.advance(2000);
    assert.deepEqual(await gone, { reason: 'the emulator is not running' });
  } finally {
    source.dispose();
  }
});

test('a kubeconfig context that does not exist is a reason, not a crash', async () => {
  const dir = stateDir();
  const path = join(dir, 'config');
  writeFileSync(path, kubeconfigText('https://127.0.0.1:4321', 'tok', CA));
  const source = kubeconfigTargets({ path, context: 'prod', clock: new FakeClock(), log: () => undefined });
  try {
    assert.deepEqual(await nextState(source), { reason: `kubeconfig ${path} is unusable: context "prod" is not in ${path}` });
  } finally {
    source.dispose();
  }
  const good = kubeconfigTargets({ path, context: 'ksl', clock: new FakeClock(), log: () => undefined });
  try {
    const state = await nextState(good);
    assert.deepEqual(state.target?.source, { kind: 'kubeconfig', context: 'ksl', url: 'https://127.0.0.1:4321' });
  } finally {
    good.dispose();
  }
  const missing = kubeconfigTargets({ path: join(dir, 'nope'), clock: new FakeClock(), log: () => undefined });
  try {
    assert.deepEqual(await nextState(missing), { reason: `cannot read kubeconfig ${join(dir, 'nope')} (ENOENT)` });
  } finally {
    missing.dispose();
  }
});
