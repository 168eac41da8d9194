// The narrow view of the cluster that DNS answers are computed from. The lookup reads only this
// interface, never the store, so tests can hand it any implementation; DnsIndex is the one the
// server uses. The shapes are CoreDNS's stripped-down objects (plugin/kubernetes/object).

/** A Service port, or the sentinel `{ port: -1, name: '', protocol: '' }` when there is none. */
export interface DnsPort {
  name: string;
  protocol: string;
  port: number;
}

export interface DnsService {
  namespace: string;
  name: string;
  /** spec.type, `ClusterIP` when unset. */
  type: string;
  /** spec.clusterIPs, or [spec.clusterIP]; `['None']` for a headless Service. */
  clusterIPs: readonly string[];
  externalName: string;
  /** spec.ports, or one sentinel port (-1) when the Service declares none. */
  ports: readonly DnsPort[];
  /** spec.externalIPs followed by the load-balancer ingress IPs (or hostnames). */
  externalIPs: readonly string[];
}

export interface DnsEndpointAddress {
  ip: string;
  /** endpoint.hostname, '' when unset. */
  hostname: string;
  /** The target pod's name, '' when unset or too long to be a DNS label. */
  targetRefName: string;
}

/** One EndpointSlice as DNS sees it: only the addresses of ready endpoints. */
export interface DnsEndpoints {
  namespace: string;
  /** The slice's own name. */
  name: string;
  /** The label `kubernetes.io/service-name`. */
  serviceName: string;
  addresses: readonly DnsEndpointAddress[];
  /** The slice's ports, or one sentinel port (-1) when it has none. */
  ports: readonly DnsPort[];
}

export interface DnsData {
  namespaceExists(name: string): boolean;
  service(namespace: string, name: string): DnsService | undefined;
  /** The slices labelled for this Service, in a stable order. */
  endpoints(namespace: string, serviceName: string): readonly DnsEndpoints[];
  /** Services with this IP among their cluster IPs or external IPs, in a stable order. */
  servicesByIP(ip: string): readonly DnsService[];
  /** Slices holding a ready endpoint with this IP, in a stable order. */
  endpointsByIP(ip: string): readonly DnsEndpoints[];
  /** Namespaces of the live (not terminating, not finished) pods whose status.podIP is this IP. */
  podNamespacesByIP(ip: string): readonly string[];
  /** The SOA serial: the Unix time in seconds of the last change DNS cares about. */
  serial(): number;
  /**
   * A number that changes whenever any answer may change (a namespace, Service, ready endpoint
   * or live pod IP came, went or changed), and only then: cached answers are valid while it
   * stays the same.
   */
  generation(): number;
}

export function isHeadless(svc: DnsService): boolean {
  return svc.clusterIPs[0] === 'None';
}
