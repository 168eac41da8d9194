// How the DNS lookup and the in-cluster call are reported: a one-line summary for the
// notification and the full story (search path tried, route taken, headers, body) for the
// output channel.

import { STATUS_CODES } from 'node:http';
import type { CallServiceResult, ResolveNameParams, ResolveNameResult } from '../protocolTypes';

export interface Report {
  summary: string;
  lines: string[];
}

/** The longest body the output channel gets; the rest is cut with a note. */
const MAX_BODY = 4000;

/** The data of an answer: the address of `web.default.svc.cluster.local. 30 IN A 10.96.0.12`, or the line itself. */
export function answerData(answer: string): string {
  const m = /\sIN\s+[A-Z0-9]+\s+(.+)$/.exec(answer);
  return m?.[1]?.trim() ?? answer;
}

/** The query for what the user typed: an IPv4 address becomes a PTR query, `_port._proto.` names SRV. */
export function lookupQuery(input: string, namespace: string): ResolveNameParams {
  const name = input.trim();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  if (v4 && v4.slice(1).every((o) => Number(o) <= 255)) return { name: `${v4.slice(1).reverse().join('.')}.in-addr.arpa.`, namespace, type: 'PTR' };
  if (name.startsWith('_')) return { name, namespace, type: 'SRV' };
  return { name, namespace, type: 'A' };
}

export function lookupReport(params: ResolveNameParams, result: ResolveNameResult): Report {
  const lines = [
    `;; ${params.type ?? 'A'} ${params.name} from a pod in namespace ${params.namespace}`,
    ...result.tried.map((name) => `;; tried ${name}`),
    `;; ${result.rcode}${result.query ? ` for ${result.query}` : ''}`,
    ...result.answers,
  ];
  if (result.answers.length === 0) {
    return { summary: `${params.name}: ${result.rcode}${result.tried.length ? ` (tried ${result.tried.join(', ')})` : ''}`, lines };
  }
  const data = result.answers.map(answerData);
  return { summary: `${result.query || params.name} → ${data.join(', ')}`, lines };
}

/** What identifies an answer in a notification: the HTML page's title, or the first line of text. */
export function bodyGist(body: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
  const gist = title || body.trim().split(/\r?\n/, 1)[0] || '';
  return gist.length > 80 ? `${gist.slice(0, 79)}…` : gist;
}

export function callReport(url: string, namespace: string, result: CallServiceResult): Report {
  const lines = [`> GET ${url} (from a pod in namespace ${namespace})`, ...result.route.map((step) => `* ${step}`)];
  if (result.error) {
    lines.push(`curl: ${result.error}`);
    return { summary: `${url}: ${result.error}`, lines };
  }
  const reason = STATUS_CODES[result.status] ?? '';
  lines.push(`< HTTP/1.1 ${result.status} ${reason}`.trimEnd(), ...Object.entries(result.headers).map(([k, v]) => `< ${k}: ${v}`), '');
  lines.push(result.body.length > MAX_BODY ? `${result.body.slice(0, MAX_BODY)}\n[… ${result.body.length - MAX_BODY} more characters]` : result.body);
  const who = result.pod ? ` from pod ${result.pod}${result.podIP ? ` (${result.podIP})` : ''}` : '';
  const gist = bodyGist(result.body);
  return { summary: `${result.status} ${reason}${who}${gist ? `: ${gist}` : ''}`.replace(/ {2,}/g, ' '), lines };
}
