// Two connected in-memory stream ends: what one end writes, the other reads. The data plane
// uses a pair where the kernel would use a socket between the proxy and a pod, so connections
// to simulated containers keep stream semantics (backpressure, half-close, destroy).

import { Duplex } from 'node:stream';

class PairEnd extends Duplex {
  peer!: PairEnd;
  /** The write callback held back until the peer's reader asks for more. */
  private waiting: (() => void) | undefined;

  /** Attributes an http.Server reads from its sockets; left undefined where they mean nothing here. */
  remoteAddress: string | undefined;
  remotePort: number | undefined;

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.peer.destroyed) {
      done(new Error('the other end of the connection is closed'));
      return;
    }
    if (this.peer.push(chunk)) done();
    else this.peer.waiting = done;
  }

  override _final(done: (err?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.push(null);
    done();
  }

  override _read(): void {
    const resume = this.waiting;
    this.waiting = undefined;
    resume?.();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    const resume = this.waiting;
    this.waiting = undefined;
    resume?.();
    if (!this.peer.destroyed) this.peer.destroy();
    done(err);
  }

  /** http.Server calls these on sockets; an in-memory pipe has no timers or Nagle to set. */
  setTimeout(_ms: number, callback?: () => void): this {
    if (callback) this.once('timeout', callback);
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
}

export type StreamEnd = Duplex & { remoteAddress: string | undefined; remotePort: number | undefined };

/** Returns [client end, server end]. */
export function duplexPair(): [StreamEnd, StreamEnd] {
  const a = new PairEnd();
  const b = new PairEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
