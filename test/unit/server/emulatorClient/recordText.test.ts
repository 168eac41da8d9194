// Records as the zone-file lines dig prints, with tabs for `ksl dig` and spaces for the editor.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { fqdn, recordData, recordLine } from '../../../../server/src/emulatorClient/recordText';

test('each record type prints its data with fully qualified names', () => {
  const rows: [Answer, string][] = [
    [{ type: 'A', name: 'web.default.svc.cluster.local', ttl: 30, data: '10.96.12.7' }, 'web.default.svc.cluster.local.\t30\tIN\tA\t10.96.12.7'],
    [{ type: 'SRV', name: '_http._tcp.web.default.svc.cluster.local', ttl: 30, data: { priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' } }, '_http._tcp.web.default.svc.cluster.local.\t30\tIN\tSRV\t0 100 80 web.default.svc.cluster.local.'],
    [{ type: 'PTR', name: '7.12.96.10.in-addr.arpa', ttl: 30, data: 'web.default.svc.cluster.local' }, '7.12.96.10.in-addr.arpa.\t30\tIN\tPTR\tweb.default.svc.cluster.local.'],
    [{ type: 'TXT', name: 'dns-version.cluster.local', ttl: 30, data: [Buffer.from('1.1.0')] }, 'dns-version.cluster.local.\t30\tIN\tTXT\t"1.1.0"'],
    [{ type: 'MX', name: 'example.com.', ttl: 60, data: { preference: 10, exchange: 'mail.example.com' } }, 'example.com.\t60\tIN\tMX\t10 mail.example.com.'],
    [
      { type: 'SOA', name: 'cluster.local', ttl: 30, data: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 7, refresh: 7200, retry: 1800, expire: 86400, minimum: 30 } },
      'cluster.local.\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 7 7200 1800 86400 30',
    ],
  ];
  for (const [rr, line] of rows) assert.equal(recordLine(rr), line);
});

test('the editor separates the columns with spaces', () => {
  assert.equal(recordLine({ type: 'CNAME', name: 'db.default.svc.cluster.local', ttl: 5, data: 'db.example.com' }, ' '), 'db.default.svc.cluster.local. 5 IN CNAME db.example.com.');
});

test('the root is a single dot, and a name that ends with one keeps it', () => {
  assert.equal(fqdn(''), '.');
  assert.equal(fqdn('web.'), 'web.');
  assert.equal(recordData({ type: 'NS', name: '', ttl: 1, data: '' }), '.');
});
