// From the bytes of one request to the bytes of its response: read the query (wire.ts), answer
// it from the cluster (lookup.ts) or from upstream (forwarder.ts), and encode what fits the
// client's buffer (messageWriter.ts). The flags follow CoreDNS: AA on answers the kubernetes
// plugin writes, no RA on them (CoreDNS does not set it; dig warns "recursion requested but not
// available"), and the upstream's own flags on forwarded answers.
//
// Answers computed from the cluster alone are cached by the shape of the query (plainQuery.ts)
// until the cluster's DNS view changes, so a repeated question is answered synchronously with
// a copy of the stored bytes. Only answers that wait for an upstream resolver are asynchronous.
// The handler never throws and its promise never rejects: an unexpected failure is logged and
// answered with SERVFAIL.

import * as packet from 'dns-packet';
import { AnswerCache, prepareAnswer, replyBytes, type CachedAnswer } from './answerCache';
import type { DnsData } from './dnsData';
import type { Forwarder, ForwardResult } from './forwarder';
import { lookup, type LookupOptions, type LookupResult } from './lookup';
import { limitsFor, type WriteLimits } from './messageWriter';
import { readPlainQuery, type PlainQuery, type TransportVariant } from './plainQuery';
import { fromUpstreamSection } from './upstreamRecords';
import { OPCODE_QUERY, RCODE, readQuery, type Family, type Query, type ReadResult, type ResponseParts, type Transport } from './wire';

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

/** The response bytes (length-prefixed for TCP), or undefined when nothing should be sent. */
export type HandlerResult = Buffer | undefined;

/**
 * Answers one message. `family` is the client's address family (default IPv4), which decides
 * when a large UDP answer is compressed. The result is synchronous unless an upstream resolver
 * has to be asked.
 */
export type QueryHandler = (raw: Buffer, transport: Transport, family?: Family) => HandlerResult | Promise<HandlerResult>;

function isOpt(a: packet.Answer): a is packet.OptAnswer {
  return a.type === 'OPT';
}

function variantOf(transport: Transport, family: Family): TransportVariant {
  if (transport === 'tcp') return 2;
  return family === 6 ? 1 : 0;
}

/** A response that says only `rcode`: for rejected messages, which get no question back. */
function rejectParts(r: Extract<ReadResult, { kind: 'reject' }>): ResponseParts {
  const isQuery = r.opcode === OPCODE_QUERY;
  return {
    id: r.id,
    opcode: r.opcode,
    rcode: RCODE[r.rcode],
    aa: false,
    tc: false,
    rd: isQuery && r.rd,
    ra: false,
    cd: isQuery && r.cd,
    answers: [],
    authorities: [],
    additionals: [],
  };
}

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
    question: { name: q.question.name, type: q.qtype, class: q.qclass },
    answers: [],
    authorities: [],
    additionals: [],
    ...(q.edns ? { edns: { udpPayloadSize: q.edns.udpPayloadSize, dnssecOk: q.edns.dnssecOk } } : {}),
  };
}

function fromLookup(q: Query, result: LookupResult): ResponseParts {
  return {
    ...reply(q, RCODE[result.rcode]),
    aa: result.authoritative,
    answers: result.answers,
    authorities: result.authorities,
    additionals: result.additionals,
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
    answers: fromUpstreamSection(r.answers),
    authorities: fromUpstreamSection(r.authorities),
    additionals: fromUpstreamSection(r.additionals),
  };
}

export function createQueryHandler(opts: QueryHandlerOptions): QueryHandler {
  const rand = opts.rand ?? Math.random;
  const log = opts.log ?? (() => undefined);
  const loadBalance = opts.loadBalance ?? true;
  const forwarder = opts.forwarder;
  const cache = new AnswerCache();

  function failed(q: Query, limits: WriteLimits, err: unknown): CachedAnswer {
    log(`dns: answering ${q.question.name} ${q.question.type} failed: ${(err as Error).stack ?? String(err)}`);
    return prepareAnswer(reply(q, RCODE.SERVFAIL), limits, false);
  }

  /** The answer that needs upstream resolvers: forwarded, or with a CNAME target resolved. */
  async function answerWithUpstream(q: Query, result: LookupResult, upstream: Forwarder, limits: WriteLimits): Promise<CachedAnswer> {
    try {
      if (result.next) return prepareAnswer(fromUpstream(q, await upstream.forward(q.packet, q.question)), limits, loadBalance);
      const parts = fromLookup(q, result);
      if (result.chase) {
        const chased = await upstream.resolve(result.chase.name, result.chase.type);
        if (chased.kind === 'answer') {
          parts.answers = [...parts.answers, ...fromUpstreamSection(chased.response.answers)];
          parts.tc = chased.response.flag_tc;
        }
      }
      return prepareAnswer(parts, limits, loadBalance);
    } catch (err) {
      return failed(q, limits, err);
    }
  }

  async function replyWithUpstream(q: Query, result: LookupResult, upstream: Forwarder, limits: WriteLimits, transport: Transport): Promise<HandlerResult> {
    try {
      return replyBytes(await answerWithUpstream(q, result, upstream, limits), q.id, transport, rand);
    } catch (err) {
      log(`dns: cannot encode a response: ${(err as Error).stack ?? String(err)}`);
      return undefined;
    }
  }

  /** The careful road: any message at all. The answer is cached under `key` when there is one. */
  function answerCarefully(raw: Buffer, transport: Transport, family: Family, key: PlainQuery | undefined): HandlerResult | Promise<HandlerResult> {
    const generation = opts.data.generation();
    const read = readQuery(raw);
    if (read.kind === 'drop') return undefined;
    const remember = (answer: CachedAnswer, id: number): Buffer => {
      if (key) cache.set(raw, key, answer, generation);
      return replyBytes(answer, id, transport, rand);
    };
    try {
      if (read.kind === 'reject') return remember(prepareAnswer(rejectParts(read), limitsFor(transport, family, undefined), false), read.id);
      const q = read.query;
      const limits = limitsFor(transport, family, q.edns);
      let answer: CachedAnswer;
      try {
        // CoreDNS answers any EDNS version but 0 with BADVERS before looking at the question.
        if (q.edns && q.edns.version !== 0) {
          answer = prepareAnswer(reply(q, RCODE.BADVERS), limits, false);
        } else {
          const result = lookup({ name: q.question.name, type: q.question.type }, opts.data, opts.lookup);
          if (forwarder && (result.next || result.chase)) {
            return replyWithUpstream(q, result, forwarder, limits, transport);
          }
          answer = prepareAnswer(fromLookup(q, result), limits, loadBalance);
        }
      } catch (err) {
        return replyBytes(failed(q, limits, err), q.id, transport, rand);
      }
      return remember(answer, q.id);
    } catch (err) {
      log(`dns: cannot encode a response: ${(err as Error).stack ?? String(err)}`);
      return undefined;
    }
  }

  return (raw, transport, family = 4) => {
    const key = readPlainQuery(raw, variantOf(transport, family));
    if (key) {
      const hit = cache.get(raw, key, opts.data.generation());
      try {
        if (hit) return replyBytes(hit, ((raw[0] as number) << 8) | (raw[1] as number), transport, rand);
      } catch (err) {
        log(`dns: cannot reuse a cached answer: ${(err as Error).stack ?? String(err)}`);
      }
    }
    return answerCarefully(raw, transport, family, key);
  };
}
