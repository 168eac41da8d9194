// Debian's dnsperf against one server, and its summary figures read from the report it prints.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resources } from './resources';
import { runProgram } from './tools';

export interface DnsperfResult {
  qps: number;
  completed: number;
  lost: number;
  avgLatencyMs: number;
}

/** Writes a dnsperf data file: one `name type` line per question. */
export function writeQueryFile(dir: string, questions: readonly { name: string; type: string }[]): string {
  const path = join(dir, 'queries.txt');
  writeFileSync(path, questions.map((q) => `${q.name} ${q.type}`).join('\n') + '\n');
  return path;
}

function number(report: string, label: string): number {
  const m = new RegExp(`${label}:\\s+([0-9.]+)`).exec(report);
  if (!m) throw new Error(`dnsperf printed no "${label}":\n${report}`);
  return Number(m[1]);
}

/**
 * Sends the questions in a loop for `seconds` from `clients` sockets with up to `outstanding`
 * queries in flight, and returns what dnsperf measured. Queries carry EDNS (`-e`), as dig's
 * do, so that answers with many records fit in one UDP message on both servers.
 */
export async function runDnsperf(
  resources: Resources,
  dnsperf: string,
  opts: { host: string; port: number; queryFile: string; seconds: number; clients: number; outstanding: number },
): Promise<DnsperfResult> {
  const args = ['-s', opts.host, '-p', String(opts.port), '-d', opts.queryFile, '-l', String(opts.seconds), '-c', String(opts.clients), '-q', String(opts.outstanding), '-t', '2', '-e'];
  const r = await runProgram(resources, dnsperf, args, { timeoutMs: (opts.seconds + 30) * 1000 });
  if (r.code !== 0) throw new Error(`dnsperf exited ${r.code}: ${r.stderr}${r.stdout}`);
  return {
    qps: number(r.stdout, 'Queries per second'),
    completed: number(r.stdout, 'Queries completed'),
    lost: number(r.stdout, 'Queries lost'),
    avgLatencyMs: number(r.stdout, 'Average Latency \\(s\\)') * 1000,
  };
}
