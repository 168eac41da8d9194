// The cluster DNS answers, table by table, as zone-file lines the way dig prints them. Each
// row is one question against the cluster of dnsFixtures.ts; the expectations follow CoreDNS's
// kubernetes plugin (v1.11.3) with the kubeadm Corefile's options (TTL 30, pods insecure).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookup } from '../../../emulator/src/dns/lookup';
import { dig, dnsWorld, rr, soa, type DigText } from './dnsFixtures';

const world = dnsWorld();
const SERIAL = world.serial();
const SOA = soa(SERIAL);
const SOA_V4 = soa(SERIAL, 'in-addr.arpa.');

interface Row {
  q: string;
  rcode?: string;
  answer?: string[];
  authority?: string[];
  additional?: string[];
}

function ok(q: string, answer: string[], additional: string[] = []): Row {
  return { q, rcode: 'NOERROR', answer, authority: [], additional };
}
const nodata = (q: string, authority = SOA): Row => ({ q, rcode: 'NOERROR', answer: [], authority: [authority], additional: [] });
const nxdomain = (q: string, authority = SOA): Row => ({ q, rcode: 'NXDOMAIN', answer: [], authority: [authority], additional: [] });

function check(rows: Row[], options = {}): void {
  for (const row of rows) {
    const got = dig(world.index, row.q, options);
    const want: DigText = {
      rcode: row.rcode ?? 'NOERROR',
      answer: row.answer ?? [],
      authority: row.authority ?? [],
      additional: row.additional ?? [],
    };
    assert.deepEqual(got, want, row.q);
  }
}

test('a ClusterIP Service answers A with its cluster IP, even without endpoints, and NODATA for other families', () => {
  check([
    ok('web.default.svc.cluster.local. A', [rr('web.default.svc.cluster.local. 30 IN A 10.96.0.20')]),
    ok('empty.default.svc.cluster.local. A', [rr('empty.default.svc.cluster.local. 30 IN A 10.96.0.21')]),
    nodata('web.default.svc.cluster.local. AAAA'),
    ok('dual.default.svc.cluster.local. A', [rr('dual.default.svc.cluster.local. 30 IN A 10.96.0.30')]),
    ok('dual.default.svc.cluster.local. AAAA', [rr('dual.default.svc.cluster.local. 30 IN AAAA fd00:10:96::30')]),
    ok('kube-dns.kube-system.svc.cluster.local. A', [rr('kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10')]),
  ]);
});

test('a headless Service answers with its ready endpoints only, and NXDOMAIN when none is ready', () => {
  check([
    ok('hdls.default.svc.cluster.local. A', [
      rr('hdls.default.svc.cluster.local. 30 IN A 10.244.0.2'),
      rr('hdls.default.svc.cluster.local. 30 IN A 10.244.0.3'),
      rr('hdls.default.svc.cluster.local. 30 IN A 10.244.0.4'),
    ]),
    ok('hdls.default.svc.cluster.local. AAAA', [rr('hdls.default.svc.cluster.local. 30 IN AAAA fd00:244::2')]),
    ok('portless.default.svc.cluster.local. A', [rr('portless.default.svc.cluster.local. 30 IN A 10.244.0.20')]),
    nxdomain('unready.default.svc.cluster.local. A'),
    nxdomain('unready.default.svc.cluster.local. AAAA'),
  ]);
});

test('endpoints resolve by hostname or dashed IP, ready ones only, also below a ClusterIP Service', () => {
  check([
    ok('web-0.hdls.default.svc.cluster.local. A', [rr('web-0.hdls.default.svc.cluster.local. 30 IN A 10.244.0.4')]),
    ok('10-244-0-2.hdls.default.svc.cluster.local. A', [rr('10-244-0-2.hdls.default.svc.cluster.local. 30 IN A 10.244.0.2')]),
    ok('fd00-244--2.hdls.default.svc.cluster.local. AAAA', [rr('fd00-244--2.hdls.default.svc.cluster.local. 30 IN AAAA fd00:244::2')]),
    ok('10-244-0-20.portless.default.svc.cluster.local. A', [rr('10-244-0-20.portless.default.svc.cluster.local. 30 IN A 10.244.0.20')]),
    // The pod with a hostname is not reachable under its dashed IP.
    nxdomain('10-244-0-4.hdls.default.svc.cluster.local. A'),
    nxdomain('10-244-0-5.hdls.default.svc.cluster.local. A'),
    nxdomain('bogus.hdls.default.svc.cluster.local. A'),
    ok('10-244-0-2.web.default.svc.cluster.local. A', [rr('10-244-0-2.web.default.svc.cluster.local. 30 IN A 10.244.0.2')]),
    nxdomain('bogus.web.default.svc.cluster.local. A'),
  ]);
});

test('with endpoint_pod_names, an endpoint without a hostname is named after its pod', () => {
  check(
    [
      ok('web-1.hdls.default.svc.cluster.local. A', [rr('web-1.hdls.default.svc.cluster.local. 30 IN A 10.244.0.3')]),
      nxdomain('10-244-0-3.hdls.default.svc.cluster.local. A'),
      ok('web-0.hdls.default.svc.cluster.local. A', [rr('web-0.hdls.default.svc.cluster.local. 30 IN A 10.244.0.4')]),
      ok('10-244-0-2.hdls.default.svc.cluster.local. A', [rr('10-244-0-2.hdls.default.svc.cluster.local. 30 IN A 10.244.0.2')]),
      ok('3.0.244.10.in-addr.arpa. PTR', [rr('3.0.244.10.in-addr.arpa. 30 IN PTR web-1.hdls.default.svc.cluster.local.')]),
    ],
    { endpointPodNames: true },
  );
  check([nxdomain('web-1.hdls.default.svc.cluster.local. A')]);
});

test('unknown names are NXDOMAIN, apex-like names are NODATA', () => {
  check([
    nxdomain('nope.default.svc.cluster.local. A'),
    nxdomain('nope.default.svc.cluster.local. AAAA'),
    nxdomain('web.nons.svc.cluster.local. A'),
    nxdomain('nons.svc.cluster.local. A'),
    nxdomain('web.default.svcx.cluster.local. A'),
    nxdomain('foo.cluster.local. A'),
    nxdomain('a.b.c.web.default.svc.cluster.local. A'),
    nodata('cluster.local. A'),
    nodata('svc.cluster.local. A'),
    nodata('pod.cluster.local. A'),
    nodata('default.svc.cluster.local. A'),
    nodata('default.pod.cluster.local. A'),
    nodata('default.svc.cluster.local. SRV'),
  ]);
});

test('SRV: a ClusterIP Service names itself with its port; every port when no _port._proto is given', () => {
  const webA = rr('web.default.svc.cluster.local. 30 IN A 10.96.0.20');
  const dnsA = rr('kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10');
  check([
    ok('_http._tcp.web.default.svc.cluster.local. SRV', [rr('_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.')], [webA]),
    ok('web.default.svc.cluster.local. SRV', [rr('web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.')], [webA]),
    ok('_http._tcp.empty.default.svc.cluster.local. SRV', [rr('_http._tcp.empty.default.svc.cluster.local. 30 IN SRV 0 100 80 empty.default.svc.cluster.local.')], [
      rr('empty.default.svc.cluster.local. 30 IN A 10.96.0.21'),
    ]),
    ok('_dns._udp.kube-dns.kube-system.svc.cluster.local. SRV', [rr('_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.')], [dnsA]),
    // Three ports share the weight; the two on port 53 collapse into one record.
    ok(
      'kube-dns.kube-system.svc.cluster.local. SRV',
      [
        rr('kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.'),
        rr('kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.'),
      ],
      [dnsA],
    ),
    // Dual stack: one record for both families, weighed as two.
    ok('dual.default.svc.cluster.local. SRV', [rr('dual.default.svc.cluster.local. 30 IN SRV 0 50 80 dual.default.svc.cluster.local.')], [
      rr('dual.default.svc.cluster.local. 30 IN A 10.96.0.30'),
      rr('dual.default.svc.cluster.local. 30 IN AAAA fd00:10:96::30'),
    ]),
    // The underscores are optional, as in CoreDNS's parser.
    ok('http.tcp.web.default.svc.cluster.local. SRV', [rr('http.tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.')], [webA]),
    nxdomain('_http._udp.web.default.svc.cluster.local. SRV'),
    nxdomain('_https._tcp.web.default.svc.cluster.local. SRV'),
    // CoreDNS answers an address query for an SRV name too.
    ok('_http._tcp.web.default.svc.cluster.local. A', [rr('_http._tcp.web.default.svc.cluster.local. 30 IN A 10.96.0.20')]),
  ]);
});

test('SRV: a headless Service has one record per ready endpoint, weight 100/N, each with its own target', () => {
  check([
    ok(
      '_http._tcp.hdls.default.svc.cluster.local. SRV',
      [
        rr('_http._tcp.hdls.default.svc.cluster.local. 30 IN SRV 0 25 8080 10-244-0-2.hdls.default.svc.cluster.local.'),
        rr('_http._tcp.hdls.default.svc.cluster.local. 30 IN SRV 0 25 8080 10-244-0-3.hdls.default.svc.cluster.local.'),
        rr('_http._tcp.hdls.default.svc.cluster.local. 30 IN SRV 0 25 8080 web-0.hdls.default.svc.cluster.local.'),
        rr('_http._tcp.hdls.default.svc.cluster.local. 30 IN SRV 0 25 8080 fd00-244--2.hdls.default.svc.cluster.local.'),
      ],
      [
        rr('10-244-0-2.hdls.default.svc.cluster.local. 30 IN A 10.244.0.2'),
        rr('10-244-0-3.hdls.default.svc.cluster.local. 30 IN A 10.244.0.3'),
        rr('web-0.hdls.default.svc.cluster.local. 30 IN A 10.244.0.4'),
        rr('fd00-244--2.hdls.default.svc.cluster.local. 30 IN AAAA fd00:244::2'),
      ],
    ),
    // Longer than _port._proto.service.namespace.svc.
    nxdomain('_http._tcp.web-0.hdls.default.svc.cluster.local. SRV'),
    ok('web-0.hdls.default.svc.cluster.local. SRV', [rr('web-0.hdls.default.svc.cluster.local. 30 IN SRV 0 100 8080 web-0.hdls.default.svc.cluster.local.')], [
      rr('web-0.hdls.default.svc.cluster.local. 30 IN A 10.244.0.4'),
    ]),
    // Port-less endpoints resolve but have nothing to put in an SRV record.
    nodata('portless.default.svc.cluster.local. SRV'),
    nxdomain('_http._tcp.unready.default.svc.cluster.local. SRV'),
  ]);
});

test('PTR: cluster and load-balancer IPs name their Service, endpoint IPs every Service they serve', () => {
  check([
    ok('20.0.96.10.in-addr.arpa. PTR', [rr('20.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.')]),
    ok('10.0.96.10.in-addr.arpa. PTR', [rr('10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.')]),
    ok('1.0.0.127.in-addr.arpa. PTR', [rr('1.0.0.127.in-addr.arpa. 30 IN PTR lb.default.svc.cluster.local.')]),
    ok('4.0.244.10.in-addr.arpa. PTR', [rr('4.0.244.10.in-addr.arpa. 30 IN PTR web-0.hdls.default.svc.cluster.local.')]),
    ok('2.0.244.10.in-addr.arpa. PTR', [
      rr('2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.hdls.default.svc.cluster.local.'),
      rr('2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web.default.svc.cluster.local.'),
    ]),
    ok('0.3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa. PTR', [
      rr('0.3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa. 30 IN PTR dual.default.svc.cluster.local.'),
    ]),
    ok('2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.0.d.f.ip6.arpa. PTR', [
      rr('2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.0.d.f.ip6.arpa. 30 IN PTR fd00-244--2.hdls.default.svc.cluster.local.'),
    ]),
    // A not-ready endpoint, an unknown IP, a partial name: NXDOMAIN with the reverse zone's SOA.
    nxdomain('5.0.244.10.in-addr.arpa. PTR', SOA_V4),
    nxdomain('99.99.99.10.in-addr.arpa. PTR', SOA_V4),
    nxdomain('0.244.10.in-addr.arpa. PTR', SOA_V4),
    nxdomain('05.0.244.10.in-addr.arpa. PTR', SOA_V4),
    nxdomain('20.0.96.10.in-addr.arpa. A', SOA_V4),
    // PTR of a forward name: the name exists, so NODATA.
    nodata('web.default.svc.cluster.local. PTR'),
    nxdomain('nope.default.svc.cluster.local. PTR'),
  ]);
});

test('NXDOMAIN in a reverse zone is marked to fall through, as `fallthrough in-addr.arpa ip6.arpa` does', () => {
  assert.equal(lookup({ name: '9.9.244.10.in-addr.arpa', type: 'PTR' }, world.index).next, 'fallthrough');
  assert.equal(lookup({ name: '20.0.96.10.in-addr.arpa', type: 'PTR' }, world.index).next, undefined);
  assert.equal(lookup({ name: 'nope.default.svc.cluster.local', type: 'A' }, world.index).next, undefined);
});

test('ExternalName: a CNAME for every type that has one, followed inside the zone; sub-names are NXDOMAIN', () => {
  const cname = rr('ext.default.svc.cluster.local. 30 IN CNAME www.example.com.');
  check([
    ok('ext.default.svc.cluster.local. CNAME', [cname]),
    ok('ext.default.svc.cluster.local. A', [cname]),
    ok('ext.default.svc.cluster.local. AAAA', [cname]),
    ok('ext-in.default.svc.cluster.local. A', [
      rr('ext-in.default.svc.cluster.local. 30 IN CNAME web.default.svc.cluster.local.'),
      rr('web.default.svc.cluster.local. 30 IN A 10.96.0.20'),
    ]),
    nxdomain('sub.ext.default.svc.cluster.local. A'),
    nxdomain('sub.ext.default.svc.cluster.local. CNAME'),
    nxdomain('_http._tcp.ext.default.svc.cluster.local. SRV'),
    nodata('ext.default.svc.cluster.local. SRV'),
    nodata('ext.default.svc.cluster.local. TXT'),
    // An IP is not a valid CNAME target: CoreDNS serves nothing for it.
    nxdomain('ext-ip.default.svc.cluster.local. A'),
    nodata('web.default.svc.cluster.local. CNAME'),
  ]);
  const r = lookup({ name: 'ext.default.svc.cluster.local', type: 'A' }, world.index);
  assert.deepEqual(r.chase, { name: 'www.example.com.', type: 'A' });
});

test('pod records: insecure answers any dashed IP in an existing namespace; verified needs a live pod; disabled none', () => {
  check([
    ok('10-244-0-9.default.pod.cluster.local. A', [rr('10-244-0-9.default.pod.cluster.local. 30 IN A 10.244.0.9')]),
    nodata('10-244-0-9.default.pod.cluster.local. AAAA'),
    ok('fd00-244--9.default.pod.cluster.local. AAAA', [rr('fd00-244--9.default.pod.cluster.local. 30 IN AAAA fd00:244::9')]),
    nxdomain('not-an-ip.default.pod.cluster.local. A'),
    nxdomain('10-244-0-999.default.pod.cluster.local. A'),
    nxdomain('10-244-0-9.nons.pod.cluster.local. A'),
  ]);
  check(
    [
      ok('10-244-0-4.default.pod.cluster.local. A', [rr('10-244-0-4.default.pod.cluster.local. 30 IN A 10.244.0.4')]),
      nxdomain('10-244-0-4.kube-system.pod.cluster.local. A'),
      nxdomain('10-244-0-9.default.pod.cluster.local. A'),
      // A finished pod no longer vouches for its IP.
      nxdomain('10-244-0-7.default.pod.cluster.local. A'),
    ],
    { podMode: 'verified' },
  );
  check([nxdomain('10-244-0-4.default.pod.cluster.local. A'), nxdomain('default.pod.cluster.local. A')], { podMode: 'disabled' });
});

test('TXT: dns-version carries the schema version; other names are NODATA if they exist, else NXDOMAIN', () => {
  check([
    ok('dns-version.cluster.local. TXT', [rr('dns-version.cluster.local. 28800 IN TXT "1.1.0"')]),
    nxdomain('dns-version.cluster.local. A'),
    nodata('web.default.svc.cluster.local. TXT'),
    nxdomain('nope.default.svc.cluster.local. TXT'),
  ]);
});

test('SOA and NS at the apex name the DNS Service; elsewhere they only tell NODATA from NXDOMAIN', () => {
  check([
    ok('cluster.local. SOA', [SOA]),
    ok('cluster.local. NS', [rr('cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.')], [rr('kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10')]),
    ok('ns.dns.cluster.local. A', [rr('ns.dns.cluster.local. 30 IN A 10.96.0.10')]),
    nodata('ns.dns.cluster.local. AAAA'),
    nodata('web.default.svc.cluster.local. SOA'),
    nodata('svc.cluster.local. NS'),
    nodata('default.svc.cluster.local. NS'),
    nxdomain('foo.cluster.local. NS'),
    nxdomain('foo.svc.cluster.local. NS'),
  ]);
});

test('other types only tell NODATA from NXDOMAIN; zone transfers are refused', () => {
  check([
    nodata('web.default.svc.cluster.local. MX'),
    nxdomain('nope.default.svc.cluster.local. MX'),
    nodata('web.default.svc.cluster.local. UNKNOWN_65280'),
    nxdomain('nope.default.svc.cluster.local. UNKNOWN_65280'),
    nodata('web.default.svc.cluster.local. HINFO'),
  ]);
  const axfr = lookup({ name: 'cluster.local', type: 'AXFR' }, world.index);
  assert.equal(axfr.rcode, 'REFUSED');
  assert.equal(axfr.authoritative, false);
});

test('matching ignores case and answers echo the question, down to the zone in SOA owners and SRV targets', () => {
  check([
    ok('WEB.Default.SVC.cluster.local. A', [rr('WEB.Default.SVC.cluster.local. 30 IN A 10.96.0.20')]),
    nxdomain('Nope.Default.svc.ClUsTeR.lOcAl. A', soa(SERIAL, 'ClUsTeR.lOcAl.')),
    ok('_HTTP._Tcp.Web.Default.svc.Cluster.Local. SRV', [rr('_HTTP._Tcp.Web.Default.svc.Cluster.Local. 30 IN SRV 0 100 80 web.default.svc.Cluster.Local.')], [
      rr('web.default.svc.Cluster.Local. 30 IN A 10.96.0.20'),
    ]),
    ok('WEB-0.HDLS.default.svc.cluster.local. A', [rr('WEB-0.HDLS.default.svc.cluster.local. 30 IN A 10.244.0.4')]),
    ok('20.0.96.10.IN-ADDR.ARPA. PTR', [rr('20.0.96.10.IN-ADDR.ARPA. 30 IN PTR web.default.svc.cluster.local.')]),
  ]);
});

test('names outside the served zones are REFUSED, not authoritative, and marked out-of-zone', () => {
  for (const name of ['example.com', 'local', 'cluster.local.example.com', '.']) {
    const r = lookup({ name, type: 'A' }, world.index);
    assert.equal(r.rcode, 'REFUSED', name);
    assert.equal(r.authoritative, false, name);
    assert.equal(r.next, 'out-of-zone', name);
    assert.deepEqual([r.answers, r.authorities, r.additionals], [[], [], []], name);
  }
});

test('the TTL and the cluster zone are options', () => {
  check(
    [
      ok('web.default.svc.cluster.local. A', [rr('web.default.svc.cluster.local. 5 IN A 10.96.0.20')]),
      nxdomain('nope.default.svc.cluster.local. A', soa(SERIAL, 'cluster.local.', 5)),
    ],
    { ttl: 5 },
  );
  check(
    [
      ok('web.default.svc.kube.test. A', [rr('web.default.svc.kube.test. 30 IN A 10.96.0.20')]),
      ok('20.0.96.10.in-addr.arpa. PTR', [rr('20.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.kube.test.')]),
    ],
    { zone: 'kube.test' },
  );
  assert.equal(lookup({ name: 'web.default.svc.cluster.local', type: 'A' }, world.index, { zone: 'kube.test' }).rcode, 'REFUSED');
});
