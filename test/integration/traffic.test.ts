// The lesson's payoff with real clients: names resolve at the emulator's DNS server, a real
// HTTP client reaches nginx on the NodePort, and traffic to a Service spreads over its ready
// pods the way kube-proxy's rules say, sticks with ClientIP affinity, is refused without
// endpoints, and follows a replaced pod.

import assert from 'node:assert/strict';
import { promises as dns } from 'node:dns';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { R } from '../../emulator/src/api/resources';
import type { Pod, Service } from '../../emulator/src/api/types';
import { startEmulator, type Emulator } from '../../emulator/src/emulator';
import { Kubectl, kubectlPath } from './kubectl';
import { readyIPs } from './endpointIPs';
import { untilStore } from './storeWait';
import { ksl, trafficShares } from './ksl';

let emulator: Emulator;
let kubectl: Kubectl;
let stateDir: string;

function webPods(): Pod[] {
  return (emulator.store.list(R.pods, 'default') as Pod[]).filter((p) => p.metadata.labels?.app === 'web' && !p.metadata.deletionTimestamp);
}

function httpGet(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}

before(async () => {
  assert.ok(kubectlPath(), 'kubectl is not on PATH: these tests drive the real kubectl, so install kubectl 1.32 first');
  stateDir = mkdtempSync(join(tmpdir(), 'ksl-traffic-'));
  emulator = await startEmulator({ stateDir, podReadyDelayMs: 200, podTerminationDelayMs: 100, log: () => undefined });
  kubectl = new Kubectl(emulator.kubeconfigPath!);
  await kubectl.ok('apply', '-f', 'examples/');
  await kubectl.ok('rollout', 'status', 'deployment/web', '--timeout=30s');
  await untilStore(emulator.store, () => readyIPs(emulator.store, 'web').length === 3, 'three ready web endpoints', 10_000);
});

after(async () => {
  await emulator?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

test('a real resolver finds web.default.svc.cluster.local at the emulator DNS server', async () => {
  const resolver = new dns.Resolver();
  resolver.setServers([`${emulator.dns.host}:${emulator.dns.port}`]);
  const svc = emulator.store.get(R.services, 'default', 'web') as Service;
  assert.deepEqual(await resolver.resolve4('web.default.svc.cluster.local'), [svc.spec.clusterIP]);
  const out = await ksl(stateDir, 'nslookup', 'web');
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, new RegExp(`Name:\\tweb\\.default\\.svc\\.cluster\\.local\\nAddress: ${svc.spec.clusterIP!.replace(/\./g, '\\.')}`));
});

test('curl http://127.0.0.1:30080/ returns the nginx welcome page from one of the web pods', async () => {
  const res = await httpGet('http://127.0.0.1:30080/');
  assert.equal(res.status, 200);
  assert.match(res.body, /<title>Welcome to nginx!<\/title>/);
  const names = webPods().map((p) => p.metadata.name);
  assert.ok(names.includes(String(res.headers['x-ksl-pod'])), `X-Ksl-Pod ${String(res.headers['x-ksl-pod'])} is not one of ${names.join(', ')}`);
});

test('ksl curl http://web resolves through the search path and says which pod answered', async () => {
  const out = await ksl(stateDir, 'curl', '-v', 'http://web');
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /<title>Welcome to nginx!<\/title>/);
  assert.match(out.stderr, /Host web:80 was resolved as web\.default\.svc\.cluster\.local/);
  assert.match(out.stderr, /KUBE-SVC-[A-Z2-7]{16}/);
  assert.match(out.stderr, /Answered by pod default\/web-/);
});

test('300 requests spread over the 3 ready pods at close to 1/3 each', async () => {
  const out = await ksl(stateDir, 'traffic', 'svc/web', '-n', '300');
  assert.equal(out.code, 0, out.stderr);
  const shares = trafficShares(out.stdout);
  assert.deepEqual([...shares.keys()].sort(), webPods().map((p) => p.metadata.name!).sort());
  for (const [pod, n] of shares) assert.ok(n >= 70 && n <= 130, `${pod} got ${n} of 300 requests:\n${out.stdout}`);
});

test('with sessionAffinity ClientIP the requests stay on one pod', async () => {
  await kubectl.ok('patch', 'svc', 'web', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}');
  const out = await ksl(stateDir, 'traffic', 'svc/web', '-n', '50');
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual([...trafficShares(out.stdout).values()], [50], out.stdout);
  await kubectl.ok('patch', 'svc', 'web', '-p', '{"spec":{"sessionAffinity":"None"}}');
});

test('a Service with no ready endpoints refuses the connection', async () => {
  const file = join(stateDir, 'nobody.yaml');
  writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: nobody\nspec:\n  selector:\n    app: nobody\n  ports:\n  - port: 80\n');
  await kubectl.ok('apply', '-f', file);
  const out = await ksl(stateDir, 'curl', 'http://nobody');
  assert.equal(out.code, 7, out.stderr);
  assert.match(out.stderr, /curl: \(7\) Failed to connect to nobody port 80 .*Couldn't connect to server/);
  assert.match(out.stderr, /has no endpoints/);
});

test('a NodePort whose Service has no endpoints refuses connections from the host, and opens when a pod is ready', async () => {
  const file = join(stateDir, 'lonely.yaml');
  const manifest = (app: string) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: lonely\nspec:\n  type: NodePort\n  selector:\n    app: ${app}\n  ports:\n  - port: 80\n    nodePort: 30081\n`;
  writeFileSync(file, manifest('nobody'));
  await kubectl.ok('apply', '-f', file);
  await assert.rejects(httpGet('http://127.0.0.1:30081/'), (err: NodeJS.ErrnoException) => err.code === 'ECONNREFUSED');
  writeFileSync(file, manifest('web'));
  await kubectl.ok('apply', '-f', file);
  await untilStore(emulator.store, () => readyIPs(emulator.store, 'lonely').length === 3, 'lonely to get the web endpoints', 10_000);
  // The listener reopens on the next turn of the event loop after the rules change.
  let res: Awaited<ReturnType<typeof httpGet>> | undefined;
  for (let attempt = 0; attempt < 50 && !res; attempt++) {
    res = await httpGet('http://127.0.0.1:30081/').catch(() => new Promise<undefined>((r) => setImmediate(() => r(undefined))));
  }
  assert.equal(res?.status, 200);
});

test('deleting a pod moves its share of the traffic to the replacement', async () => {
  const victim = webPods()[0];
  await kubectl.ok('delete', 'pod', victim.metadata.name!, '--wait=false');
  await untilStore(
    emulator.store,
    () => readyIPs(emulator.store, 'web').length === 3 && !readyIPs(emulator.store, 'web').includes(victim.status!.podIP!) && webPods().length === 3,
    'the replacement pod to be ready',
    10_000,
  );
  const out = await ksl(stateDir, 'traffic', 'svc/web', '-n', '300');
  const shares = trafficShares(out.stdout);
  assert.ok(!shares.has(victim.metadata.name!), `the deleted pod still got traffic:\n${out.stdout}`);
  assert.equal(shares.size, 3, out.stdout);
  for (const [pod, n] of shares) assert.ok(n >= 70 && n <= 130, `${pod} got ${n} of 300 requests:\n${out.stdout}`);
});
