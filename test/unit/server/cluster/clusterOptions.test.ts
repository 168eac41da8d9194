// initializationOptions.cluster in each of its forms, and what a malformed one falls back to.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultStateDir, parseClusterOption } from '../../../../server/src/cluster/clusterOptions';

const environment = { env: {}, home: '/home/u', cwd: '/cwd' };
const folders = ['file:///work/project'];
const parse = (options: unknown) => parseClusterOption(options, folders, environment);

test('absent options mean the emulator in the default state dir', () => {
  for (const options of [undefined, null, {}, { cluster: null }, { cluster: { emulator: true } }, { cluster: { emulator: {} } }]) {
    assert.deepEqual(parse(options), { choice: { kind: 'emulator', stateDir: '/home/u/.kube-service-lab/state' } }, JSON.stringify(options));
  }
  assert.equal(defaultStateDir({ env: { KSL_STATE_DIR: 'state' }, home: '/home/u', cwd: '/cwd' }), '/cwd/state');
});

test('emulator false means the workspace alone', () => {
  assert.deepEqual(parse({ cluster: { emulator: false } }), { choice: { kind: 'workspace' } });
});

test('a state dir and a kubeconfig resolve against the workspace folder or the home directory', () => {
  assert.deepEqual(parse({ cluster: { emulator: { stateDir: '.ksl' } } }), { choice: { kind: 'emulator', stateDir: '/work/project/.ksl' } });
  assert.deepEqual(parse({ cluster: { kubeconfig: '~/.kube/config', context: 'prod' } }), {
    choice: { kind: 'kubeconfig', path: '/home/u/.kube/config', context: 'prod' },
  });
  assert.deepEqual(parse({ cluster: { kubeconfig: '/etc/kube.yaml' } }), { choice: { kind: 'kubeconfig', path: '/etc/kube.yaml' } });
  assert.deepEqual(parseClusterOption({ cluster: { kubeconfig: 'k.yaml' } }, [], environment), { choice: { kind: 'kubeconfig', path: '/cwd/k.yaml' } });
});

test('malformed options are reported and fall back to the emulator', () => {
  for (const [options, problem] of [
    [{ cluster: 'minikube' }, 'initializationOptions.cluster must be an object'],
    [{ cluster: { kubeconfig: 42 } }, 'initializationOptions.cluster.kubeconfig must be a file path'],
    [{ cluster: { kubeconfig: '/k', context: 1 } }, 'initializationOptions.cluster.context must be a string'],
    [{ cluster: { emulator: 'yes' } }, 'initializationOptions.cluster.emulator must be false or an object'],
    [{ cluster: { emulator: { stateDir: 7 } } }, 'initializationOptions.cluster.emulator.stateDir must be a path'],
  ] as const) {
    const r = parse(options);
    assert.equal(r.problem, problem);
    assert.equal(r.choice.kind, 'emulator');
  }
});
