// One DNS-over-TCP connection, driven byte by byte through a fake socket on a fake clock:
// framing across chunks, deadlines that data trickled in does not move (slowloris), clients
// that stop reading, peers that close mid-message, answers that wait for an upstream.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as packet from 'dns-packet';
import { FakeClock } from '../../../emulator/src/clock';
import type { HandlerResult, QueryHandler } from '../../../emulator/src/dns/queryHandler';
import { serveTcpConnection, type TcpPeer } from '../../../emulator/src/dns/tcpConnection';

class FakePeer extends EventEmitter implements TcpPeer {
  destroyed = false;
  ended = false;
  paused = false;
  readonly remoteFamily = 'IPv4';
  readonly remoteAddress = '127.0.0.1';
  readonly written: Buffer[] = [];
  /** What write() returns: false makes the connection wait for 'drain'. */
  accepting = true;

  write(data: Buffer): boolean {
    this.written.push(data);
    return this.accepting;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  isPaused(): boolean {
    return this.paused;
  }
  setNoDelay(): void {}
  /** Bytes from the client. */
  send(bytes: Buffer | number[]): void {
    this.emit('data', Buffer.from(bytes));
  }
}

const READ_MS = 2000;
const IDLE_MS = 8000;

/** Answers each message with its own bytes, length-prefixed, so tests can tell answers apart. */
const echo: QueryHandler = (raw) => framed(raw);

function framed(message: Buffer): Buffer {
  const out = Buffer.alloc(message.length + 2);
  out.writeUInt16BE(message.length, 0);
  message.copy(out, 2);
  return out;
}

function connection(handle: QueryHandler = echo, maxPipeline = 32): { peer: FakePeer; clock: FakeClock } {
  const peer = new FakePeer();
  const clock = new FakeClock();
  serveTcpConnection(peer, { handle, clock, readTimeoutMs: READ_MS, idleTimeoutMs: IDLE_MS, maxPipeline });
  return { peer, clock };
}

const query = (id: number) =>
  packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ name: 'web.default.svc.cluster.local', type: 'A' }] });

test('messages split anywhere across chunks, or several in one chunk, are each answered once, in order', () => {
  const { peer } = connection();
  const stream = Buffer.concat([framed(query(1)), framed(query(2)), framed(query(3))]);
  for (let i = 0; i < stream.length; i += 3) peer.send(stream.subarray(i, i + 3));
  peer.send(Buffer.concat([framed(query(4)), framed(query(5))]));
  assert.deepEqual(
    peer.written.map((b) => b.readUInt16BE(2)),
    [1, 2, 3, 4, 5],
  );
});

test('a client that sends nothing is disconnected when the read timeout passes', () => {
  const { peer, clock } = connection();
  clock.advance(READ_MS - 1);
  assert.equal(peer.destroyed, false);
  clock.advance(1);
  assert.equal(peer.destroyed, true);
});

test('trickling a message in does not move its deadline (slowloris)', () => {
  const { peer, clock } = connection();
  const message = framed(query(7));
  for (let i = 0; i < 3; i++) {
    peer.send([message[i] as number]);
    clock.advance(READ_MS / 4);
  }
  assert.equal(peer.destroyed, false);
  peer.send([message[3] as number]);
  clock.advance(READ_MS / 4);
  assert.equal(peer.destroyed, true, 'a byte every quarter of the timeout does not keep the connection');
  assert.deepEqual(peer.written, []);
});

test('after an answer the next message has the idle timeout, counted from the answer', () => {
  const { peer, clock } = connection();
  clock.advance(READ_MS - 1);
  peer.send(framed(query(1)));
  assert.equal(peer.written.length, 1);
  clock.advance(IDLE_MS - 1);
  assert.equal(peer.destroyed, false);
  peer.send(framed(query(2)));
  clock.advance(IDLE_MS - 1);
  assert.equal(peer.destroyed, false);
  clock.advance(1);
  assert.equal(peer.destroyed, true);
});

test('a length prefix promising more than ever comes, then a close, ends the connection without an answer', () => {
  const { peer, clock } = connection();
  peer.send([0xff, 0xff, 1, 2, 3]);
  peer.emit('end');
  assert.equal(peer.ended, true);
  assert.deepEqual(peer.written, []);
  assert.equal(clock.pending, 0);
});

test('a peer that closes its side after its queries gets every answer, then the connection ends', () => {
  const { peer } = connection();
  peer.send(Buffer.concat([framed(query(1)), framed(query(2))]));
  peer.emit('end');
  assert.equal(peer.written.length, 2);
  assert.equal(peer.ended, true);
});

test('a client that stops reading its answers is paused, then disconnected at the idle timeout', () => {
  const { peer, clock } = connection();
  peer.accepting = false;
  peer.send(Buffer.concat([framed(query(1)), framed(query(2))]));
  assert.equal(peer.written.length, 1, 'nothing more is answered while the first answer waits');
  assert.equal(peer.paused, true);
  clock.advance(IDLE_MS);
  assert.equal(peer.destroyed, true);
});

test('a client that reads again is answered again', () => {
  const { peer } = connection();
  peer.accepting = false;
  peer.send(Buffer.concat([framed(query(1)), framed(query(2))]));
  peer.accepting = true;
  peer.emit('drain');
  assert.deepEqual(
    peer.written.map((b) => b.readUInt16BE(2)),
    [1, 2],
  );
  assert.equal(peer.paused, false);
});

test('answers that wait for an upstream run no deadline, and reading pauses at the pipeline limit', async () => {
  const waiting: (() => void)[] = [];
  const slow: QueryHandler = (raw) => new Promise<HandlerResult>((resolve) => waiting.push(() => resolve(framed(raw))));
  /** Lets the connection see the answers just released. */
  const settled = () => new Promise<void>((resolve) => setImmediate(resolve));
  const { peer, clock } = connection(slow, 2);
  peer.send(Buffer.concat([framed(query(1)), framed(query(2)), framed(query(3))]));
  assert.equal(waiting.length, 2);
  assert.equal(peer.paused, true);
  clock.advance(IDLE_MS * 2);
  assert.equal(peer.destroyed, false);
  for (const done of waiting.splice(0)) done();
  await settled();
  assert.equal(waiting.length, 1, 'the third message is read once there is room');
  for (const done of waiting.splice(0)) done();
  await settled();
  assert.equal(peer.written.length, 3);
  clock.advance(IDLE_MS);
  assert.equal(peer.destroyed, true);
});

test('a zero-length message and random bytes are handed to the handler, which decides; the connection survives', () => {
  const seen: number[] = [];
  const { peer } = connection((raw) => {
    seen.push(raw.length);
    return undefined;
  });
  peer.send([0, 0]);
  peer.send([0, 3, 0xde, 0xad, 0xbe]);
  assert.deepEqual(seen, [0, 3]);
  assert.equal(peer.destroyed, false);
});
