// Cluster state for the DNS tests, written straight into a Store (no registry, no controllers),
// and a `dig`-like helper that prints a lookup as zone-file lines. The cluster mirrors the
// shapes of CoreDNS's own handler tests: ClusterIP, empty, dual-stack, headless (with and
// without ports, with not-ready endpoints), ExternalName and LoadBalancer Services.

import { R } from '../../../emulator/src/api/resources';
import type { Endpoint, EndpointSlice, KubeObject, Pod, Service } from '../../../emulator/src/api/types';
import { FakeClock } from '../../../emulator/src/clock';
import type { DnsData } from '../../../emulator/src/dns/dnsData';
import { DnsIndex } from '../../../emulator/src/dns/dnsIndex';
import { lookup, type LookupOptions, type LookupResult } from '../../../emulator/src/dns/lookup';
import { recordText } from '../../../emulator/src/dns/records';
import { Store } from '../../../emulator/src/store/store';

export function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function service(ns: string, name: string, spec: Service['spec'], status?: Service['status']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec, ...(status ? { status } : {}) };
}

export function clusterIP(ns: string, name: string, ips: string[], ports: Service['spec']['ports']): Service {
  return service(ns, name, { type: 'ClusterIP', clusterIP: ips[0], clusterIPs: ips, ports });
}

export function headless(ns: string, name: string, ports: Service['spec']['ports'] = []): Service {
  return service(ns, name, { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports });
}

export function endpoint(ip: string, extra: Partial<Endpoint> = {}): Endpoint {
  return { addresses: [ip], ...extra };
}

export function slice(
  ns: string,
  name: string,
  serviceName: string,
  endpoints: Endpoint[],
  ports: EndpointSlice['ports'],
  addressType = 'IPv4',
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: ns, labels: { 'kubernetes.io/service-name': serviceName } },
    addressType,
    endpoints,
    ...(ports ? { ports } : {}),
  };
}

export function pod(ns: string, name: string, ip: string, phase = 'Running'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase, podIP: ip, podIPs: [{ ip }] },
  };
}

const http = { name: 'http', port: 80, protocol: 'TCP' };

/** The Services, slices and pods every table below is read against. */
export function seedCluster(store: Store): void {
  for (const ns of ['default', 'kube-system', 'kube-public']) store.create(R.namespaces, namespace(ns));
  const svcs: Service[] = [
    clusterIP('default', 'web', ['10.96.0.20'], [http]),
    clusterIP('default', 'empty', ['10.96.0.21'], [http]),
    clusterIP('default', 'dual', ['10.96.0.30', 'fd00:10:96::30'], [http]),
    headless('default', 'hdls', [http]),
    headless('default', 'portless'),
    headless('default', 'unready', [http]),
    service('default', 'ext', { type: 'ExternalName', externalName: 'www.example.com' }),
    service('default', 'ext-in', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' }),
    service('default', 'ext-ip', { type: 'ExternalName', externalName: '1.2.3.4' }),
    service(
      'default',
      'lb',
      { type: 'LoadBalancer', clusterIP: '10.96.0.40', clusterIPs: ['10.96.0.40'], ports: [{ ...http, nodePort: 30080 }] },
      { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
    ),
    clusterIP('kube-system', 'kube-dns', ['10.96.0.10'], [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ]),
  ];
  for (const s of svcs) store.create(R.services, s);

  const epPort = [{ name: 'http', port: 8080, protocol: 'TCP' }];
  const slices: EndpointSlice[] = [
    slice('default', 'web-abcde', 'web', [endpoint('10.244.0.2', { conditions: { ready: true } })], epPort),
    slice(
      'default',
      'hdls-v4',
      'hdls',
      [
        endpoint('10.244.0.2'),
        endpoint('10.244.0.3', { conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' } }),
        endpoint('10.244.0.4', { hostname: 'web-0', conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-0', namespace: 'default' } }),
        endpoint('10.244.0.5', { conditions: { ready: false } }),
      ],
      epPort,
    ),
    slice('default', 'hdls-v6', 'hdls', [endpoint('fd00:244::2', { conditions: { ready: true } })], epPort, 'IPv6'),
    slice('default', 'portless-x', 'portless', [endpoint('10.244.0.20')], undefined),
    slice('default', 'unready-x', 'unready', [endpoint('10.244.0.30', { conditions: { ready: false } })], epPort),
  ];
  for (const s of slices) store.create(R.endpointslices, s);
  store.create(R.pods, pod('default', 'web-0', '10.244.0.4'));
  store.create(R.pods, pod('default', 'done', '10.244.0.7', 'Succeeded'));
}

export interface DnsWorld {
  store: Store;
  clock: FakeClock;
  index: DnsIndex;
  /** The SOA serial the index reports now. */
  serial(): number;
}

export function dnsWorld(seed: (store: Store) => void = seedCluster): DnsWorld {
  const store = new Store();
  const clock = new FakeClock();
  seed(store);
  const index = new DnsIndex(store, { clock });
  return { store, clock, index, serial: () => index.serial() };
}

/** What dig shows of an answer: the rcode and each section as zone-file lines. */
export interface DigText {
  rcode: string;
  answer: string[];
  authority: string[];
  additional: string[];
}

export function digText(r: LookupResult): DigText {
  return {
    rcode: r.rcode,
    answer: r.answers.map(recordText),
    authority: r.authorities.map(recordText),
    additional: r.additionals.map(recordText),
  };
}

/** `dig(data, 'web.default.svc.cluster.local. A')`: one question, answered by lookup(). */
export function dig(data: DnsData, query: string, options: Partial<LookupOptions> = {}): DigText {
  const [name = '', type = 'A'] = query.trim().split(/\s+/);
  return digText(lookup({ name, type }, data, options));
}

/**
 * A zone-file line written with spaces, turned into dig's tab-separated form: the first four
 * fields (owner, TTL, class, type) each end with a tab, the rdata keeps its spaces.
 */
export function rr(line: string): string {
  const fields = line.trim().split(/\s+/);
  return [...fields.slice(0, 4), fields.slice(4).join(' ')].join('\t');
}

/** The SOA of negative answers in the cluster zone, with the index's current serial. */
export function soa(serial: number, zone = 'cluster.local.', ttl = 30): string {
  return rr(`${zone} ${ttl} IN SOA ns.dns.${zone} hostmaster.${zone} ${serial} 7200 1800 86400 ${ttl}`);
}
