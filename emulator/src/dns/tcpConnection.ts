// One TCP connection to the DNS server: length-prefixed messages in, length-prefixed answers
// out, any number per connection, each answered as soon as it is ready (an answer that waits
// for an upstream resolver does not hold up the ones behind it).
//
// Like miekg/dns's server, each message has a deadline for arriving whole, set when the server
// starts waiting for it and not moved by partial data: the first message gets the read timeout,
// later ones the idle timeout. A client that sends nothing, or trickles a message byte by byte,
// or stops reading its answers, is disconnected when the deadline passes. Bytes are kept as
// received and joined once per message, so a trickled message costs no more than a whole one.

import type { Clock, TimerHandle } from '../clock';
import type { QueryHandler } from './queryHandler';
import type { Family } from './wire';

/** What the connection needs of its socket; a net.Socket is one. */
export interface TcpPeer {
  readonly destroyed: boolean;
  readonly remoteFamily?: string | undefined;
  readonly remoteAddress?: string | undefined;
  write(data: Buffer): boolean;
  end(): void;
  destroy(): void;
  pause(): void;
  resume(): void;
  isPaused(): boolean;
  setNoDelay(noDelay: boolean): void;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close' | 'drain', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export interface TcpConnectionOptions {
  handle: QueryHandler;
  clock: Clock;
  /** How long the first message may take to arrive whole. */
  readTimeoutMs: number;
  /** How long each later message may take, counted from when the server is ready for it. */
  idleTimeoutMs: number;
  /** Answers being worked on at once; reading pauses beyond it. */
  maxPipeline: number;
}

/** The client's address family as CoreDNS's request.Family sees it (an IPv4-mapped address is IPv4). */
export function familyOf(family: string | undefined, address: string | undefined): Family {
  const mapped = address?.startsWith('::ffff:') === true && address.includes('.');
  return family === 'IPv6' && !mapped ? 6 : 4;
}

export function serveTcpConnection(socket: TcpPeer, opts: TcpConnectionOptions): void {
  const chunks: Buffer[] = [];
  let buffered = 0;
  let pending = 0;
  let waitingForDrain = false;
  let peerEnded = false;
  let sawMessage = false;
  let deadline: TimerHandle | undefined;
  const family = familyOf(socket.remoteFamily, socket.remoteAddress);

  const disarm = () => {
    deadline?.cancel();
    deadline = undefined;
  };
  const arm = () => {
    if (deadline || socket.destroyed) return;
    deadline = opts.clock.after(sawMessage ? opts.idleTimeoutMs : opts.readTimeoutMs, () => socket.destroy());
  };

  /** The first `n` buffered bytes as one buffer, removed from the buffer. */
  const take = (n: number): Buffer => {
    let first = chunks[0] as Buffer;
    if (first.length < n) {
      first = Buffer.concat(chunks, buffered);
      chunks.length = 0;
      chunks.push(first);
    }
    const out = first.subarray(0, n);
    if (first.length === n) chunks.shift();
    else chunks[0] = first.subarray(n);
    buffered -= n;
    return out;
  };
  const nextLength = (): number => {
    const first = chunks[0] as Buffer;
    if (first.length >= 2) return first.readUInt16BE(0);
    return ((first[0] as number) << 8) | ((chunks[1] as Buffer)[0] as number);
  };

  const send = (response: Buffer | undefined) => {
    if (!response || socket.destroyed) return;
    if (!socket.write(response)) waitingForDrain = true;
  };

  const pump = () => {
    while (!socket.destroyed && !waitingForDrain && pending < opts.maxPipeline && buffered >= 2) {
      const length = nextLength();
      if (buffered < 2 + length) break;
      const message = take(2 + length).subarray(2);
      disarm();
      sawMessage = true;
      const result = opts.handle(message, 'tcp', family);
      if (result instanceof Promise) {
        pending++;
        void result.then((response) => {
          pending--;
          send(response);
          pump();
        });
      } else {
        send(result);
      }
    }
    if (socket.destroyed) return;
    // Waiting on the client (for bytes, or for it to read its answers) runs the deadline;
    // waiting on an upstream resolver does not.
    if (waitingForDrain || pending === 0) arm();
    else disarm();
    const stopReading = waitingForDrain || pending >= opts.maxPipeline;
    if (stopReading !== socket.isPaused()) {
      if (stopReading) socket.pause();
      else socket.resume();
    }
    const wholeMessageLeft = buffered >= 2 && buffered >= 2 + nextLength();
    if (peerEnded && pending === 0 && !wholeMessageLeft) {
      disarm();
      socket.end();
    }
  };

  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.on('close', disarm);
  socket.on('drain', () => {
    waitingForDrain = false;
    pump();
  });
  socket.on('data', (chunk: Buffer) => {
    if (chunk.length === 0) return;
    chunks.push(chunk);
    buffered += chunk.length;
    pump();
  });
  socket.on('end', () => {
    peerEnded = true;
    pump();
  });
  arm();
}
