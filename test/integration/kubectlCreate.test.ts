// kubectl's imperative create commands against a running emulator. They write through
// client-go's typed clientset, which sends its bodies as application/vnd.kubernetes.protobuf;
// each object must land as the command built it, read back with `kubectl get` as on a real
// cluster, and an invalid one must fail with the apiserver's words as kubectl prints them.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { R } from '../../emulator/src/api/resources';
import type { Deployment, KubeObject, Pod, Service } from '../../emulator/src/api/types';
import { startEmulator, type Emulator } from '../../emulator/src/emulator';
import { Kubectl, kubectlPath } from './kubectl';

let emulator: Emulator;
let kubectl: Kubectl;
let stateDir: string;

before(async () => {
  assert.ok(kubectlPath(), 'kubectl is not on PATH: these tests drive the real kubectl, so install kubectl 1.32 first');
  stateDir = mkdtempSync(join(tmpdir(), 'ksl-kubectl-create-'));
  // No host listeners: the NodePorts these tests ask for may be taken on the machine.
  emulator = await startEmulator({ stateDir, podReadyDelayMs: 200, podTerminationDelayMs: 100, hostPorts: false, log: () => undefined });
  kubectl = new Kubectl(emulator.kubeconfigPath!);
});

after(async () => {
  await emulator?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

function stored<T extends KubeObject>(resource: string, name: string, namespace = 'default'): T {
  const object = emulator.store.get(resource, namespace, name);
  assert.ok(object, `${resource} ${namespace}/${name} is not in the store`);
  return object as T;
}

/** The data row of a one-object `kubectl get`, with runs of spaces collapsed. */
async function row(...args: string[]): Promise<string> {
  const lines = (await kubectl.ok('get', ...args)).trimEnd().split('\n');
  assert.equal(lines.length, 2, lines.join('\n'));
  return lines[1].replace(/\s+/g, ' ');
}

test('kubectl sends these creates as protobuf, and the emulator answers 201', async () => {
  const r = await kubectl.run('create', 'namespace', 'probe', '-v=8');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/);
  assert.match(r.stderr, /POST https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\?fieldManager=kubectl-create&fieldValidation=Strict/);
  assert.match(r.stderr, /Response Status: 201 Created/);
});

test('kubectl create deployment web2 --image=nginx --port=80 --replicas=2 rolls out two pods', async () => {
  const out = await kubectl.ok('create', 'deployment', 'web2', '--image=nginx', '--port=80', '--replicas=2');
  assert.equal(out.trim(), 'deployment.apps/web2 created');
  const deployment = stored<Deployment>(R.deployments, 'web2');
  assert.equal(deployment.spec.replicas, 2);
  assert.deepEqual(deployment.spec.selector, { matchLabels: { app: 'web2' } });
  assert.deepEqual(deployment.metadata.labels, { app: 'web2' });
  const [container] = deployment.spec.template.spec.containers;
  assert.equal(container.name, 'nginx');
  assert.equal(container.image, 'nginx');
  assert.deepEqual(container.ports, [{ containerPort: 80, protocol: 'TCP' }]);

  await kubectl.ok('rollout', 'status', 'deployment/web2', '--timeout=30s');
  assert.match(await row('deployment', 'web2'), /^web2 2\/2 2 2 \d+s$/);
  const pods = emulator.store.list(R.pods, 'default').filter((p) => (p as Pod).metadata.labels?.app === 'web2');
  assert.equal(pods.length, 2);
});

test('kubectl create service clusterip nobody --tcp=80:80 gets a ClusterIP', async () => {
  const out = await kubectl.ok('create', 'service', 'clusterip', 'nobody', '--tcp=80:80');
  assert.equal(out.trim(), 'service/nobody created');
  const svc = stored<Service>(R.services, 'nobody');
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.deepEqual(svc.spec.selector, { app: 'nobody' });
  assert.deepEqual(svc.spec.ports, [{ name: '80-80', protocol: 'TCP', port: 80, targetPort: 80 }]);
  assert.match(await row('svc', 'nobody'), /^nobody ClusterIP 10\.(9[6-9]|10\d|11[01])\.\d+\.\d+ <none> 80\/TCP \d+s$/);
});

test('kubectl create service nodeport np --tcp=8080:80 --node-port=30099 keeps the NodePort asked for', async () => {
  const out = await kubectl.ok('create', 'service', 'nodeport', 'np', '--tcp=8080:80', '--node-port=30099');
  assert.equal(out.trim(), 'service/np created');
  const svc = stored<Service>(R.services, 'np');
  assert.equal(svc.spec.type, 'NodePort');
  assert.deepEqual(svc.spec.ports, [{ name: '8080-80', protocol: 'TCP', port: 8080, targetPort: 80, nodePort: 30099 }]);
  assert.equal(svc.spec.externalTrafficPolicy, 'Cluster');
  assert.match(await row('svc', 'np'), /^np NodePort 10\.\S+ <none> 8080:30099\/TCP \d+s$/);
});

test('kubectl create service loadbalancer stays <pending> without the tunnel', async () => {
  assert.equal((await kubectl.ok('create', 'service', 'loadbalancer', 'lb', '--tcp=5678:8080')).trim(), 'service/lb created');
  assert.match(await row('svc', 'lb'), /^lb LoadBalancer 10\.\S+ <pending> 5678:3\d{4}\/TCP \d+s$/);
});

test('kubectl create service externalname ext --external-name=example.com has no ClusterIP', async () => {
  const out = await kubectl.ok('create', 'service', 'externalname', 'ext', '--external-name=example.com');
  assert.equal(out.trim(), 'service/ext created');
  const svc = stored<Service>(R.services, 'ext');
  assert.equal(svc.spec.type, 'ExternalName');
  assert.equal(svc.spec.externalName, 'example.com');
  assert.equal(svc.spec.clusterIP, undefined);
  assert.match(await row('svc', 'ext'), /^ext ExternalName <none> example\.com <none> \d+s$/);
});

test('kubectl create namespace team-a is Active, and a second create is AlreadyExists', async () => {
  assert.equal((await kubectl.ok('create', 'namespace', 'team-a')).trim(), 'namespace/team-a created');
  assert.deepEqual(stored<KubeObject>(R.namespaces, 'team-a', '').metadata.labels, { 'kubernetes.io/metadata.name': 'team-a' });
  assert.match(await row('namespace', 'team-a'), /^team-a Active \d+s$/);

  const again = await kubectl.run('create', 'namespace', 'team-a');
  assert.equal(again.code, 1);
  assert.equal(again.stderr.trim(), 'Error from server (AlreadyExists): namespaces "team-a" already exists');
});

test('an invalid NodePort fails with the apiserver\'s reason, as kubectl create service words it', async () => {
  const r = await kubectl.run('create', 'service', 'nodeport', 'bad', '--tcp=80:80', '--node-port=99');
  assert.equal(r.code, 1);
  // create_service.go wraps the error ("failed to create %s service: %v"), so kubectl prints
  // the Status message after its own words rather than as a bare "The Service ... is invalid".
  assert.equal(
    r.stderr.trim(),
    'error: failed to create NodePort service: Service "bad" is invalid: spec.ports[0].nodePort: Invalid value: 99: ' +
      'provided port is not in the valid range. The range of valid ports is 30000-32767',
  );
  assert.equal(emulator.store.get(R.services, 'default', 'bad'), undefined);
});

test('--dry-run=server returns the defaulted object and stores nothing', async () => {
  const out = await kubectl.ok('create', 'service', 'clusterip', 'dry', '--tcp=80:8080', '--dry-run=server', '-o', 'json');
  const svc = JSON.parse(out) as Service;
  assert.equal(svc.spec.sessionAffinity, 'None');
  assert.deepEqual(svc.spec.ipFamilies, ['IPv4']);
  assert.equal(emulator.store.get(R.services, 'default', 'dry'), undefined);
});

test('kubectl debug --copy-to creates the copy with the debug container beside the original ones', async () => {
  await kubectl.ok('run', 'orig', '--image=nginx', '--port=80', '--env=A=b', '--labels=app=orig');
  await kubectl.ok('debug', 'orig', '--copy-to=orig-copy', '--image=busybox', '--container=dbg', '--attach=false');
  const copy = stored<Pod>(R.pods, 'orig-copy');
  assert.deepEqual(
    copy.spec.containers.map((c) => [c.name, c.image]),
    [
      ['orig', 'nginx'],
      ['dbg', 'busybox'],
    ],
  );
  assert.deepEqual(copy.spec.containers[0].env, [{ name: 'A', value: 'b' }]);
});
