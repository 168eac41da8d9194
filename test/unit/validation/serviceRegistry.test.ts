import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  type ClusterIPFamilies,
  type Service,
  defaultService,
  dropTypeDependentFields,
  errorString,
  initIPFamilyFields,
  normalizeClusterIPs,
  patchAllocatedValues,
  validateServiceCreate,
} from '../../../server/src/validation';
import { clusterIPService, loadBalancerService, nodePortService } from './serviceFixtures';

const V4: ClusterIPFamilies = { families: ['IPv4'] };
const DUAL: ClusterIPFamilies = { families: ['IPv4', 'IPv6'] };

function manifest(spec: Service['spec'], name = 'web'): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

describe('defaultService (SetDefaults_Service)', () => {
  it('fills type, affinity, protocol, targetPort and internalTrafficPolicy for a ClusterIP manifest', () => {
    const input = manifest({ selector: { app: 'web' }, ports: [{ port: 80 }] });
    const out = defaultService(input);
    assert.deepEqual(out.spec, {
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
    });
    assert.deepEqual(input.spec, { selector: { app: 'web' }, ports: [{ port: 80 }] }, 'the input is not modified');
  });
  it('defaults externalTrafficPolicy and allocateLoadBalancerNodePorts for a LoadBalancer, and targetPort "" to port', () => {
    const out = defaultService(manifest({ type: 'LoadBalancer', ports: [{ port: 443, targetPort: '' }] }));
    assert.equal(out.spec.externalTrafficPolicy, 'Cluster');
    assert.equal(out.spec.allocateLoadBalancerNodePorts, true);
    assert.equal(out.spec.ports?.[0]?.targetPort, 443);
  });
  it('defaults externalTrafficPolicy for a ClusterIP with externalIPs only', () => {
    assert.equal(defaultService(manifest({ ports: [{ port: 80 }] })).spec.externalTrafficPolicy, undefined);
    assert.equal(defaultService(manifest({ ports: [{ port: 80 }], externalIPs: ['192.0.2.1'] })).spec.externalTrafficPolicy, 'Cluster');
  });
  it('gives ClientIP affinity the 10800-second timeout and drops config under None', () => {
    assert.deepEqual(defaultService(manifest({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] })).spec.sessionAffinityConfig, {
      clientIP: { timeoutSeconds: 10800 },
    });
    const none = defaultService(manifest({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } }, ports: [{ port: 80 }] }));
    assert.equal(none.spec.sessionAffinityConfig, undefined);
  });
  it('leaves internalTrafficPolicy unset for ExternalName', () => {
    assert.equal(defaultService(manifest({ type: 'ExternalName', externalName: 'x.example.com' })).spec.internalTrafficPolicy, undefined);
  });
  it('sets ipMode VIP on LoadBalancer ingress IPs', () => {
    const s = manifest({ type: 'LoadBalancer', ports: [{ port: 80 }] });
    s.status = { loadBalancer: { ingress: [{ ip: '192.0.2.10' }, { hostname: 'lb.example.com' }] } };
    assert.deepEqual(defaultService(s).status?.loadBalancer?.ingress, [{ ip: '192.0.2.10', ipMode: 'VIP' }, { hostname: 'lb.example.com' }]);
  });
});

describe('normalizeClusterIPs', () => {
  it('on create copies clusterIP into clusterIPs, returning a new object', () => {
    const s = clusterIPService();
    delete s.spec.clusterIPs;
    const out = normalizeClusterIPs(s);
    assert.deepEqual(out.spec.clusterIPs, ['10.96.0.10']);
    assert.equal(s.spec.clusterIPs, undefined);
  });
  it('on update restores clusterIPs an old client dropped', () => {
    const old = clusterIPService();
    const next = clusterIPService();
    delete next.spec.clusterIPs;
    assert.deepEqual(normalizeClusterIPs(next, old).spec.clusterIPs, ['10.96.0.10']);
  });
  it('on update follows a changed singular clusterIP', () => {
    const old = clusterIPService();
    const next = clusterIPService();
    next.spec.clusterIP = '10.96.0.20';
    assert.deepEqual(normalizeClusterIPs(next, old).spec.clusterIPs, ['10.96.0.20']);
  });
});

describe('patchAllocatedValues', () => {
  it('keeps the allocated clusterIP and nodePorts (by port name) when a manifest is re-applied', () => {
    const old = nodePortService();
    old.spec.ports = [
      { name: 'http', protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 },
      { name: 'https', protocol: 'TCP', port: 443, targetPort: 443, nodePort: 31443 },
    ];
    const next = defaultService(
      manifest({ type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'https', port: 443 }, { name: 'http', port: 80 }] }, 'web-nodeport'),
    );
    const out = patchAllocatedValues(next, old);
    assert.equal(out.spec.clusterIP, '10.96.0.10');
    assert.deepEqual(out.spec.clusterIPs, ['10.96.0.10']);
    assert.deepEqual(
      out.spec.ports?.map((p) => p.nodePort),
      [31443, 30080],
    );
  });
  it('does not reuse an old nodePort that another new port already claims', () => {
    const old = nodePortService();
    old.spec.ports = [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 }];
    const next = nodePortService();
    next.spec.ports = [
      { name: 'admin', protocol: 'TCP', port: 81, targetPort: 81, nodePort: 30080 },
      { name: 'http', protocol: 'TCP', port: 80, targetPort: 80 },
    ];
    assert.deepEqual(
      patchAllocatedValues(next, old).spec.ports?.map((p) => p.nodePort),
      [30080, undefined],
    );
  });
});

describe('dropTypeDependentFields', () => {
  it('NodePort → ClusterIP clears untouched nodePorts and externalTrafficPolicy', () => {
    const old = nodePortService();
    const next = nodePortService();
    next.spec.type = 'ClusterIP';
    const out = dropTypeDependentFields(next, old);
    assert.equal(out.spec.ports?.[0]?.nodePort, undefined);
    assert.equal(out.spec.externalTrafficPolicy, undefined);
    assert.deepEqual(validateServiceCreate(out).map(errorString), []);
  });
  it('keeps a nodePort the user added while switching, so validation can reject it', () => {
    const old = nodePortService();
    const next = nodePortService();
    next.spec.type = 'ClusterIP';
    next.spec.ports = [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30099 }];
    assert.equal(dropTypeDependentFields(next, old).spec.ports?.[0]?.nodePort, 30099);
  });
  it('LoadBalancer → ClusterIP drops allocateLoadBalancerNodePorts, class and the LB status', () => {
    const old = loadBalancerService();
    old.spec.loadBalancerClass = 'example.com/lb';
    old.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1', ipMode: 'VIP' }] } };
    const next = structuredClone(old);
    next.spec.type = 'ClusterIP';
    const out = dropTypeDependentFields(next, old);
    assert.equal(out.spec.allocateLoadBalancerNodePorts, undefined);
    assert.equal(out.spec.loadBalancerClass, undefined);
    assert.deepEqual(out.status?.loadBalancer, {});
  });
  it('ClusterIP → ExternalName clears clusterIP(s), ipFamilies and ipFamilyPolicy', () => {
    const old = clusterIPService();
    const next = clusterIPService();
    next.spec.type = 'ExternalName';
    next.spec.externalName = 'db.example.com';
    const out = dropTypeDependentFields(next, old);
    assert.deepEqual([out.spec.clusterIP, out.spec.clusterIPs, out.spec.ipFamilies, out.spec.ipFamilyPolicy], [undefined, undefined, undefined, undefined]);
  });
});

function init(svc: Service, cluster: ClusterIPFamilies = V4, old?: Service): { errors: string[]; svc: Service } {
  const s = normalizeClusterIPs(defaultService(svc), old);
  const errors = initIPFamilyFields(s, old, cluster).map(errorString);
  return { errors, svc: s };
}

describe('initIPFamilyFields', () => {
  it('defaults SingleStack and the primary family on a single-stack cluster', () => {
    const { errors, svc } = init(manifest({ selector: { app: 'web' }, ports: [{ port: 80 }] }));
    assert.deepEqual(errors, []);
    assert.equal(svc.spec.ipFamilyPolicy, 'SingleStack');
    assert.deepEqual(svc.spec.ipFamilies, ['IPv4']);
  });
  it('adds the second family for PreferDualStack on a dual-stack cluster', () => {
    const { svc } = init(manifest({ ipFamilyPolicy: 'PreferDualStack', ports: [{ port: 80 }] }), DUAL);
    assert.deepEqual(svc.spec.ipFamilies, ['IPv4', 'IPv6']);
  });
  it('rejects RequireDualStack on a single-stack cluster', () => {
    const { errors } = init(manifest({ ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] }));
    assert.deepEqual(errors, ['spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services']);
  });
  it('rejects a family the cluster does not serve', () => {
    const { errors } = init(manifest({ ipFamilies: ['IPv6'], ports: [{ port: 80 }] }));
    assert.deepEqual(errors, ['spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster']);
  });
  it('rejects a requested IPv6 cluster IP on an IPv4 cluster', () => {
    const { errors } = init(manifest({ clusterIP: 'fd00::10', ports: [{ port: 80 }] }));
    assert.deepEqual(errors, ['spec.clusterIPs[0]: Invalid value: ["fd00::10"]: IPv6 is not configured on this cluster']);
  });
  it('rejects SingleStack with two families', () => {
    const { errors } = init(manifest({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4', 'IPv6'], ports: [{ port: 80 }] }), DUAL);
    assert.deepEqual(errors, [
      'spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple IP families are specified',
    ]);
  });
  it('returns the pre-validation errors alone for a malformed clusterIP', () => {
    const { errors } = init(manifest({ clusterIP: '10.96.0.300', ipFamilies: ['IPv6'], ports: [{ port: 80 }] }));
    assert.deepEqual(errors, ['spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
  });
  it('makes a selectorless headless Service RequireDualStack with both families, even on a single-stack cluster', () => {
    const { errors, svc } = init(manifest({ clusterIP: 'None', ports: [{ port: 80 }] }));
    assert.deepEqual(errors, []);
    assert.equal(svc.spec.ipFamilyPolicy, 'RequireDualStack');
    assert.deepEqual(svc.spec.ipFamilies, ['IPv4', 'IPv6']);
  });
  it('keeps the old policy on update when the new object omits it', () => {
    const old = clusterIPService();
    old.spec.ipFamilyPolicy = 'PreferDualStack';
    const next = manifest({ selector: { app: 'web' }, ports: [{ port: 80 }], clusterIP: '10.96.0.10' });
    const { svc } = init(next, V4, old);
    assert.equal(svc.spec.ipFamilyPolicy, 'PreferDualStack');
  });
  it('does nothing for ExternalName', () => {
    const { errors, svc } = init(manifest({ type: 'ExternalName', externalName: 'db.example.com' }));
    assert.deepEqual([errors, svc.spec.ipFamilyPolicy, svc.spec.ipFamilies], [[], undefined, undefined]);
  });
});
