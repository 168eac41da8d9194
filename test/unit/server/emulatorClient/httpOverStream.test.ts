// One HTTP exchange over a stream that is already open, against a local HTTP server: what goes
// out (method, path, Host, body), what comes back (status, headers as sent, body, cut at
// maxBody), and a reply that never comes.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { httpOverStream, ReplyTimeoutError } from '../../../../server/src/emulatorClient/httpOverStream';

const servers: (Server | HttpServer)[] = [];
after(() => {
  for (const s of servers) s.close();
});

function listening<S extends Server | HttpServer>(server: S): Promise<S> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function openStream(server: Server | HttpServer): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Answers every request with what it received, as JSON, and a header named like the pod. */
const echo = (): Promise<HttpServer> =>
  listening(
    createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.setHeader('X-Ksl-Pod', 'web-1');
        res.end(JSON.stringify({ method: req.method, url: req.url, host: req.headers.host, body }));
      });
    }),
  );

test('the request goes out over the stream and the whole reply comes back', async () => {
  const server = await echo();
  const socket = await openStream(server);
  const reply = await httpOverStream(socket, { url: new URL('http://web.default:8080/a?b=1'), method: 'POST', headers: { 'User-Agent': 'curl/8.5.0' }, body: 'x=1', timeoutMs: 5000 });
  assert.equal(reply.status, 200);
  assert.equal(reply.statusText, 'OK');
  assert.equal(reply.httpVersion, '1.1');
  assert.deepEqual(JSON.parse(reply.body.toString()), { method: 'POST', url: '/a?b=1', host: 'web.default:8080', body: 'x=1' });
  assert.equal(reply.rawHeaders[reply.rawHeaders.indexOf('X-Ksl-Pod') + 1], 'web-1', 'header names keep their case');
  assert.equal(socket.destroyed, true, 'the stream is closed after the reply');
});

test('a body longer than maxBody is cut off', async () => {
  const server = await listening(createHttpServer((_req, res) => res.end('0123456789')));
  const reply = await httpOverStream(await openStream(server), { url: new URL('http://web/'), method: 'GET', headers: {}, timeoutMs: 5000, maxBody: 4 });
  assert.equal(reply.body.toString(), '0123');
});

test('a reply that does not come fails with ReplyTimeoutError', async () => {
  const held: Socket[] = [];
  const server = await listening(createServer((s) => held.push(s)));
  await assert.rejects(httpOverStream(await openStream(server), { url: new URL('http://web/'), method: 'GET', headers: {}, timeoutMs: 50 }), (err: unknown) => {
    assert.ok(err instanceof ReplyTimeoutError);
    assert.equal(err.timeoutMs, 50);
    assert.equal(err.message, 'no reply after 50 ms');
    return true;
  });
  for (const s of held) s.destroy();
});
