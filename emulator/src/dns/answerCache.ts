// Encoded answers, kept so that a repeated question costs a copy and two bytes of ID. An entry
// is made from the parts of a response once (`prepareAnswer`) and turned into the bytes of one
// reply as often as needed (`replyBytes`). The `loadbalance` plugin's reordering survives the
// cache: the fixed part of its order is applied when the entry is made, and the random part is
// drawn for every reply, from the same `rand` and in the same sequence as `roundRobin` draws:
//  - `fixed`: nothing to shuffle; the bytes are sent as they are;
//  - `shuffled`: the groups of address (or MX) records are permuted as byte ranges, which is
//    valid because no compression pointer in the message points into those ranges;
//  - `rebuilt`: the message is truncated (and a shuffle decides which records make it) or a
//    pointer does point into a group, so it is written anew for each reply.
// The store is keyed by the query's plain-query key, is invalidated as a whole when the
// cluster's DNS view changes (its generation), and holds at most `maxEntries` entries and about
// `maxBytes` bytes, dropping the oldest first.

import { arrange, roundRobin, shuffle } from './loadBalance';
import { writeMessage, type WriteLimits } from './messageWriter';
import type { PlainQuery } from './plainQuery';
import { RCODE, type ResponseParts, type Transport } from './wire';

/** Where the question starts in a message: right after the header. */
const QUESTION_START = 12;

/** A run of records that a reply shuffles. */
export interface Group {
  /** The start offset of each record, then the end of the last. */
  starts: number[];
  /**
   * When every record of the group has the same length and the same bytes but for the last
   * `tail` (address records of one owner: their RDATA), only those tails are shuffled; else 0.
   */
  tail: number;
}

export type CachedAnswer =
  | { kind: 'fixed'; bytes: Buffer }
  | { kind: 'shuffled'; bytes: Buffer; groups: Group[] }
  | { kind: 'rebuilt'; parts: ResponseParts; limits: WriteLimits; size: number };

/**
 * The answer for `parts` under `limits`. With `loadBalance`, a successful response is put in
 * the loadbalance plugin's order, with its random part left to `replyBytes`.
 */
export function prepareAnswer(parts: ResponseParts, limits: WriteLimits, loadBalance: boolean): CachedAnswer {
  if (!loadBalance || parts.rcode !== RCODE.NOERROR) return { kind: 'fixed', bytes: writeMessage(parts, limits).bytes };
  const sections = [arrange(parts.answers), arrange(parts.authorities), arrange(parts.additionals)] as const;
  const arranged: ResponseParts = {
    ...parts,
    answers: sections[0].records,
    authorities: sections[1].records,
    additionals: sections[2].records,
  };
  const written = writeMessage(arranged, limits);
  // Record index ranges (over all sections) that a reply shuffles, in the order roundRobin draws.
  const ranges: [number, number][] = [];
  let base = 0;
  for (const section of sections) {
    for (const [start, end] of section.groups) if (end - start >= 2) ranges.push([base + start, base + end]);
    base += section.records.length;
  }
  if (ranges.length === 0) return { kind: 'fixed', bytes: written.bytes };
  const size = written.bytes.length;
  if (written.truncated) return { kind: 'rebuilt', parts: arranged, limits, size };
  const groups = ranges.map(([start, end]) => groupOf(written.bytes, written.recordStarts.slice(start, end + 1)));
  const movable = (offset: number) => groups.some(({ starts }) => offset >= (starts[0] ?? 0) && offset < (starts[starts.length - 1] ?? 0));
  if (written.pointerTargets.some(movable)) return { kind: 'rebuilt', parts: arranged, limits, size };
  return { kind: 'shuffled', bytes: written.bytes, groups };
}

/** The group of records at `starts` in `bytes`, with the length of their differing tails. */
function groupOf(bytes: Buffer, starts: number[]): Group {
  const first = starts[0] as number;
  const length = (starts[1] as number) - first;
  let common = length;
  for (let r = 1; r < starts.length - 1 && common > 0; r++) {
    const at = starts[r] as number;
    if ((starts[r + 1] as number) - at !== length) return { starts, tail: 0 };
    let same = 0;
    while (same < common && bytes[first + same] === bytes[at + same]) same++;
    common = same;
  }
  return { starts, tail: length - common };
}

/** Copies `from[start, end)` to `to` at `at`; short runs are faster by hand than through Buffer.copy. */
function copyRange(from: Buffer, start: number, end: number, to: Buffer, at: number): void {
  if (end - start > 64) {
    to.set(from.subarray(start, end), at);
    return;
  }
  for (let i = start; i < end; i++) to[at++] = from[i] as number;
}

/** The bytes of one reply with this ID: length-prefixed over TCP. */
export function replyBytes(answer: CachedAnswer, id: number, transport: Transport, rand: () => number): Buffer {
  const message =
    answer.kind === 'rebuilt'
      ? writeMessage(
          {
            ...answer.parts,
            answers: roundRobin(answer.parts.answers, rand),
            authorities: roundRobin(answer.parts.authorities, rand),
            additionals: roundRobin(answer.parts.additionals, rand),
          },
          answer.limits,
        ).bytes
      : answer.bytes;
  const prefix = transport === 'tcp' ? 2 : 0;
  const out = Buffer.allocUnsafe(prefix + message.length);
  if (prefix) out.writeUInt16BE(message.length, 0);
  out.set(message, prefix);
  if (answer.kind === 'shuffled') {
    for (const { starts, tail } of answer.groups) {
      const order: number[] = [];
      for (let i = 0; i < starts.length - 1; i++) order.push(i);
      shuffle(order, rand);
      let at = prefix + (starts[0] as number);
      for (let k = 0; k < order.length; k++) {
        const i = order[k] as number;
        const from = starts[i] as number;
        const to = starts[i + 1] as number;
        if (tail > 0) copyRange(message, to - tail, to, out, prefix + (starts[k + 1] as number) - tail);
        else copyRange(message, from, to, out, at);
        at += to - from;
      }
    }
  }
  out[prefix] = (id >>> 8) & 0xff;
  out[prefix + 1] = id & 0xff;
  return out;
}

function sizeOf(answer: CachedAnswer): number {
  return answer.kind === 'rebuilt' ? answer.size : answer.bytes.length;
}

interface Entry {
  /** The key: the question's bytes and the packed rest (plainQuery.ts). */
  question: Buffer;
  meta: number;
  answer: CachedAnswer;
}

function sameQuestion(entry: Entry, query: Buffer, key: PlainQuery): boolean {
  const q = entry.question;
  if (entry.meta !== key.meta || q.length !== key.questionEnd - QUESTION_START) return false;
  for (let i = 0; i < q.length; i++) if (q[i] !== query[QUESTION_START + i]) return false;
  return true;
}

/**
 * Answers by the key of the query they answer. Two keys with the same hash cannot both be
 * kept: the later replaces the earlier, which only costs a recomputation.
 */
export class AnswerCache {
  private readonly entries = new Map<number, Entry>();
  private generation = Number.NaN;
  private bytes = 0;

  constructor(
    private readonly maxEntries = 20_000,
    private readonly maxBytes = 16 * 1024 * 1024,
  ) {}

  /** The answer to `query`, if one was stored while the cluster was at `generation`. */
  get(query: Buffer, key: PlainQuery, generation: number): CachedAnswer | undefined {
    if (generation !== this.generation) {
      this.clear(generation);
      return undefined;
    }
    const entry = this.entries.get(key.hash);
    return entry && sameQuestion(entry, query, key) ? entry.answer : undefined;
  }

  set(query: Buffer, key: PlainQuery, answer: CachedAnswer, generation: number): void {
    if (generation !== this.generation) this.clear(generation);
    const size = sizeOf(answer) + key.questionEnd;
    if (size > this.maxBytes) return;
    this.remove(key.hash);
    while (this.entries.size >= this.maxEntries || this.bytes + size > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.remove(oldest.value);
    }
    const question = Buffer.from(query.subarray(QUESTION_START, key.questionEnd));
    this.entries.set(key.hash, { question, meta: key.meta, answer });
    this.bytes += size;
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(hash: number): void {
    const entry = this.entries.get(hash);
    if (!entry) return;
    this.entries.delete(hash);
    this.bytes -= sizeOf(entry.answer) + QUESTION_START + entry.question.length;
  }

  private clear(generation: number): void {
    this.entries.clear();
    this.bytes = 0;
    this.generation = generation;
  }
}
