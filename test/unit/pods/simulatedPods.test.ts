// What a connection to a simulated pod gets: the image's real answers, the X-Ksl-Pod header,
// and refusals where a real pod's kernel would refuse.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, describe, it } from 'node:test';
import type { Duplex } from 'node:stream';
import type { Container, Pod } from '../../../emulator/src/api/types';
import { containerBehaviour, goFlag, imageName } from '../../../emulator/src/pods/containerImages';
import { SimulatedPods } from '../../../emulator/src/pods/simulatedPods';
import { Store } from '../../../emulator/src/store/store';

function pod(name: string, ip: string, containers: Container[], phase = 'Running'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { containers },
    status: { phase, podIP: ip, podIPs: [{ ip }] },
  };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(stream: Duplex, path = '/', method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: 'pod', path, method, createConnection: () => stream as never }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('container images', () => {
  it('reads the image name without registry, tag or digest', () => {
    assert.equal(imageName('nginx:1.27'), 'nginx');
    assert.equal(imageName('docker.io/library/nginx@sha256:abc'), 'nginx');
    assert.equal(imageName('registry.local:5000/hashicorp/http-echo:1.0'), 'http-echo');
    assert.equal(imageName(undefined), '');
  });

  it('reads Go-style flags in all their spellings', () => {
    assert.equal(goFlag(['-text=hi there'], 'text'), 'hi there');
    assert.equal(goFlag(['--text', 'hi'], 'text'), 'hi');
    assert.equal(goFlag(['-listen=:8080'], 'text'), undefined);
  });

  it('knows where nginx and http-echo listen', () => {
    assert.deepEqual(containerBehaviour({ name: 'n', image: 'nginx:1.27.1' }).listenPorts, [80]);
    assert.equal(containerBehaviour({ name: 'n', image: 'nginx:1.27.1' }).version, '1.27.1');
    const echo = containerBehaviour({ name: 'e', image: 'hashicorp/http-echo', args: ['-text=hello', '-listen=:8080'] });
    assert.deepEqual([echo.kind, echo.listenPorts, echo.text], ['http-echo', [8080], 'hello']);
    assert.deepEqual(containerBehaviour({ name: 'e', image: 'hashicorp/http-echo', args: ['-text=x'] }).listenPorts, [5678]);
  });
});

describe('SimulatedPods', () => {
  const store = new Store();
  store.create('pods', pod('web-1', '10.244.0.5', [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }]));
  store.create('pods', pod('echo-1', '10.244.0.6', [{ name: 'echo', image: 'hashicorp/http-echo:1.0', args: ['-text=hello from shop', '-listen=:5678'], ports: [{ containerPort: 5678, name: 'http' }] }]));
  store.create('pods', pod('app-1', '10.244.0.7', [{ name: 'app', image: 'example/app:2', ports: [{ containerPort: 8080 }] }]));
  store.create('pods', pod('wrong-1', '10.244.0.8', [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 8080 }] }]));
  store.create('pods', pod('new-1', '10.244.0.9', [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }], 'Pending'));
  const pods = new SimulatedPods(store);
  after(() => pods.close());

  function open(ip: string, port: number): Duplex {
    const r = pods.connect(ip, port, '10.244.0.1');
    assert.ok(r.ok, r.ok ? '' : r.message);
    return r.stream;
  }

  it('nginx answers with its welcome page and names the pod', async () => {
    const a = await get(open('10.244.0.5', 80));
    assert.equal(a.status, 200);
    assert.match(a.body, /<title>Welcome to nginx!<\/title>/);
    assert.equal(a.headers['x-ksl-pod'], 'web-1');
    assert.match(String(a.headers.server), /^nginx\//);
    assert.equal(Buffer.byteLength(a.body), 615);
  });

  it('nginx gives its 404 page for other paths, and HEAD has no body', async () => {
    const missing = await get(open('10.244.0.5', 80), '/nope');
    assert.equal(missing.status, 404);
    assert.match(missing.body, /<title>404 Not Found<\/title>/);
    const head = await get(open('10.244.0.5', 80), '/', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  });

  it('http-echo answers with its -text', async () => {
    const a = await get(open('10.244.0.6', 5678));
    assert.equal(a.body, 'hello from shop\n');
    assert.equal(a.headers['x-ksl-pod'], 'echo-1');
  });

  it('any other image answers with a page naming the pod, its IP and the port', async () => {
    const a = await get(open('10.244.0.7', 8080), '/x');
    assert.match(a.body, /default\/app-1/);
    assert.match(a.body, /10\.244\.0\.7/);
    assert.match(a.body, /port 8080/);
  });

  it('refuses ports no container declares, and declared ports nothing listens on', () => {
    const undeclared = pods.connect('10.244.0.5', 81, '10.244.0.1');
    assert.equal(undeclared.ok, false);
    assert.equal(!undeclared.ok && undeclared.reason, 'refused');
    const notListening = pods.connect('10.244.0.8', 8080, '10.244.0.1');
    assert.equal(!notListening.ok && notListening.reason, 'refused');
    assert.match(!notListening.ok ? notListening.message : '', /nginx listens on 80/);
  });

  it('a pod that is not running or does not exist does not answer', () => {
    const pending = pods.connect('10.244.0.9', 80, '10.244.0.1');
    assert.equal(!pending.ok && pending.reason, 'not-running');
    const nobody = pods.connect('10.244.0.99', 80, '10.244.0.1');
    assert.equal(!nobody.ok && nobody.reason, 'no-pod');
  });

  it('follows pods as they change IP or go away', () => {
    store.delete('pods', 'default', 'web-1');
    assert.equal(pods.podByIP('10.244.0.5'), undefined);
    store.create('pods', pod('web-2', '10.244.0.10', [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }]));
    assert.equal(pods.podByIP('10.244.0.10')?.metadata.name, 'web-2');
  });
});
