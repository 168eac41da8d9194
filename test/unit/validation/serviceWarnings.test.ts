import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serviceWarnings } from '../../../server/src/validation';
import { clusterIPService, externalNameService, headlessService, loadBalancerService } from './serviceFixtures';

describe('serviceWarnings (GetWarningsForService)', () => {
  it('is silent for an ordinary Service', () => {
    assert.deepEqual(serviceWarnings(clusterIPService()), []);
  });
  it('flags the deprecated topology-aware-hints annotation', () => {
    const s = clusterIPService();
    s.metadata.annotations = { 'service.kubernetes.io/topology-aware-hints': 'Auto' };
    assert.deepEqual(serviceWarnings(s), ['annotation service.kubernetes.io/topology-aware-hints is deprecated, please use service.kubernetes.io/topology-mode instead']);
  });
  it('flags non-canonical cluster IPs', () => {
    const s = clusterIPService();
    s.spec.clusterIP = '010.096.000.010';
    s.spec.clusterIPs = ['010.096.000.010', 'FD00:0:0::10'];
    assert.deepEqual(serviceWarnings(s), [
      'spec.clusterIPs[0]: non-standard IP address "010.096.000.010" will be considered invalid in a future Kubernetes release: use "10.96.0.10"',
      'spec.clusterIPs[1]: IPv6 address "FD00:0:0::10" should be in RFC 5952 canonical format ("fd00::10")',
    ]);
  });
  it('flags ignored fields on a headless Service', () => {
    const s = headlessService();
    s.spec.loadBalancerIP = '192.0.2.1';
    s.spec.externalIPs = ['192.0.2.2'];
    s.spec.sessionAffinity = 'ClientIP';
    assert.deepEqual(serviceWarnings(s), [
      'spec.loadBalancerIP is ignored for headless services',
      'spec.externalIPs is ignored for headless services',
      'spec.SessionAffinity is ignored for headless services',
    ]);
  });
  it('flags externalIPs as deprecated and an IPv4-mapped external IP as non-standard', () => {
    const s = clusterIPService();
    s.spec.externalIPs = ['::ffff:192.0.2.5'];
    assert.deepEqual(serviceWarnings(s), [
      'spec.externalIPs is deprecated and may no longer be implemented in some clusters',
      'spec.externalIPs[0]: non-standard IP address "::ffff:192.0.2.5" will be considered invalid in a future Kubernetes release: use "192.0.2.5"',
    ]);
  });
  it('flags ambiguous and non-canonical source ranges', () => {
    const s = loadBalancerService();
    s.spec.loadBalancerSourceRanges = ['10.0.0.1/8', '2001:DB8::/64', '10.0.0.0/08'];
    assert.deepEqual(serviceWarnings(s), [
      'spec.loadBalancerSourceRanges[0]: CIDR value "10.0.0.1/8" is ambiguous in this context (should be "10.0.0.0/8" or "10.0.0.1/32"?)',
      'spec.loadBalancerSourceRanges[1]: IPv6 CIDR value "2001:DB8::/64" should be in RFC 5952 canonical format ("2001:db8::/64")',
      'spec.loadBalancerSourceRanges[2]: non-standard CIDR value "10.0.0.0/08" will be considered invalid in a future Kubernetes release: use "10.0.0.0/8"',
    ]);
  });
  it('flags fields the type ignores and the deprecated PreferClose', () => {
    const en = externalNameService();
    en.spec.externalIPs = ['192.0.2.2'];
    assert.deepEqual(serviceWarnings(en), ['spec.externalIPs is ignored when spec.type is "ExternalName"']);
    const c = clusterIPService();
    c.spec.externalName = 'db.example.com';
    c.spec.trafficDistribution = 'PreferClose';
    assert.deepEqual(serviceWarnings(c), [
      'spec.externalName is ignored when spec.type is not "ExternalName"',
      'spec.trafficDistribution: "PreferClose" is deprecated; use "PreferSameZone"',
    ]);
  });
});
