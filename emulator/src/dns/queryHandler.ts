// From the bytes of one request to the bytes of its response: read the query (wire.ts), answer
// it from the cluster (lookup.ts) or from upstream (forwarder.ts), and encode what fits the
// client's buffer. The flags follow CoreDNS: AA on answers the kubernetes plugin writes, no RA
// on them (CoreDNS does not set it; dig warns "recursion requested but not available"), and
// the upstream's own flags on forwarded answers. The returned promise never rejects: an
// unexpected failure is logged and answered with SERVFAIL.

import type * as packet from 'dns-packet';
import type { DnsData } from './dnsData';
import type { Forwarder, ForwardResult } from './forwarder';
import { roundRobin } from './loadBalance';
import { lookup, type LookupOptions } from './lookup';
import {
  RCODE,
  buildResponse,
  encodeFor,
  maxResponseSize,
  readQuery,
  rejectResponse,
  toWireAnswer,
  type Query,
  type ResponseParts,
  type Transport,
} from './wire';

export interface QueryHandlerOptions {
  data: DnsData;
  lookup?: Partial<LookupOptions>;
  /** Where out-of-zone names (and NXDOMAIN in reverse zones) go; without it they are answered here. */
  forwarder?: Forwarder;
  /** Shuffle address records like the `loadbalance` plugin (on in the kubeadm Corefile). */
  loadBalance?: boolean;
  rand?: () => number;
  log?: (message: string) => void;
}

/** Resolves with the response bytes (length-prefixed for TCP), or undefined when nothing should be sent. */
export type QueryHandler = (raw: Buffer, transport: Transport) => Promise<Buffer | undefined>;

function isOpt(a: packet.Answer): a is packet.OptAnswer {
  return a.type === 'OPT';
}

export function createQueryHandler(opts: QueryHandlerOptions): QueryHandler {
  const rand = opts.rand ?? Math.random;
  const log = opts.log ?? (() => undefined);
  const loadBalance = opts.loadBalance ?? true;

  /** A reply to `q` with nothing in it yet. */
  function reply(q: Query, rcode: number): ResponseParts {
    return {
      id: q.id,
      opcode: q.opcode,
      rcode,
      aa: false,
      tc: false,
      rd: q.rd,
      ra: false,
      cd: q.cd,
      question: q.question,
      answers: [],
      authorities: [],
      additionals: [],
      ...(q.edns ? { edns: { udpPayloadSize: q.edns.udpPayloadSize, dnssecOk: q.edns.dnssecOk } } : {}),
    };
  }

  function fromUpstream(q: Query, result: ForwardResult): ResponseParts {
    if (result.kind === 'busy') return reply(q, RCODE.REFUSED);
    if (result.kind === 'failed') return reply(q, RCODE.SERVFAIL);
    const r = result.response;
    const opt = (r.additionals ?? []).find(isOpt);
    return {
      ...reply(q, ((r.flags ?? 0) & 0xf) | ((opt?.extendedRcode ?? 0) << 4)),
      aa: r.flag_aa,
      tc: r.flag_tc,
      ra: r.flag_ra,
      ad: r.flag_ad,
      answers: r.answers ?? [],
      authorities: r.authorities ?? [],
      additionals: (r.additionals ?? []).filter((a) => !isOpt(a)),
    };
  }

  async function answer(q: Query): Promise<ResponseParts> {
    // CoreDNS answers any EDNS version but 0 with BADVERS before looking at the question.
    if (q.edns && q.edns.version !== 0) return reply(q, RCODE.BADVERS);
    const result = lookup({ name: q.question.name, type: q.question.type }, opts.data, opts.lookup);
    if (result.next && opts.forwarder) return fromUpstream(q, await opts.forwarder.forward(q.packet, q.question));
    const parts: ResponseParts = {
      ...reply(q, RCODE[result.rcode]),
      aa: result.authoritative,
      answers: result.answers.map(toWireAnswer),
      authorities: result.authorities.map(toWireAnswer),
      additionals: result.additionals.map(toWireAnswer),
    };
    if (result.chase && opts.forwarder) {
      const chased = await opts.forwarder.resolve(result.chase.name, result.chase.type);
      if (chased.kind === 'answer') {
        parts.answers.push(...(chased.response.answers ?? []));
        parts.tc = chased.response.flag_tc;
      }
    }
    return parts;
  }

  function shuffled(parts: ResponseParts): ResponseParts {
    if (!loadBalance || parts.rcode !== RCODE.NOERROR) return parts;
    return {
      ...parts,
      answers: roundRobin(parts.answers, rand),
      authorities: roundRobin(parts.authorities, rand),
      additionals: roundRobin(parts.additionals, rand),
    };
  }

  return async (raw, transport) => {
    const read = readQuery(raw);
    if (read.kind === 'drop') return undefined;
    try {
      if (read.kind === 'reject') return encodeFor(transport, rejectResponse(read));
      const q = read.query;
      const size = maxResponseSize(transport, q.edns);
      try {
        return encodeFor(transport, buildResponse(shuffled(await answer(q)), size));
      } catch (err) {
        log(`dns: answering ${q.question.name} ${q.question.type} failed: ${(err as Error).stack ?? String(err)}`);
        return encodeFor(transport, buildResponse(reply(q, RCODE.SERVFAIL), size));
      }
    } catch (err) {
      log(`dns: cannot encode a response: ${(err as Error).stack ?? String(err)}`);
      return undefined;
    }
  };
}
