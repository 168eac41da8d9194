// One DNS question over UDP on loopback, answered or timed out: used to see that a server is up
// and to read which A records a name has right now. Questions carry EDNS with a 1232-byte
// payload size, as dig sends them, so answers with many records are not truncated.

import { createSocket } from 'node:dgram';
import * as packet from 'dns-packet';

const EDNS_PAYLOAD_SIZE = 1232;

/**
 * The IPv4 addresses in the answer to an A query for `name`; rejects when no answer comes in
 * time or the answer is truncated.
 */
export function queryA(host: string, port: number, name: string, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const id = Math.floor(Math.random() * 0xffff);
    const timer = setTimeout(() => done(new Error(`no DNS answer for ${name} from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    function done(err: Error | undefined, ips?: string[]): void {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(ips ?? []);
    }
    socket.on('error', (err) => done(err));
    socket.on('message', (msg) => {
      let decoded: packet.DecodedPacket;
      try {
        decoded = packet.decode(msg);
      } catch {
        return;
      }
      if (decoded.id !== id) return;
      if (decoded.flag_tc) {
        done(new Error(`the answer for ${name} from ${host}:${port} is truncated (${decoded.answers?.length ?? 0} records fit)`));
        return;
      }
      const ips: string[] = [];
      for (const a of decoded.answers ?? []) if (a.type === 'A') ips.push(a.data);
      done(undefined, ips);
    });
    const query = packet.encode({
      type: 'query',
      id,
      flags: packet.RECURSION_DESIRED,
      questions: [{ type: 'A', name }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_PAYLOAD_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
    });
    socket.send(query, port, host);
  });
}

/** Asks until the server answers (it may still be binding), for at most `timeoutMs` in all. */
export async function waitForDns(host: string, port: number, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  while (Date.now() < deadline) {
    try {
      await queryA(host, port, name, Math.min(500, Math.max(1, deadline - Date.now())));
      return;
    } catch (err) {
      last = err as Error;
    }
  }
  throw last ?? new Error(`DNS server ${host}:${port} did not answer within ${timeoutMs} ms`);
}
