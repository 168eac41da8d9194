// The lesson from shared/seed, command by command, with the real kubectl against a running
// emulator. Each step checks what the user would read on a real cluster.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/src/emulator';
import { Kubectl, kubectlPath } from './kubectl';
import { readyIPs } from './endpointIPs';
import { untilStore } from './storeWait';

let emulator: Emulator;
let kubectl: Kubectl;
let stateDir: string;

before(async () => {
  assert.ok(kubectlPath(), 'kubectl is not on PATH: the lesson tests drive the real kubectl, so install kubectl 1.32 first');
  stateDir = mkdtempSync(join(tmpdir(), 'ksl-lesson-'));
  emulator = await startEmulator({ stateDir, podReadyDelayMs: 300, podTerminationDelayMs: 200, log: () => undefined });
  kubectl = new Kubectl(emulator.kubeconfigPath!);
});

after(async () => {
  await emulator?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

test('kubectl version talks to a 1.32 server', async () => {
  const out = await kubectl.ok('version');
  assert.match(out, /Server Version: v1\.32\./);
});

test('kubectl apply -f examples/ creates every object', async () => {
  const out = await kubectl.ok('apply', '-f', 'examples/');
  for (const line of [
    'deployment.apps/web created',
    'service/web created',
    'service/web-nodeport created',
    'service/web-headless created',
    'deployment.apps/shop created',
    'service/shop created',
  ]) {
    assert.ok(out.includes(line), `expected "${line}" in:\n${out}`);
  }
  await kubectl.ok('rollout', 'status', 'deployment/web', '--timeout=30s');
});

test('kubectl get svc web shows a ClusterIP from 10.96.0.0/12 and 80/TCP', async () => {
  const out = await kubectl.ok('get', 'svc', 'web');
  const [header, row] = out.trimEnd().split('\n');
  assert.match(header, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
  assert.match(row, /^web\s+ClusterIP\s+10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s$/);
  const np = await kubectl.ok('get', 'svc', 'web-nodeport');
  assert.match(np, /web-nodeport\s+NodePort\s+10\.\S+\s+<none>\s+80:30080\/TCP/);
});

test('kubectl get endpoints web lists the three pod IPs on port 80', async () => {
  await untilStore(emulator.store, () => readyIPs(emulator.store, 'web').length === 3, 'three ready endpoints', 10_000);
  const out = await kubectl.ok('get', 'endpoints', 'web');
  const row = out.trimEnd().split('\n')[1];
  const ips = readyIPs(emulator.store, 'web');
  assert.match(row, /^web\s+\S+\s+\d+s$/);
  for (const ip of ips) assert.ok(row.includes(`${ip}:80`), `${ip}:80 missing from ${row}`);
  for (const ip of ips) assert.match(ip, /^10\.244\.0\.\d+$/);
});

test('kubectl describe svc web shows the selector and the endpoints', async () => {
  const out = await kubectl.ok('describe', 'svc', 'web');
  assert.match(out, /^Selector:\s+app=web$/m);
  const line = out.split('\n').find((l) => l.startsWith('Endpoints:'));
  assert.ok(line, out);
  const shown = line.replace(/^Endpoints:\s+/, '').split(',').sort();
  assert.deepEqual(shown, readyIPs(emulator.store, 'web').map((ip) => `${ip}:80`).sort());
});

test('kubectl get pods -o wide shows running pods with IPs on node ksl', async () => {
  const out = await kubectl.ok('get', 'pods', '-o', 'wide', '-l', 'app=web');
  const lines = out.trimEnd().split('\n');
  assert.match(lines[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
  assert.equal(lines.length, 4);
  for (const l of lines.slice(1)) assert.match(l, /^web-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}\s+1\/1\s+Running\s+0\s+\d+s\s+10\.244\.0\.\d+\s+ksl\s+<none>\s+<none>$/);
});

test('deleting a pod brings a replacement whose IP shows in the endpoints within two seconds', async () => {
  const before = readyIPs(emulator.store, 'web');
  const victim = (await kubectl.ok('get', 'pods', '-l', 'app=web', '-o', 'name')).trim().split('\n')[0];
  const started = Date.now();
  const del = kubectl.ok('delete', victim);
  await untilStore(
    emulator.store,
    () => {
      const now = readyIPs(emulator.store, 'web');
      return now.length === 3 && now.some((ip) => !before.includes(ip));
    },
    'the replacement pod in the endpoints',
    2000,
  );
  const elapsed = Date.now() - started;
  assert.match(await del, /pod "web-\S+" deleted/);
  const out = await kubectl.ok('get', 'endpoints', 'web');
  const fresh = readyIPs(emulator.store, 'web').find((ip) => !before.includes(ip))!;
  assert.ok(out.includes(`${fresh}:80`), out);
  assert.ok(elapsed < 2000, `took ${elapsed} ms`);
});

test('kubectl scale deployment web --replicas=5 gives five endpoints', async () => {
  assert.match(await kubectl.ok('scale', 'deployment', 'web', '--replicas=5'), /deployment\.apps\/web scaled/);
  await untilStore(emulator.store, () => readyIPs(emulator.store, 'web').length === 5, 'five ready endpoints', 10_000);
  const out = await kubectl.ok('get', 'endpoints', 'web');
  assert.match(out, /\+ 2 more\.\.\./);
  assert.match(await kubectl.ok('get', 'deployment', 'web'), /web\s+5\/5\s+5\s+5\s+/);
});

test('a second kubectl apply of the same files changes nothing', async () => {
  await kubectl.ok('scale', 'deployment', 'web', '--replicas=3');
  const out = await kubectl.ok('apply', '-f', 'examples/');
  const lines = out.trim().split('\n');
  assert.ok(lines.length >= 6);
  for (const l of lines) assert.match(l, / unchanged$/, out);
});

test('an invalid Service is refused with the apiserver message kubectl prints for a real cluster', async () => {
  const file = join(stateDir, 'bad.yaml');
  writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  selector:\n    app: bad\n');
  const r = await kubectl.run('apply', '-f', file);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), 'The Service "bad" is invalid: spec.ports: Required value');
  const typo = join(stateDir, 'typo.yaml');
  writeFileSync(typo, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: typo\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    tragetPort: 8080\n');
  const t = await kubectl.run('apply', '-f', typo);
  assert.equal(t.code, 1);
  assert.match(t.stderr, /strict decoding error: unknown field "spec\.ports\[0\]\.tragetPort"/);
});
