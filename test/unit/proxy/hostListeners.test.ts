// The host's NodePort and tunnel listeners follow each Service as it changes: a NodePort
// listens while the rules accept connections and stops while they reject them, a tunnel port
// goes to the oldest LoadBalancer Service that wants it, and nothing is re-listed per event.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import { R } from '../../../emulator/src/api/resources';
import type { KubeObject, Service } from '../../../emulator/src/api/types';
import { SimulatedPods } from '../../../emulator/src/pods/simulatedPods';
import { DataPlane } from '../../../emulator/src/proxy/dataPlane';
import { HostListeners, type ServiceSource } from '../../../emulator/src/proxy/hostListeners';
import { Store, type StoreEvent } from '../../../emulator/src/store/store';

/** A port nothing listens on right now, for a NodePort the test can really open. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Whether something listens on 127.0.0.1:port: "connection refused" says nothing does. The
 * test's data plane resets every connection it is handed, which a client may see as a reset
 * before it sees the connection established.
 */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'ECONNREFUSED'));
  });
}

/** Lets the refresh that HostListeners defers to the next turn of the event loop run. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Waits, a bounded number of event-loop turns, until the port's listener reaches the state. */
async function untilState(listeners: HostListeners, port: number, state: string): Promise<void> {
  for (let turn = 0; turn < 1000; turn++) {
    if (listeners.ports().some((p) => p.port === port && p.state === state)) return;
    await nextTurn();
  }
  throw new Error(`port ${port} never became ${state}: ${JSON.stringify(listeners.ports())}`);
}

function nodePortService(name: string, nodePort: number): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', creationTimestamp: '2026-11-26T08:00:00Z' },
    spec: { type: 'NodePort', clusterIP: '10.96.0.30', ports: [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort }] },
  };
}

function loadBalancer(name: string, port: number, created: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', creationTimestamp: created },
    spec: { type: 'LoadBalancer', clusterIP: '10.96.0.31', ports: [{ port, protocol: 'TCP', targetPort: 80 }] },
  };
}

function setUp(store: Store, refuses: (port: number) => boolean, extra: { tunnel?: boolean; onTunnelChange?: (key: string) => void; source?: ServiceSource } = {}) {
  const pods = new SimulatedPods(store);
  const dataPlane = new DataPlane({ router: { route: () => ({ kind: 'reject', reason: 'no endpoints', trace: [] }) }, pods, nodeIPs: ['127.0.0.1'] });
  const listeners = new HostListeners({ source: extra.source ?? store, dataPlane, host: '127.0.0.1', refuses, tunnel: extra.tunnel, onTunnelChange: extra.onTunnelChange });
  return {
    listeners,
    close: async () => {
      await listeners.close();
      pods.close();
    },
  };
}

test('a NodePort stops listening while the rules reject it and opens when they accept, then closes with its Service', async () => {
  const port = await freePort();
  const store = new Store();
  store.create(R.services, nodePortService('web', port));
  let refusing = true;
  const { listeners, close } = setUp(store, () => refusing);
  try {
    assert.deepEqual(listeners.ports(), [{ port, purpose: 'nodePort', serviceKey: 'default/web', state: 'paused' }]);
    assert.equal(await listening(port), false, 'a paused NodePort refuses like the REJECT rule');

    refusing = false;
    listeners.refresh();
    await untilState(listeners, port, 'open');
    assert.equal(await listening(port), true);

    // Refreshing only the Services whose rules changed, as kube-proxy reports them.
    refusing = true;
    listeners.refresh(['default/other']);
    await nextTurn();
    assert.equal(listeners.ports()[0]?.state, 'open', 'another Service changing leaves this port alone');
    listeners.refresh(['default/web']);
    await nextTurn();
    assert.equal(listeners.ports()[0]?.state, 'paused');

    store.delete(R.services, 'default', 'web');
    assert.deepEqual(listeners.ports(), []);
    assert.equal(await listening(port), false);
  } finally {
    await close();
  }
});

test('a tunnel port goes to the oldest LoadBalancer that wants it, and to the next when that one goes', async () => {
  const port = await freePort();
  const store = new Store();
  const changes: string[] = [];
  store.create(R.services, loadBalancer('older', port, '2026-11-26T08:00:00Z'));
  store.create(R.services, loadBalancer('newer', port, '2026-11-26T09:00:00Z'));
  const { listeners, close } = setUp(store, () => false, { tunnel: true, onTunnelChange: (key) => changes.push(key) });
  try {
    assert.deepEqual(
      listeners.ports().map((p) => [p.purpose, p.serviceKey]),
      [['tunnel', 'default/older']],
    );
    assert.deepEqual(listeners.tunnelState('default/newer'), {
      state: 'failed',
      message: `port ${port} on 127.0.0.1 is already used by the tunnel for Service default/older`,
    });
    await untilState(listeners, port, 'open');
    assert.equal(await listening(port), true);

    store.delete(R.services, 'default', 'older');
    assert.deepEqual(
      listeners.ports().map((p) => [p.purpose, p.serviceKey]),
      [['tunnel', 'default/newer']],
    );
    assert.notEqual(listeners.tunnelState('default/newer')?.state, 'failed');
    assert.ok(changes.includes('default/older'), 'the Service that lost its tunnel hears of it');

    listeners.setTunnel(false);
    assert.deepEqual(listeners.ports(), []);
    assert.equal(listeners.tunnelState('default/newer'), undefined);
  } finally {
    await close();
  }
});

test('Service events are taken one by one: the store is listed once, at start', async () => {
  const store = new Store();
  const lists: string[] = [];
  const source: ServiceSource = {
    list(resource: string, namespace?: string): KubeObject[] {
      lists.push(resource);
      return store.list(resource, namespace);
    },
    subscribe: (listener: (e: StoreEvent) => void) => store.subscribe(listener),
  };
  const port = await freePort();
  const { listeners, close } = setUp(store, () => false, { source });
  try {
    assert.deepEqual(lists, [R.services]);
    for (let i = 0; i < 50; i++) {
      store.create(R.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: `c${i}`, namespace: 'default' }, spec: { clusterIP: `10.96.1.${i}`, ports: [{ port: 80 }] } });
    }
    store.create(R.services, nodePortService('web', port));
    assert.deepEqual(lists, [R.services]);
    assert.deepEqual(
      listeners.ports().map((p) => [p.port, p.serviceKey]),
      [[port, 'default/web']],
    );
  } finally {
    await close();
  }
});
