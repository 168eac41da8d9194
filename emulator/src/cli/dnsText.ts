// DNS messages as text, in the shape `dig` prints. Records are zone-file lines
// (`name.<TAB>ttl<TAB>IN<TAB>TYPE<TAB>data`) with fully qualified names, as dig shows them.

import type { Answer, Packet, Question } from 'dns-packet';
import { fqdn, recordData, recordLine } from '../../../server/src/emulatorClient/recordText';

export function questionLine(q: Question): string {
  return `;${fqdn(q.name)}\t\tIN\t${q.type}`;
}

function flagNames(p: Packet & { flag_qr?: boolean; flag_aa?: boolean; flag_tc?: boolean; flag_rd?: boolean; flag_ra?: boolean; flag_ad?: boolean; flag_cd?: boolean }): string {
  const names: string[] = [];
  if (p.flag_qr) names.push('qr');
  if (p.flag_aa) names.push('aa');
  if (p.flag_tc) names.push('tc');
  if (p.flag_rd) names.push('rd');
  if (p.flag_ra) names.push('ra');
  if (p.flag_ad) names.push('ad');
  if (p.flag_cd) names.push('cd');
  return names.join(' ');
}

/** dig's date format, `Thu Nov 26 09:33:53 UTC 2026` (in UTC). */
function digDate(d: Date): string {
  const [day, , , year, time] = d.toUTCString().replace(',', '').split(' ');
  const month = d.toUTCString().split(' ')[2];
  return `${day} ${month} ${String(d.getUTCDate()).padStart(2, '0')} ${time} UTC ${year}`;
}

export interface DigMeta {
  query: string;
  server: string;
  transport: 'UDP' | 'TCP';
  queryTimeMs: number;
  when: Date;
  size: number;
}

function section(title: string, records: readonly Answer[] | undefined): string[] {
  const rrs = (records ?? []).filter((r) => r.type !== 'OPT');
  return rrs.length ? [`;; ${title} SECTION:`, ...rrs.map((rr) => recordLine(rr)), ''] : [];
}

/** dig's default output for one answer. */
export function digText(p: Packet, meta: DigMeta): string {
  const answers = p.answers ?? [];
  const authorities = p.authorities ?? [];
  const additionals = p.additionals ?? [];
  const lines = [
    '',
    `; <<>> DiG 9.18 (ksl dig) <<>> ${meta.query}`,
    ';; global options: +cmd',
    ';; Got answer:',
    `;; ->>HEADER<<- opcode: ${(p as { opcode?: string }).opcode ?? 'QUERY'}, status: ${(p as { rcode?: string }).rcode ?? 'NOERROR'}, id: ${p.id ?? 0}`,
    `;; flags: ${flagNames(p)}; QUERY: ${p.questions?.length ?? 0}, ANSWER: ${answers.length}, AUTHORITY: ${authorities.length}, ADDITIONAL: ${additionals.length}`,
    '',
  ];
  const opt = additionals.find((r) => r.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  if (opt) lines.push(';; OPT PSEUDOSECTION:', `; EDNS: version: 0, flags:; udp: ${opt.udpPayloadSize ?? 512}`);
  lines.push(';; QUESTION SECTION:', ...(p.questions ?? []).map(questionLine), '');
  lines.push(...section('ANSWER', answers), ...section('AUTHORITY', authorities), ...section('ADDITIONAL', additionals));
  lines.push(
    `;; Query time: ${meta.queryTimeMs} msec`,
    `;; SERVER: ${meta.server} (${meta.transport})`,
    `;; WHEN: ${digDate(meta.when)}`,
    `;; MSG SIZE  rcvd: ${meta.size}`,
    '',
    '',
  );
  return lines.join('\n');
}

/** dig +short: the data of each answer record. */
export function digShortText(p: Packet): string {
  return (p.answers ?? []).map((rr) => recordData(rr) + '\n').join('');
}
