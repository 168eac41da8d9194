// What a request says when it cannot reach the cluster it needs: no cluster at all (with how
// to start the emulator), or a real cluster where only the emulator will do.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceView } from '../../../../../server/src/cluster/workspaceView';
import { clusterTarget, emulatorTarget } from '../../../../../server/src/requests/clusterAccess';
import { proxyRules } from '../../../../../server/src/requests/proxyRules';
import { resolveName } from '../../../../../server/src/requests/resolveName';
import { UserError } from '../../../../../server/src/requests/userError';
import { TargetedView } from '../featureFixtures';

test('with the emulator stopped, requests say how to start it', () => {
  const view = new TargetedView({}, undefined);
  assert.throws(() => clusterTarget(view, 'Apply'), {
    name: 'Error',
    message: 'Apply needs a cluster, and there is none: the emulator is not running; start it with "Kube Service Lab: Start Emulator" or `ksl serve`',
  });
  assert.throws(() => emulatorTarget(view, 'DNS lookups'), /^Error: DNS lookups needs the emulator, and it is not available: the emulator is not running; start it/);
});

test('without any cluster configured, the reason is that', () => {
  assert.throws(() => clusterTarget(new WorkspaceView({ workspaceObjects: () => [] }), 'Apply'), { message: 'Apply needs a cluster, and there is none: no cluster is configured' });
});

test('on a kubeconfig cluster the emulator-only requests refuse with a reason', async () => {
  const source = { kind: 'kubeconfig' as const, context: 'prod', url: 'https://10.0.0.1:6443' };
  const view = new TargetedView({ source, label: 'context prod at https://10.0.0.1:6443' }, { source, label: 'context prod at https://10.0.0.1:6443' });
  assert.equal(clusterTarget(view, 'Apply').label, 'context prod at https://10.0.0.1:6443');
  await assert.rejects(resolveName(view, { name: 'web', namespace: 'default' }), (err: unknown) => {
    assert.ok(err instanceof UserError);
    assert.equal(err.message, 'DNS lookups needs the emulator: the current cluster is context prod at https://10.0.0.1:6443, whose DNS and pod network the editor cannot reach from this machine');
    return true;
  });
  await assert.rejects(proxyRules(view, {}), /Proxy rules needs the emulator/);
});

test('the emulator target carries its DNS server and cluster domain', () => {
  const view = new TargetedView({}, { emulator: { dns: '127.0.0.1:5353', clusterDomain: 'lab.internal' } });
  const target = emulatorTarget(view, 'DNS lookups');
  assert.deepEqual([target.dns, target.clusterDomain], [{ host: '127.0.0.1', port: 5353 }, 'lab.internal']);
});

test('bad parameters are refused before anything is sent', async () => {
  const view = new TargetedView({}, { emulator: { dns: '127.0.0.1:5353', clusterDomain: 'cluster.local' } });
  await assert.rejects(resolveName(view, { name: 'web', type: 'MX' }), { message: 'the record type must be one of A, AAAA, SRV, PTR, CNAME, TXT, not "MX"' });
  await assert.rejects(resolveName(view, null), { message: 'the request has no parameters' });
});
