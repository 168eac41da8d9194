// Dialling through the emulator's upgrade endpoint, against a fake upgrade: the request it
// sends, an open stream with its route, a refusal with its route, and the failures in between.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { EmulatorClientError } from '../../../../server/src/emulatorClient/clientError';
import { dial, encodeRoute, ROUTE_HEADER, type RouteSummary, type Upgraded } from '../../../../server/src/emulatorClient/dialClient';

const route: RouteSummary = { verdict: 'dnat', trace: ['nat/KUBE-SERVICES'], pod: { namespace: 'default', name: 'web-1' }, podIP: '10.244.0.5', podPort: 80 };

function upgradeAnswering(answer: Upgraded): { asked: [string, string][]; upgrade(path: string, protocol: string): Promise<Upgraded> } {
  const asked: [string, string][] = [];
  return {
    asked,
    upgrade: (path, protocol) => {
      asked.push([path, protocol]);
      return Promise.resolve(answer);
    },
  };
}

test('an upgraded dial gives the stream and its route, and asks for the source when given', async () => {
  const socket = new Socket();
  const fake = upgradeAnswering({ upgraded: true, socket, headers: { [ROUTE_HEADER]: encodeRoute(route) } });
  const dialed = await dial(fake.upgrade, '10.96.0.7', 80, '10.244.0.9');
  assert.deepEqual(dialed, { ok: true, socket, route });
  assert.deepEqual(fake.asked, [['/ksl/v1/dial?ip=10.96.0.7&port=80&source=10.244.0.9', 'ksl-tcp']]);
  socket.destroy();
});

test('a 502 with a route is a refused connection, not an error', async () => {
  const refused = { ...route, verdict: 'reject', error: 'refused', message: 'no endpoints' };
  const fake = upgradeAnswering({ upgraded: false, status: 502, body: '{}', headers: { [ROUTE_HEADER]: encodeRoute(refused) } });
  assert.deepEqual(await dial(fake.upgrade, '10.96.0.7', 80), { ok: false, route: refused });
  assert.deepEqual(fake.asked[0], ['/ksl/v1/dial?ip=10.96.0.7&port=80', 'ksl-tcp']);
});

test('a stream without a route is closed and reported', async () => {
  const socket = new Socket();
  const fake = upgradeAnswering({ upgraded: true, socket, headers: {} });
  await assert.rejects(dial(fake.upgrade, '10.96.0.7', 80), (err: unknown) => {
    assert.ok(err instanceof EmulatorClientError);
    assert.equal(err.message, 'the emulator opened the connection but did not say how it was routed');
    return true;
  });
  assert.equal(socket.destroyed, true);
});

test('any other refusal says what the emulator answered', async () => {
  const body = JSON.stringify({ kind: 'Status', message: 'dial: "ip" must be an IP address, not "web"' });
  const fake = upgradeAnswering({ upgraded: false, status: 400, body, headers: {} });
  await assert.rejects(dial(fake.upgrade, 'web', 80), {
    name: 'Error',
    message: 'the emulator could not open a connection to web:80: dial: "ip" must be an IP address, not "web"',
  });
});
