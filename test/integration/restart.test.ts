// Whole-emulator persistence. A clean restart on the same state directory brings back every
// object with the same uid, resourceVersion, ClusterIPs, NodePorts and pod IPs, keeps the
// token and CA (so the kubeconfig still works), and never hands out a restored address again.
// A crash mid-write leaves a torn last record in wal.log: the next start cuts it off with a
// warning and keeps every acknowledged write.
//
// The crash is reproduced from its disk image: every acknowledged write is fsynced before the
// API answers, so copying the state directory between two writes of a running emulator gives
// exactly what a kill at that moment leaves behind; a torn record is then appended to the copy.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { R } from '../../emulator/src/api/resources';
import type { Deployment, KubeObject, Pod, Service } from '../../emulator/src/api/types';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/src/emulator';
import { crc32 } from '../../emulator/src/store/crc32';
import { apiRequest, jsonOf } from './apiRequests';
import { untilStore } from './storeWait';

// A /28 service range (14 addresses) and 8 NodePorts, so a restored allocation that was
// forgotten would be handed out again within a few creates.
const SHAPE: EmulatorOptions = {
  serviceCIDR: '10.96.0.0/28',
  nodePortBase: 30000,
  nodePortSize: 8,
  podReadyDelayMs: 100,
  podTerminationDelayMs: 100,
  hostPorts: false,
};

const NS = '/api/v1/namespaces/default';
const TORN_NAME = 'never-acknowledged';
const running: Emulator[] = [];
const dirs: string[] = [];
let stateDir: string;

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

async function start(dir: string, log: (m: string) => void = () => undefined): Promise<Emulator> {
  const emulator = await startEmulator({ ...SHAPE, stateDir: dir, log });
  running.push(emulator);
  return emulator;
}

async function stop(emulator: Emulator): Promise<void> {
  await emulator.stop();
  running.splice(running.indexOf(emulator), 1);
}

function until(emulator: Emulator, check: () => boolean, what: string, ms = 20_000): Promise<void> {
  return untilStore(emulator.store, check, what, ms);
}

function readyPods(emulator: Emulator, app: string): Pod[] {
  return (emulator.store.list(R.pods, 'default') as Pod[]).filter(
    (p) =>
      p.metadata.labels?.app === app &&
      !p.metadata.deletionTimestamp &&
      p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
}

async function post(emulator: Emulator, path: string, obj: unknown): Promise<KubeObject> {
  const res = await apiRequest(emulator, 'POST', path, { body: JSON.stringify(obj) });
  assert.equal(res.code, 201, res.text);
  return jsonOf<KubeObject>(res);
}

function service(name: string, spec: Partial<Service['spec']>): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }], ...spec } };
}

const deployment: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
  },
};

interface Recorded {
  services: Record<string, { uid?: string; rv?: string; clusterIPs?: string[]; nodePorts: number[] }>;
  pods: Record<string, { uid?: string; rv?: string; ip?: string }>;
  deployment: { uid?: string; rv?: string; replicas?: number };
}

/** What a restart must bring back unchanged. */
function record(emulator: Emulator): Recorded {
  const services: Recorded['services'] = {};
  for (const s of emulator.store.list(R.services, 'default') as Service[]) {
    services[s.metadata.name ?? ''] = {
      uid: s.metadata.uid,
      rv: s.metadata.resourceVersion,
      clusterIPs: s.spec.clusterIPs,
      nodePorts: (s.spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0),
    };
  }
  const pods: Recorded['pods'] = {};
  for (const p of emulator.store.list(R.pods, 'default') as Pod[]) {
    pods[p.metadata.name ?? ''] = { uid: p.metadata.uid, rv: p.metadata.resourceVersion, ip: p.status?.podIP };
  }
  const d = emulator.store.get(R.deployments, 'default', 'web') as Deployment | undefined;
  return { services, pods, deployment: { uid: d?.metadata.uid, rv: d?.metadata.resourceVersion, replicas: d?.spec.replicas } };
}

function heldClusterIPs(emulator: Emulator): string[] {
  return (emulator.store.list(R.services) as Service[]).flatMap((s) => (s.spec.clusterIPs ?? []).filter((ip) => ip !== 'None'));
}

function heldNodePorts(emulator: Emulator): number[] {
  return (emulator.store.list(R.services) as Service[]).flatMap((s) => (s.spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0));
}

let first: Recorded;
let firstToken: string;
let firstCA: string;

before(async () => {
  stateDir = tempDir('ksl-restart-');
  const emulator = await start(stateDir);
  await post(emulator, `/apis/apps/v1/namespaces/default/deployments`, deployment);
  await post(emulator, `${NS}/services`, service('web', {}));
  await post(emulator, `${NS}/services`, service('web-nodeport', { type: 'NodePort' }));
  await post(emulator, `${NS}/services`, service('web-headless', { clusterIP: 'None' }));
  await until(emulator, () => readyPods(emulator, 'web').length === 3, 'three ready pods');
  first = record(emulator);
  firstToken = emulator.token;
  firstCA = emulator.caPem;
  await stop(emulator);
});

after(async () => {
  for (const emulator of [...running]) await emulator.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('a restart brings back every object with the same uid, resourceVersion, ClusterIPs, NodePorts and pod IPs', async () => {
  const emulator = await start(stateDir);
  try {
    const again = record(emulator);
    assert.deepEqual(again.services, first.services);
    assert.deepEqual(again.pods, first.pods);
    assert.deepEqual(again.deployment, first.deployment);

    assert.equal(Object.keys(first.pods).length, 3);
    assert.deepEqual(first.services['web-headless'].clusterIPs, ['None']);
    assert.equal(first.services['web-nodeport'].nodePorts.length, 1);
    assert.equal(readyPods(emulator, 'web').length, 3, 'the pods are still ready');
  } finally {
    await stop(emulator);
  }
});

test('the token, the CA and the kubeconfig of the first run still work after the restart', async () => {
  const emulator = await start(stateDir);
  try {
    assert.equal(emulator.token, firstToken);
    assert.equal(emulator.caPem, firstCA);
    const kubeconfig = parseYaml(readFileSync(join(stateDir, 'kubeconfig'), 'utf8')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { token: string } }[];
    };
    const target = {
      url: kubeconfig.clusters[0].cluster.server,
      caPem: Buffer.from(kubeconfig.clusters[0].cluster['certificate-authority-data'], 'base64').toString('utf8'),
      token: kubeconfig.users[0].user.token,
    };
    assert.equal(target.url, emulator.url, 'the kubeconfig points at the running server');
    const res = await apiRequest(target, 'GET', `${NS}/services/web`);
    assert.equal(res.code, 200, res.text);
    assert.deepEqual(jsonOf<Service>(res).spec.clusterIPs, first.services.web.clusterIPs);
  } finally {
    await stop(emulator);
  }
});

test('after a restart new Services get only free ClusterIPs and NodePorts until the ranges are full', async () => {
  const emulator = await start(stateDir);
  try {
    const restoredIPs = new Set(heldClusterIPs(emulator));
    const restoredPorts = new Set(heldNodePorts(emulator));
    assert.equal(restoredIPs.size, 4, 'kubernetes, kube-dns, web and web-nodeport');

    const newIPs: string[] = [];
    const newPorts: number[] = [];
    for (let i = 0; i < 7; i++) {
      const svc = (await post(emulator, `${NS}/services`, service(`np-${i}`, { type: 'NodePort' }))) as Service;
      newIPs.push(svc.spec.clusterIP ?? '');
      newPorts.push(svc.spec.ports?.[0].nodePort ?? 0);
    }
    const portsFull = await apiRequest(emulator, 'POST', `${NS}/services`, { body: JSON.stringify(service('np-full', { type: 'NodePort' })) });
    assert.equal(portsFull.code, 500);
    assert.equal(jsonOf<{ message: string }>(portsFull).message, 'Internal error occurred: failed to allocate a nodePort: range is full');

    for (let i = 0; i < 3; i++) newIPs.push(((await post(emulator, `${NS}/services`, service(`ip-${i}`, {}))) as Service).spec.clusterIP ?? '');
    const ipsFull = await apiRequest(emulator, 'POST', `${NS}/services`, { body: JSON.stringify(service('ip-full', {})) });
    assert.equal(ipsFull.code, 500);
    assert.equal(jsonOf<{ message: string }>(ipsFull).message, 'Internal error occurred: failed to allocate a serviceIP: range is full');

    assert.equal(new Set(newIPs).size, newIPs.length, 'no ClusterIP was handed out twice');
    assert.deepEqual(newIPs.filter((ip) => restoredIPs.has(ip)), [], 'no restored ClusterIP was handed out again');
    assert.equal(new Set(newPorts).size, newPorts.length);
    assert.deepEqual(newPorts.filter((p) => restoredPorts.has(p)), [], 'no restored NodePort was handed out again');

    // Pods too: two more replicas get addresses the three restored pods do not hold.
    const scaled = await apiRequest(emulator, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', {
      body: '{"spec":{"replicas":5}}',
      contentType: 'application/merge-patch+json',
    });
    assert.equal(scaled.code, 200, scaled.text);
    await until(emulator, () => readyPods(emulator, 'web').length === 5, 'five ready pods');
    const ips = readyPods(emulator, 'web').map((p) => p.status?.podIP ?? '');
    assert.equal(new Set(ips).size, 5);
    for (const p of Object.values(first.pods)) assert.ok(ips.includes(p.ip ?? ''), `${p.ip} is still held by its pod`);
  } finally {
    await stop(emulator);
  }
});

test('a torn last record, as a crash mid-write leaves it, is cut off with a warning and every acknowledged write is kept', async () => {
  const emulator = await start(stateDir);
  let image: string;
  let acknowledged: Recorded;
  try {
    // Writes after the start land in wal.log (the snapshot was taken at the last clean stop).
    const scaled = await apiRequest(emulator, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', {
      body: '{"spec":{"replicas":4}}',
      contentType: 'application/merge-patch+json',
    });
    assert.equal(scaled.code, 200, scaled.text);
    await until(emulator, () => readyPods(emulator, 'web').length === 4 && emulator.store.count(R.pods, 'default') === 4, 'four pods');
    // The ClusterIP range is full from the previous test: free two addresses, take one back.
    for (const name of ['ip-0', 'ip-1']) assert.equal((await apiRequest(emulator, 'DELETE', `${NS}/services/${name}`)).code, 200);
    await post(emulator, `${NS}/services`, service('after-restart', {}));

    // The crash image: the directory as a kill right now would leave it (the lock aside, which
    // a dead process leaves stale anyway).
    image = tempDir('ksl-crash-');
    acknowledged = record(emulator);
    cpSync(stateDir, image, { recursive: true, filter: (src) => basename(src) !== 'lock' });
  } finally {
    await stop(emulator);
  }

  const logLines = readFileSync(join(image, 'wal.log'), 'utf8').split('\n').filter(Boolean);
  assert.ok(logLines.length > 0, 'the image has complete records in wal.log to replay');
  const torn = JSON.stringify({
    rv: 999_999,
    op: 'put',
    resource: 'services',
    object: { apiVersion: 'v1', kind: 'Service', metadata: { name: TORN_NAME, namespace: 'default' }, spec: { clusterIPs: ['10.96.0.13'] } },
  });
  // The record's checksum and half its JSON made it to disk; the rest, and the newline, did not.
  const checksum = crc32(Buffer.from(torn, 'utf8')).toString(16).padStart(8, '0');
  appendFileSync(join(image, 'wal.log'), `${checksum} ${torn.slice(0, torn.length / 2)}`);

  const warnings: string[] = [];
  const recovered = await start(image, (m) => warnings.push(m));
  try {
    assert.ok(
      warnings.some((w) => w.startsWith('warning: ') && w.includes('wal.log') && w.includes('cut off an incomplete or corrupt last record')),
      `expected a warning about the torn record, got:\n${warnings.join('\n')}`,
    );
    const now = record(recovered);
    assert.deepEqual(now.services, acknowledged.services);
    assert.deepEqual(now.deployment, acknowledged.deployment);
    assert.deepEqual(Object.keys(now.pods).sort(), Object.keys(acknowledged.pods).sort());
    assert.equal(recovered.store.get(R.services, 'default', TORN_NAME), undefined);
    assert.equal(recovered.store.get(R.services, 'default', 'ip-0'), undefined, 'the acknowledged deletes are kept too');

    // The repaired log takes new writes, and what the server answers survives the next start.
    const later = (await post(recovered, `${NS}/services`, service('after-crash', {}))) as Service;
    assert.ok(later.spec.clusterIP);
    assert.ok(!Object.values(acknowledged.services).some((s) => s.clusterIPs?.includes(later.spec.clusterIP ?? '')));
  } finally {
    await stop(recovered);
  }
  const third = await start(image);
  try {
    assert.ok(third.store.get(R.services, 'default', 'after-crash'));
  } finally {
    await stop(third);
  }
});
