// Records an upstream resolver sent, made ready to be written into our own response. Records
// whose data holds a name that CoreDNS would compress (CNAME, NS, PTR, MX, SOA in class IN) are
// kept as names, so that the writer can compress them; every other record is kept as the
// bytes dns-packet encodes for it, which the writer copies as they are.

import * as packet from 'dns-packet';
import type { OpaqueRecord, WireRecord } from './wire';

const HEADER_SIZE = 12;

/** The type, class, TTL and RDATA of `a` as dns-packet encodes them, or undefined when it cannot. */
function opaque(a: Exclude<packet.Answer, packet.OptAnswer>): OpaqueRecord | undefined {
  let bytes: Buffer;
  try {
    bytes = packet.encode({ type: 'response', id: 0, flags: 0, answers: [a] });
  } catch {
    return undefined;
  }
  // dns-packet never compresses, so the owner name is a plain run of labels ending in 0.
  let off = HEADER_SIZE;
  while (off < bytes.length && bytes[off] !== 0) off += (bytes[off] ?? 0) + 1;
  off++;
  if (off + 10 > bytes.length) return undefined;
  const rdlength = bytes.readUInt16BE(off + 8);
  if (off + 10 + rdlength > bytes.length) return undefined;
  return {
    name: a.name,
    ttl: bytes.readUInt32BE(off + 4),
    type: a.type,
    code: bytes.readUInt16BE(off),
    class: bytes.readUInt16BE(off + 2),
    rdata: Buffer.from(bytes.subarray(off + 10, off + 10 + rdlength)),
  };
}

/** `a` as a record to write; undefined for OPT records and records that cannot be encoded. */
export function fromUpstream(a: packet.Answer): WireRecord | undefined {
  if (a.type === 'OPT') return undefined;
  const inClassIN = (a.class ?? 'IN') === 'IN' && !a.flush;
  const base = { name: a.name, ttl: a.ttl ?? 0 };
  if (inClassIN) {
    switch (a.type) {
      case 'CNAME':
      case 'NS':
      case 'PTR':
        return { ...base, type: a.type, data: a.data };
      case 'MX':
        return { ...base, type: 'MX', data: { preference: a.data.preference ?? 0, exchange: a.data.exchange } };
      case 'SOA': {
        const d = a.data;
        const soa = { serial: d.serial ?? 0, refresh: d.refresh ?? 0, retry: d.retry ?? 0, expire: d.expire ?? 0, minimum: d.minimum ?? 0 };
        return { ...base, type: 'SOA', data: { mname: d.mname, rname: d.rname, ...soa } };
      }
    }
  }
  return opaque(a);
}

/** The records of one upstream section, in order. */
export function fromUpstreamSection(answers: readonly packet.Answer[] | undefined): WireRecord[] {
  const out: WireRecord[] = [];
  for (const a of answers ?? []) {
    const rr = fromUpstream(a);
    if (rr) out.push(rr);
  }
  return out;
}
