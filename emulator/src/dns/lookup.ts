// The answer to one DNS question from the cluster's state, decided as CoreDNS's `kubernetes`
// plugin decides it (coredns v1.11.3 plugin/kubernetes/{handler.go,kubernetes.go,reverse.go,
// ns.go} with plugin/backend_lookup.go). A pure function: no I/O, no clock, no randomness.
//
// The served zones are the cluster zone plus in-addr.arpa and ip6.arpa, as in the kubeadm
// Corefile `kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure; fallthrough
// in-addr.arpa ip6.arpa; ttl 30 }`. A name outside them is REFUSED, and the result says so, so
// that a server with upstream resolvers can forward it instead; the same goes for NXDOMAIN in
// a reverse zone (the `fallthrough`).
//
// The structure mirrors CoreDNS so that its quirks carry over: `services` is Services(),
// `records` is Records(), `findServices`/`findPods` are the same-named functions, and the
// per-type builders are plugin.A, plugin.SRV and friends. An "item" is CoreDNS's msg.Service:
// a host (an IP, a name for a CNAME, or a text) with a port and the owner name its key encodes.

import { formatIP, parseIP } from '../../../server/src/validation/ipAddresses';
import { isHeadless, type DnsData, type DnsEndpointAddress, type DnsEndpoints } from './dnsData';
import {
  POD,
  addressFromReverse,
  canonicalIP,
  isSubdomain,
  matchZone,
  parseRequest,
  reverseFamily,
  splitLabels,
  type RecordRequest,
} from './queryName';
import { fqdn, type DnsRecord } from './records';

export type PodMode = 'disabled' | 'verified' | 'insecure';

export interface LookupOptions {
  /** The cluster domain. */
  zone: string;
  /** TTL of every answer (the plugin's `ttl`; kubeadm sets 30, the plugin default is 5). */
  ttl: number;
  /** `pods insecure` (the kubeadm default) answers any dashed IP; `verified` needs a live pod. */
  podMode: PodMode;
  /** `endpoint_pod_names`: name endpoints without a hostname after their pod, not their IP. */
  endpointPodNames: boolean;
  /** The Service that stands for the DNS server itself, for NS records at the apex. */
  dnsService: { namespace: string; name: string };
  /** Addresses for `ns.dns.<zone>` when that Service does not exist. */
  localIPs: readonly string[];
}

export const DEFAULT_LOOKUP_OPTIONS: Readonly<LookupOptions> = Object.freeze({
  zone: 'cluster.local',
  ttl: 30,
  podMode: 'insecure',
  endpointPodNames: false,
  dnsService: Object.freeze({ namespace: 'kube-system', name: 'kube-dns' }),
  localIPs: Object.freeze([]),
});

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED';

export interface DnsQuestion {
  /** As it arrived: any case, with or without the trailing dot. */
  name: string;
  /** A type mnemonic as dns-packet spells it (`A`, `SRV`, `UNKNOWN_65280`). */
  type: string;
}

export interface LookupResult {
  rcode: Rcode;
  /** The AA bit: set on every answer the plugin writes itself. */
  authoritative: boolean;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
  /**
   * Where the next plugin would take over: `out-of-zone` for a name no served zone holds,
   * `fallthrough` for NXDOMAIN in a reverse zone. A server with upstream resolvers forwards
   * these; without, it sends the result as it is.
   */
  next?: 'out-of-zone' | 'fallthrough';
  /** A CNAME target outside the zone whose addresses an upstream resolver may append. */
  chase?: { name: string; type: 'A' | 'AAAA' };
}

const REVERSE_ZONES = [
  ['in-addr', 'arpa'],
  ['ip6', 'arpa'],
];
const DNS_SCHEMA_VERSION = '1.1.0';
const DNS_VERSION_TTL = 28800;
const MAX_CNAME_CHAIN = 7;

/** One name being looked up, in the zone the original question matched. */
interface Query {
  /** The name as written in answers: the question's case, fully qualified. */
  qname: string;
  /** Lower-case labels. */
  labels: string[];
  zone: Zone;
}

interface Zone {
  /** Lower-case labels of the matched zone. */
  labels: readonly string[];
  /** The zone as the question spelled it, fully qualified: SOA owner and record keys use it. */
  echo: string;
  reverse: boolean;
}

/** CoreDNS's msg.Service. */
interface Item {
  host: string;
  port: number;
  ttl: number;
  /** The owner name its key encodes, fully qualified (SRV targets, additional records). */
  owner: string;
  text?: string;
}

interface Found {
  items: Item[];
  /** errNoItems / errNsNotExposed / errInvalidRequest: the name does not exist. */
  nameError: boolean;
}

interface Built {
  records: DnsRecord[];
  extra: DnsRecord[];
  nameError: boolean;
  chase?: LookupResult['chase'];
}

type HostType = { kind: 'A' | 'AAAA'; ip: string } | { kind: 'CNAME' } | { kind: 'TXT' };

/** msg.Service.HostType: an IP makes an address record, anything else a CNAME (or a TXT). */
function hostType(item: Item): HostType {
  const ip = parseIP(item.host);
  if (ip && ip.strict) {
    const text = formatIP(ip.bytes);
    return { kind: text.includes(':') ? 'AAAA' : 'A', ip: text };
  }
  return item.text !== undefined ? { kind: 'TXT' } : { kind: 'CNAME' };
}

const found = (items: Item[]): Found => ({ items, nameError: false });
const nameError = (): Found => ({ items: [], nameError: true });

/** matchPortAndProtocol: an empty requested port or protocol matches anything. */
function portMatches(r: RecordRequest, name: string, protocol: string): boolean {
  const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return (r.port === '' || eq(r.port, name)) && (r.protocol === '' || eq(r.protocol, protocol));
}

class ZoneLookup {
  private readonly zones: string[][];
  /** The configured cluster zone, lower-case and fully qualified: PTR targets use it. */
  private readonly primaryZone: string;

  constructor(
    private readonly data: DnsData,
    private readonly opts: LookupOptions,
  ) {
    const cluster = splitLabels(opts.zone.toLowerCase());
    this.zones = [cluster, ...REVERSE_ZONES];
    this.primaryZone = fqdn(cluster.join('.'));
  }

  answer(question: DnsQuestion): LookupResult {
    const original = splitLabels(question.name);
    const labels = original.map((l) => l.toLowerCase());
    const zi = matchZone(this.zones, labels);
    if (zi < 0) return { ...negative('REFUSED'), authoritative: false, next: 'out-of-zone' };
    const zoneLabels = this.zones[zi] ?? [];
    const zone: Zone = {
      labels: zoneLabels,
      echo: fqdn(original.slice(original.length - zoneLabels.length).join('.')),
      reverse: zi > 0,
    };
    const q: Query = { qname: fqdn(original.join('.')), labels, zone };

    let built: Built;
    switch (question.type) {
      case 'A':
      case 'AAAA':
        built = { ...this.address(q, question.type, []), extra: [] };
        break;
      case 'TXT':
        built = this.txt(q);
        break;
      case 'CNAME':
        built = this.cname(q);
        break;
      case 'PTR':
        built = this.ptr(q);
        break;
      case 'MX':
        // No Service carries mail, so MX only tells NODATA from NXDOMAIN.
        built = { records: [], extra: [], nameError: this.services(q, 'MX').nameError };
        break;
      case 'SRV':
        built = this.srv(q);
        break;
      case 'SOA':
        built = { records: this.atApex(q) ? [this.soa(zone)] : [], extra: [], nameError: false };
        break;
      case 'AXFR':
      case 'IXFR':
        return { ...negative('REFUSED'), authoritative: false };
      case 'NS':
        if (this.atApex(q)) {
          built = this.ns(q);
          break;
        }
        built = this.fakeA(q);
        break;
      default:
        built = this.fakeA(q);
    }

    if (built.nameError) {
      return { ...negative('NXDOMAIN'), authorities: [this.soa(zone)], ...(zone.reverse ? { next: 'fallthrough' } : {}) };
    }
    if (built.records.length === 0) return { ...negative('NOERROR'), authorities: [this.soa(zone)] };
    return {
      rcode: 'NOERROR',
      authoritative: true,
      answers: built.records,
      authorities: [],
      additionals: built.extra,
      ...(built.chase ? { chase: built.chase } : {}),
    };
  }

  private atApex(q: Query): boolean {
    return q.labels.length === q.zone.labels.length;
  }

  /** Another name looked up in the same zone as `q`, e.g. a CNAME target. */
  private sameZone(q: Query, name: string): Query {
    return { qname: fqdn(name), labels: splitLabels(name.toLowerCase()), zone: q.zone };
  }

  private base(q: Query): string[] {
    return q.labels.slice(0, q.labels.length - q.zone.labels.length);
  }

  /** Default types only tell NODATA from NXDOMAIN, by an A lookup whose records are dropped. */
  private fakeA(q: Query): Built {
    return { records: [], extra: [], nameError: this.address(q, 'A', []).nameError };
  }

  private soa(zone: Zone): DnsRecord {
    return {
      name: zone.echo,
      ttl: Math.min(this.opts.ttl, 300),
      type: 'SOA',
      data: {
        mname: 'ns.dns.' + zone.echo,
        rname: 'hostmaster.' + zone.echo,
        serial: this.data.serial(),
        refresh: 7200,
        retry: 1800,
        expire: 86400,
        minimum: this.opts.ttl,
      },
    };
  }

  // --- Kubernetes.Services / Records -------------------------------------------------------

  private services(q: Query, qtype: string): Found {
    if (qtype === 'TXT') {
      const base = this.base(q);
      if (base.length === 1 && base[0] === 'dns-version') {
        return found([{ host: '', port: 0, ttl: DNS_VERSION_TTL, owner: q.qname, text: DNS_SCHEMA_VERSION }]);
      }
      // A name that holds records of another type answers TXT with NODATA, any other NXDOMAIN.
      return this.records(q).items.length > 0 ? found([]) : nameError();
    }
    if (qtype === 'NS') return found(this.nsAddrs(q.zone));
    const base = this.base(q);
    if (base.length === 2 && base[0] === 'ns' && base[1] === 'dns') {
      const family = qtype === 'A' || qtype === 'AAAA' ? qtype : undefined;
      return found(this.nsAddrs(q.zone).filter((i) => hostType(i).kind === family).map((i) => ({ ...i, owner: q.qname })));
    }
    const r = this.records(q);
    // SRV for ExternalName Services is not implemented in CoreDNS, so their CNAME items go.
    if (qtype === 'SRV') return { ...r, items: r.items.filter((i) => hostType(i).kind !== 'CNAME') };
    return r;
  }

  private records(q: Query): Found {
    const r = parseRequest(this.base(q));
    if (r === 'invalid') return nameError();
    if (r.podOrSvc === '') return found([]);
    if (reverseFamily(q.labels)) return nameError();
    if (!this.data.namespaceExists(r.namespace)) return nameError();
    return r.podOrSvc === POD ? this.findPods(r, q.zone) : this.findServices(r, q.zone);
  }

  private findPods(r: RecordRequest, zone: Zone): Found {
    if (this.opts.podMode === 'disabled') return nameError();
    const podName = r.service;
    if (podName === '') return found([]);
    const dashes = podName.split('-').length - 1;
    const ip = dashes === 3 && !podName.includes('--') ? podName.replaceAll('-', '.') : podName.replaceAll('-', ':');
    const item: Item = { host: ip, port: 0, ttl: this.opts.ttl, owner: `${podName}.${r.namespace}.${POD}.${zone.echo}` };
    if (this.opts.podMode === 'insecure') return canonicalIP(ip) ? found([item]) : nameError();
    const items = this.data.podNamespacesByIP(ip).filter((ns) => ns === r.namespace).map(() => item);
    return items.length > 0 ? found(items) : nameError();
  }

  private endpointHostname(a: DnsEndpointAddress): string {
    if (a.hostname) return a.hostname;
    if (this.opts.endpointPodNames && a.targetRefName) return a.targetRefName;
    if (a.ip.includes('.')) return a.ip.replaceAll('.', '-');
    if (a.ip.includes(':')) return a.ip.replaceAll(':', '-');
    return '';
  }

  private findServices(r: RecordRequest, zone: Zone): Found {
    if (r.service === '') return found([]);
    const svc = this.data.service(r.namespace, r.service);
    if (!svc) return nameError();
    const owner = `${svc.name}.${svc.namespace}.svc.${zone.echo}`;
    const ttl = this.opts.ttl;

    if (svc.type === 'ExternalName') {
      // No endpoints and no SRV pseudo-subdomains below an ExternalName Service.
      if (r.endpoint || r.port || r.protocol) return nameError();
      const item: Item = { host: svc.externalName, port: 0, ttl, owner };
      return hostType(item).kind === 'CNAME' ? found([item]) : nameError();
    }

    if (isHeadless(svc) || r.endpoint) {
      const items: Item[] = [];
      for (const eps of this.data.endpoints(svc.namespace, svc.name)) {
        for (const a of eps.addresses) {
          const hostname = this.endpointHostname(a);
          if (r.endpoint && r.endpoint !== hostname.toLowerCase()) continue;
          for (const p of eps.ports) {
            if (!portMatches(r, p.name, p.protocol)) continue;
            items.push({ host: a.ip, port: p.port, ttl, owner: `${hostname}.${owner}` });
          }
        }
      }
      return items.length > 0 ? found(items) : nameError();
    }

    let matched = false;
    const items: Item[] = [];
    for (const p of svc.ports) {
      if (!portMatches(r, p.name, p.protocol)) continue;
      matched = true;
      for (const ip of svc.clusterIPs) if (ip) items.push({ host: ip, port: p.port, ttl, owner });
    }
    return matched ? found(items) : nameError();
  }

  /** The DNS server's own addresses (nsAddrs): its Service's IP, else the configured local IPs. */
  private nsAddrs(zone: Zone): Item[] {
    const ttl = this.opts.ttl;
    const { namespace, name } = this.opts.dnsService;
    const svc = this.data.service(namespace, name);
    const items: Item[] = [];
    if (svc && svc.type !== 'ExternalName') {
      const svcName = `${svc.name}.${svc.namespace}.svc.${zone.echo}`;
      if (isHeadless(svc)) {
        for (const eps of this.data.endpoints(svc.namespace, svc.name)) {
          for (const a of eps.addresses) items.push({ host: a.ip, port: 0, ttl, owner: `${this.endpointHostname(a)}.${svcName}` });
        }
      } else if (svc.clusterIPs[0]) {
        items.push({ host: svc.clusterIPs[0], port: 0, ttl, owner: svcName });
      }
    }
    if (items.length > 0) return items;
    return this.opts.localIPs.map((ip) => ({ host: ip, port: 0, ttl, owner: 'ns.dns.' + zone.echo }));
  }

  // --- plugin.A / AAAA / TXT / CNAME / PTR / SRV / NS ----------------------------------------

  /** plugin.A and plugin.AAAA, following CNAMEs inside the zone and marking the one outside. */
  private address(q: Query, family: 'A' | 'AAAA', previous: DnsRecord[]): Omit<Built, 'extra'> {
    const f = this.checkForApex(q, family);
    if (f.nameError) return { records: [], nameError: true };
    const records: DnsRecord[] = [];
    let chase: Built['chase'];
    const seen = new Set<string>();
    for (const item of f.items) {
      const t = hostType(item);
      if (t.kind === 'CNAME') {
        const target = fqdn(item.host);
        const targetLabels = splitLabels(target.toLowerCase());
        // x CNAME x, or a target below the name itself, would loop.
        if (isSubdomain(q.labels, targetLabels)) continue;
        const cname: DnsRecord = { name: q.qname, ttl: item.ttl, type: 'CNAME', data: target };
        if (previous.length > MAX_CNAME_CHAIN) continue;
        if (previous.some((p) => p.type === 'CNAME' && p.data === target)) continue;
        if (isSubdomain(q.zone.labels, targetLabels)) {
          const next = this.address(this.sameZone(q, target), family, [...previous, cname]);
          if (!next.nameError && next.records.length > 0) {
            records.push(cname, ...next.records);
            chase ??= next.chase;
          }
          continue;
        }
        records.push(cname);
        chase ??= { name: target, type: family };
        continue;
      }
      if (t.kind === family && !seen.has(item.host)) {
        seen.add(item.host);
        records.push({ name: q.qname, ttl: item.ttl, type: family, data: t.ip });
      }
    }
    return { records, nameError: false, ...(chase ? { chase } : {}) };
  }

  /** At the apex, CoreDNS first asks for the special name `apex.dns.<zone>`. */
  private checkForApex(q: Query, qtype: string): Found {
    if (!this.atApex(q)) return this.services(q, qtype);
    const apex = this.services(this.sameZone(q, 'apex.dns.' + q.zone.echo), qtype);
    return apex.nameError ? this.services(q, qtype) : apex;
  }

  private txt(q: Query): Built {
    const f = this.services(q, 'TXT');
    const records: DnsRecord[] = [];
    for (const item of f.items) {
      if (item.text !== undefined) records.push({ name: q.qname, ttl: item.ttl, type: 'TXT', data: [item.text] });
    }
    return { records, extra: [], nameError: f.nameError };
  }

  private cname(q: Query): Built {
    const f = this.services(q, 'CNAME');
    const first = f.items[0];
    const records: DnsRecord[] =
      first && hostType(first).kind === 'CNAME' ? [{ name: q.qname, ttl: first.ttl, type: 'CNAME', data: fqdn(first.host) }] : [];
    return { records, extra: [], nameError: f.nameError };
  }

  private ptr(q: Query): Built {
    const ip = addressFromReverse(q.labels);
    if (!ip) return { records: [], extra: [], nameError: this.records(q).nameError };
    const hosts = this.hostsForIP(ip);
    const records: DnsRecord[] = [...new Set(hosts)].map((host) => ({ name: q.qname, ttl: this.opts.ttl, type: 'PTR', data: host }));
    return { records, extra: [], nameError: records.length === 0 };
  }

  /** serviceRecordForIP: a Service's cluster or external IP wins; otherwise every endpoint with it. */
  private hostsForIP(ip: string): string[] {
    const svc = this.data.servicesByIP(ip)[0];
    if (svc) return [`${svc.name}.${svc.namespace}.svc.${this.primaryZone}`];
    const hosts: string[] = [];
    const add = (eps: DnsEndpoints, a: DnsEndpointAddress) =>
      hosts.push(`${this.endpointHostname(a)}.${eps.serviceName}.${eps.namespace}.svc.${this.primaryZone}`);
    for (const eps of this.data.endpointsByIP(ip)) {
      for (const a of eps.addresses) if (a.ip === ip) add(eps, a);
    }
    return hosts;
  }

  /** plugin.SRV: one record per distinct target and port, weights shared out over every item. */
  private srv(q: Query): Built {
    const f = this.services(q, 'SRV');
    if (f.nameError) return { records: [], extra: [], nameError: true };
    // Every item has priority 0 and weight 0 (counted as 100), including the port -1
    // sentinels and the duplicates that are dropped below: CoreDNS divides before it filters.
    const total = f.items.length * 100;
    const records: DnsRecord[] = [];
    const extra: DnsRecord[] = [];
    const seen = new Set<string>();
    for (const item of f.items) {
      if (item.port === -1) continue;
      const weight = Math.max(1, Math.floor((100 / total) * 100));
      const t = hostType(item);
      if (t.kind !== 'A' && t.kind !== 'AAAA') continue;
      const target = item.owner;
      if (!seen.has(`srv ${target} ${item.port}`)) {
        seen.add(`srv ${target} ${item.port}`);
        records.push({ name: q.qname, ttl: item.ttl, type: 'SRV', data: { priority: 0, weight, port: item.port, target } });
      }
      if (!seen.has(`addr ${target} ${item.host}`)) {
        seen.add(`addr ${target} ${item.host}`);
        extra.push({ name: target, ttl: item.ttl, type: t.kind, data: t.ip });
      }
    }
    return { records, extra, nameError: false };
  }

  /** plugin.NS at the apex: the DNS server's names, with their addresses as glue. */
  private ns(q: Query): Built {
    const f = this.services(q, 'NS');
    const records: DnsRecord[] = [];
    const extra: DnsRecord[] = [];
    const seen = new Set<string>();
    for (const item of f.items) {
      const t = hostType(item);
      if (t.kind !== 'A' && t.kind !== 'AAAA') continue;
      extra.push({ name: item.owner, ttl: item.ttl, type: t.kind, data: t.ip });
      if (seen.has(item.owner)) continue;
      seen.add(item.owner);
      records.push({ name: q.qname, ttl: item.ttl, type: 'NS', data: item.owner });
    }
    return { records, extra, nameError: false };
  }
}

function negative(rcode: Rcode): LookupResult {
  return { rcode, authoritative: true, answers: [], authorities: [], additionals: [] };
}

/**
 * Answers one question. `data` is the cluster view; `options` default to the kubeadm Corefile's
 * (zone cluster.local, TTL 30, pods insecure).
 */
export function lookup(question: DnsQuestion, data: DnsData, options: Partial<LookupOptions> = {}): LookupResult {
  return new ZoneLookup(data, { ...DEFAULT_LOOKUP_OPTIONS, ...options }).answer(question);
}
