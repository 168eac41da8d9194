// The status bar's words for each state of the emulator and of a kubeconfig cluster.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusText } from '../../../client/src/statusText';
import { lessonSnapshot } from './snapshotFixture';

const running = { kind: 'running', api: 'https://127.0.0.1:40123', dns: '127.0.0.1:40124', kubeconfig: '/s/kubeconfig', stateDir: '/s' } as const;
const emulator = { kind: 'emulator' } as const;

describe('statusText', () => {
  it('counts Services and pods of a running emulator', () => {
    const { text, tooltip } = statusText({ source: emulator, emulator: running, snapshot: lessonSnapshot() });
    assert.equal(text, '$(server-environment) ksl: 5 svc · 5 pods');
    assert.match(tooltip, /Emulator API https:\/\/127\.0\.0\.1:40123, DNS 127\.0\.0\.1:40124\. 5 Services, 1 Deployment and 5 pods in 3 namespaces\. Click to choose a cluster\./);
  });

  it('follows the emulator through its states', () => {
    assert.equal(statusText({ source: emulator, emulator: { kind: 'stopped' } }).text, '$(circle-outline) ksl: stopped');
    assert.equal(statusText({ source: emulator, emulator: { kind: 'starting' } }).text, '$(sync~spin) ksl: starting');
    const failed = statusText({ source: emulator, emulator: { kind: 'failed', message: 'port 6443 is in use' } });
    assert.equal(failed.text, '$(error) ksl: failed');
    assert.match(failed.tooltip, /port 6443 is in use/);
    assert.equal(statusText({ source: emulator, emulator: running }).text, '$(server-environment) ksl: emulator');
    assert.equal(statusText({ source: emulator, emulator: running, snapshot: { ...lessonSnapshot(), connected: false } }).text, '$(sync~spin) ksl: connecting');
  });

  it('names the kubeconfig context, whatever the emulator does', () => {
    const source = { kind: 'kubeconfig', kubeconfig: '/home/u/.kube/config', context: 'staging' } as const;
    const real = { ...lessonSnapshot(), emulator: false, source: 'kubeconfig context staging' };
    assert.equal(statusText({ source, emulator: { kind: 'stopped' } }).text, '$(cloud) ksl: staging');
    assert.equal(statusText({ source, emulator: { kind: 'stopped' }, snapshot: real }).text, '$(cloud) ksl: staging · 5 svc · 5 pods');
    assert.equal(statusText({ source, emulator: running, snapshot: { ...real, connected: false } }).text, '$(warning) ksl: staging unreachable');
    assert.equal(statusText({ source: { ...source, context: '' }, emulator: running }).text, '$(cloud) ksl: kubeconfig');
  });
});
