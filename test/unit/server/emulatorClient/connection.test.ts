// Finding a running emulator through its state dir: what endpoints.json, the token and the
// certificate must hold, the message for each thing that is missing, and an API that does not
// answer.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorClientError } from '../../../../server/src/emulatorClient/clientError';
import { apiGet, loadConnection } from '../../../../server/src/emulatorClient/connection';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function stateDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ksl-client-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const credentials = { token: 'abc\n', 'tls.crt': '-----BEGIN CERTIFICATE-----\n' };

test('a complete state dir gives the API, the DNS address, the domain and the credentials', () => {
  const dir = stateDir({ ...credentials, 'endpoints.json': JSON.stringify({ api: 'https://127.0.0.1:6443', dns: '127.0.0.1:5353', clusterDomain: 'lab.internal' }) });
  const conn = loadConnection(dir);
  assert.equal(conn.api.origin, 'https://127.0.0.1:6443');
  assert.deepEqual(conn.dns, { host: '127.0.0.1', port: 5353 });
  assert.equal(conn.clusterDomain, 'lab.internal');
  assert.equal(conn.token, 'abc');
});

test('a file from before the cluster domain setting means cluster.local', () => {
  const dir = stateDir({ ...credentials, 'endpoints.json': JSON.stringify({ api: 'https://127.0.0.1:6443', dns: '127.0.0.1:5353' }) });
  assert.equal(loadConnection(dir).clusterDomain, 'cluster.local');
});

test('each missing piece says what is wrong and how to start an emulator', () => {
  const cases: [Record<string, string>, string][] = [
    [{}, 'endpoints.json is missing'],
    [{ 'endpoints.json': '{' }, 'endpoints.json is not valid JSON'],
    [{ 'endpoints.json': JSON.stringify({ api: 'https://127.0.0.1:6443' }) }, 'endpoints.json lacks "api" or "dns"'],
    [{ 'endpoints.json': JSON.stringify({ api: 'https://127.0.0.1:6443', dns: '127.0.0.1:5353' }), token: 'abc' }, 'the token or the certificate is missing'],
  ];
  for (const [files, detail] of cases) {
    const dir = stateDir(files);
    assert.throws(() => loadConnection(dir), (err: unknown) => {
      assert.ok(err instanceof EmulatorClientError);
      assert.equal(err.message, `no emulator is running for state dir ${dir} (${detail}). Start one with: ksl serve --state-dir ${dir}`);
      return true;
    });
  }
});

test('an API port where nothing listens means the emulator is not running', async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const dir = stateDir({ ...credentials, 'endpoints.json': JSON.stringify({ api: `https://127.0.0.1:${port}`, dns: '127.0.0.1:5353' }) });
  await assert.rejects(apiGet(loadConnection(dir), '/version'), {
    message: `no emulator is running for state dir ${dir} (nothing answers at https://127.0.0.1:${port}). Start one with: ksl serve --state-dir ${dir}`,
  });
});
