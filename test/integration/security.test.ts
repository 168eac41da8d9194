// The emulator as a user runs it (`ksl serve`, a child process), checked for what keeps it
// private to that user: every listener it opens (API, DNS over UDP and TCP, NodePorts, the
// LoadBalancer tunnel, `ksl port-forward`) is on loopback; every API path wants the token from
// the kubeconfig, and kubectl still works with it; no response carries CORS headers and a
// request from a web page (one with an Origin header) is refused; DNS forwards nothing by
// default; the state directory is 0700 and every file in it 0600, loosened ones included; and
// a reset (deleting the state directory, as ksl.resetEmulator does) makes a new token that
// replaces the old one.
//
// Listeners are read from /proc (Linux), so that part is skipped elsewhere.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { parse as parseYaml } from 'yaml';
import { apiRequest, jsonOf, type ApiTarget, type RawResponse, type RequestOptions } from './apiRequests';
import { CLI } from './ksl';
import { Kubectl, kubectlPath } from './kubectl';

const STARTED_LINE = 'serving the Kubernetes API at';
const DEADLINE_MS = 30_000;
const onLinux = process.platform === 'linux';

interface Serve {
  proc: ChildProcessWithoutNullStreams;
  target: ApiTarget;
  dnsPort: number;
  exited: Promise<void>;
}

let root: string;
let stateDir: string;
let serve: Serve;
let lbPort: number;
const children: ChildProcessWithoutNullStreams[] = [];
/** Every response the test saw, to check that none carried a CORS header. */
const responses: { what: string; res: RawResponse }[] = [];

/** Resolves when `check` holds, re-checking every `everyMs`; fails with `what` at the deadline. */
async function until(check: () => boolean | Promise<boolean>, what: string, everyMs = 50): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

function waitForLine(proc: ChildProcessWithoutNullStreams, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what}: no line matching ${pattern} within ${DEADLINE_MS} ms:\n${seen}`)), DEADLINE_MS);
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      seen += chunk;
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what}: exited (${code}) first:\n${seen}`));
    });
  });
}

function ksl(...args: string[]): ChildProcessWithoutNullStreams {
  const proc = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  proc.stderr.resume();
  children.push(proc);
  return proc;
}

async function startServe(): Promise<Serve> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" (npm test builds it first)`);
  const proc = ksl('serve', '--state-dir', stateDir, '--dns-port', '0', '--pod-ready-delay', '0', '--tunnel');
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await waitForLine(proc, new RegExp(STARTED_LINE), 'ksl serve');
  const endpoints = JSON.parse(readFileSync(join(stateDir, 'endpoints.json'), 'utf8')) as { api: string; dns: string };
  return {
    proc,
    exited,
    dnsPort: Number(endpoints.dns.slice(endpoints.dns.lastIndexOf(':') + 1)),
    target: {
      url: endpoints.api,
      token: readFileSync(join(stateDir, 'token'), 'utf8').trim(),
      caPem: readFileSync(join(stateDir, 'tls.crt'), 'utf8'),
    },
  };
}

async function stopServe(s: Serve): Promise<void> {
  s.proc.kill('SIGTERM');
  await s.exited;
}

async function call(what: string, method: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
  const res = await apiRequest(serve.target, method, path, opts);
  responses.push({ what, res });
  return res;
}

/** A free TCP port on loopback, for the LoadBalancer the tunnel opens. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

// ---- /proc ---------------------------------------------------------------------------------

interface Listener {
  proto: string;
  address: string;
  port: number;
}

function hexToIPv4(hex: string): string {
  const n = Number.parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
}

function hexToIPv6(hex: string): string {
  // Four 32-bit words, each in host (little-endian) order.
  const bytes: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(word.slice(b * 2, b * 2 + 2));
  }
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(Number.parseInt(bytes[i] + bytes[i + 1], 16).toString(16));
  const text = groups.join(':');
  if (text === '0:0:0:0:0:0:0:1') return '::1';
  if (text === '0:0:0:0:0:0:0:0') return '::';
  const mapped = /^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(text);
  if (mapped) return `::ffff:${hexToIPv4((Number.parseInt(mapped[2], 16) * 65536 + Number.parseInt(mapped[1], 16)).toString(16).padStart(8, '0'))}`;
  return text;
}

/** The TCP sockets a process listens on and the UDP sockets it has bound. */
function listenersOf(pid: number): Listener[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // The descriptor closed while the directory was read.
    }
  }
  const found: Listener[] = [];
  for (const proto of ['tcp', 'tcp6', 'udp', 'udp6']) {
    for (const line of readFileSync(`/proc/net/${proto}`, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !inodes.has(f[9])) continue;
      const listening = proto.startsWith('tcp') ? f[3] === '0A' : f[3] === '07';
      if (!listening) continue;
      const [addr, port] = f[1].split(':');
      found.push({ proto, address: proto.endsWith('6') ? hexToIPv6(addr) : hexToIPv4(addr), port: Number.parseInt(port, 16) });
    }
  }
  return found;
}

const isLoopback = (l: Listener): boolean => l.address === '::1' || l.address.startsWith('127.') || l.address.startsWith('::ffff:127.');

// ---- Setup ---------------------------------------------------------------------------------

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'ksl-security-'));
  stateDir = join(root, 'state');
  serve = await startServe();
  lbPort = await freePort();
  const post = async (path: string, body: unknown): Promise<void> => {
    const res = await call(`create ${path}`, 'POST', path, { body: JSON.stringify(body) });
    assert.equal(res.code, 201, res.text);
  };
  await post('/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
    },
  });
  await post('/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] },
  });
  await post('/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web-lb' },
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: lbPort, targetPort: 80 }] },
  });
  await until(async () => {
    const pods = jsonOf<{ items: { status?: { phase?: string } }[] }>(await apiRequest(serve.target, 'GET', '/api/v1/namespaces/default/pods'));
    return pods.items.some((p) => p.status?.phase === 'Running');
  }, 'a running web pod');
});

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (root) rmSync(root, { recursive: true, force: true });
});

// ---- Tests ---------------------------------------------------------------------------------

test('every listener of ksl serve (API, DNS over UDP and TCP, NodePort, tunnel) and of ksl port-forward is on loopback', { skip: !onLinux && 'reads /proc' }, async (t) => {
  const svc = jsonOf<{ spec: { ports: { nodePort: number }[] } }>(await call('get web', 'GET', '/api/v1/namespaces/default/services/web'));
  const nodePort = svc.spec.ports[0].nodePort;
  const apiPort = Number(new URL(serve.target.url).port);
  const pid = serve.proc.pid ?? 0;
  const has = (ls: Listener[], proto: string, port: number): boolean => ls.some((l) => l.proto.startsWith(proto) && l.port === port);
  await until(() => {
    const ls = listenersOf(pid);
    return has(ls, 'tcp', nodePort) && has(ls, 'tcp', lbPort);
  }, 'the NodePort and LoadBalancer listeners');
  const served = listenersOf(pid);
  assert.ok(has(served, 'tcp', apiPort), 'the API listens');
  assert.ok(has(served, 'udp', serve.dnsPort) && has(served, 'tcp', serve.dnsPort), 'DNS listens on UDP and TCP');
  assert.deepEqual(served.filter((l) => !isLoopback(l)), [], 'ksl serve listens on loopback only');

  const forward = ksl('port-forward', '--state-dir', stateDir, 'svc/web', ':80');
  const m = await waitForLine(forward, /Forwarding from (\S+):(\d+) -> 80/, 'ksl port-forward');
  assert.equal(m[1], '127.0.0.1');
  const forwarded = listenersOf(forward.pid ?? 0);
  assert.ok(has(forwarded, 'tcp', Number(m[2])));
  assert.deepEqual(forwarded.filter((l) => !isLoopback(l)), [], 'ksl port-forward listens on loopback only');
  forward.kill('SIGTERM');
  t.diagnostic(`listeners: ${served.map((l) => `${l.proto} ${l.address}:${l.port}`).join(', ')}; port-forward tcp 127.0.0.1:${m[2]}`);
});

const PATHS = ['/version', '/healthz', '/livez', '/readyz', '/api', '/apis', '/api/v1', '/openapi/v3', '/api/v1/services', '/api/v1/namespaces/default/pods', '/ksl/v1/rules'];

test('every path, /version and /healthz included, wants the token: none or a wrong one is 401, the right one works', async () => {
  for (const path of PATHS) {
    const none = await call(`${path} without a token`, 'GET', path, { token: null });
    assert.equal(none.code, 401, `${path} without a token: ${none.text}`);
    assert.deepEqual(jsonOf(none), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    const wrong = await call(`${path} with a wrong token`, 'GET', path, { token: 'x'.repeat(48) });
    assert.equal(wrong.code, 401, `${path} with a wrong token`);
    const right = await call(`${path} with the token`, 'GET', path);
    assert.equal(right.code, 200, `${path} with the token: ${right.text.slice(0, 200)}`);
  }
  const write = await call('create without a token', 'POST', '/api/v1/namespaces/default/services', { token: null, body: '{"metadata":{"name":"sneaky"}}' });
  assert.equal(write.code, 401);
});

test('kubectl works with the kubeconfig ksl serve wrote, and the kubeconfig is readable by its owner only', { skip: !kubectlPath() && 'kubectl is not installed' }, async () => {
  const kubeconfig = join(stateDir, 'kubeconfig');
  const config = parseYaml(readFileSync(kubeconfig, 'utf8')) as { users: { user: { token: string } }[] };
  assert.equal(config.users[0].user.token, serve.target.token);
  const kubectl = new Kubectl(kubeconfig);
  assert.match(await kubectl.ok('version', '-o', 'json'), /"gitVersion": "v1\.32\./);
  assert.match(await kubectl.ok('get', 'svc', 'web'), /^NAME\s+TYPE\s+CLUSTER-IP/);
});

test('no response carries CORS headers; a preflight is refused, and so is any request from a web page, token or not', async () => {
  const page = { Origin: 'https://example.com' };
  const preflight = await rawWithHeaders('OPTIONS', '/api/v1/namespaces/default/services', {
    ...page,
    'Access-Control-Request-Method': 'POST',
    'Access-Control-Request-Headers': 'authorization, content-type',
  });
  assert.equal(preflight.code, 403);
  const fromPage = await rawWithHeaders('GET', '/api/v1/namespaces/default/services', { ...page, Authorization: `Bearer ${serve.target.token}` });
  assert.equal(fromPage.code, 403);
  assert.match(jsonOf<{ message: string }>(fromPage).message, /^requests from web pages \(with an Origin header\) are refused/);
  const simple = await rawWithHeaders('POST', '/api/v1/namespaces/default/services', { ...page, 'Content-Type': 'text/plain' }, '{"metadata":{"name":"x"}}');
  assert.equal(simple.code, 403);
  const rebound = await rawWithHeaders('GET', '/version', { Origin: 'http://127.0.0.1:8080', Authorization: `Bearer ${serve.target.token}` });
  assert.equal(rebound.code, 403, 'a page served from loopback is a web page too');

  const withCors = responses.filter(({ res }) => Object.keys(res.headers).some((h) => h.startsWith('access-control-')));
  assert.deepEqual(withCors.map((r) => r.what), [], 'no response names an allowed origin, method or header');
  assert.ok(responses.length > 30, `${responses.length} responses were checked`);
});

/** A request with headers of the test's choosing (apiRequest sets its own). */
async function rawWithHeaders(method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  const res = await new Promise<RawResponse>((resolve, reject) => {
    const req = request(serve.target.url + path, { method, ca: serve.target.caPem, headers }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => resolve({ code: r.statusCode ?? 0, headers: r.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(DEADLINE_MS, () => req.destroy(new Error(`${method} ${path}: no answer`)));
    req.on('error', reject);
    req.end(body);
  });
  responses.push({ what: `${method} ${path} with ${Object.keys(headers).join(', ')}`, res });
  return res;
}

test('cluster DNS answers a name outside the cluster with REFUSED: nothing is forwarded by default', async () => {
  const socket = createSocket('udp4');
  try {
    const answer = await new Promise<dnsPacket.DecodedPacket>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no DNS answer')), DEADLINE_MS);
      socket.once('message', (msg) => {
        clearTimeout(timer);
        resolve(dnsPacket.decode(msg));
      });
      socket.send(dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'example.com' }] }), serve.dnsPort, '127.0.0.1');
    });
    // The low four bits of the flags are the RCODE; 5 is REFUSED.
    assert.equal((answer.flags ?? 0) & 0xf, 5);
    assert.deepEqual(answer.answers, []);
  } finally {
    socket.close();
  }
});

function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
}

function modesIn(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, modeOf(join(dir, name))]));
}

test('the state directory is 0700 and every file in it 0600', { skip: process.platform === 'win32' && 'POSIX modes' }, () => {
  assert.equal(modeOf(stateDir), '0700');
  const files = modesIn(stateDir);
  for (const name of ['token', 'tls.key', 'tls.crt', 'kubeconfig', 'endpoints.json', 'wal.log', 'lock']) assert.ok(name in files, `${name} exists`);
  assert.deepEqual(Object.entries(files).filter(([, mode]) => mode !== '0600'), [], 'every file is readable by its owner only');
});

test('a reset makes a new token: the old one is refused, kubeconfig and files carry the new one, loosened modes are tightened', { skip: process.platform === 'win32' && 'POSIX modes' }, async () => {
  const oldTarget = serve.target;
  await stopServe(serve);
  // What ksl.resetEmulator does: stop, then delete the state directory. The user then makes
  // the directory themselves, with their umask's loose mode.
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { mode: 0o755 });
  chmodSync(stateDir, 0o755);
  serve = await startServe();

  assert.notEqual(serve.target.token, oldTarget.token, 'a new token');
  const old = await apiRequest({ ...serve.target, token: oldTarget.token }, 'GET', '/version');
  assert.equal(old.code, 401, 'the old token is refused');
  assert.equal((await call('version with the new token', 'GET', '/version')).code, 200);
  const config = parseYaml(readFileSync(join(stateDir, 'kubeconfig'), 'utf8')) as { users: { user: { token: string } }[] };
  assert.equal(config.users[0].user.token, serve.target.token);
  assert.equal(modeOf(stateDir), '0700', 'the directory was tightened');

  // A restart without a reset keeps the token, and tightens a token file someone loosened.
  await stopServe(serve);
  chmodSync(join(stateDir, 'token'), 0o644);
  chmodSync(join(stateDir, 'kubeconfig'), 0o644);
  writeFileSync(join(stateDir, 'kubeconfig'), 'stale');
  const before = serve.target.token;
  serve = await startServe();
  assert.equal(serve.target.token, before, 'a restart keeps the token');
  assert.deepEqual(Object.entries(modesIn(stateDir)).filter(([, mode]) => mode !== '0600'), []);
  await stopServe(serve);
});
