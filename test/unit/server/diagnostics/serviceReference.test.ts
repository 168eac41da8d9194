// The Service rules of /work/shared/reference/service-validation.md, case by case, as the
// editor shows them: the code (the apiserver's field path), the message kubectl prints after
// `The Service "web" is invalid: `, and the text underlined. Each case lists every error the
// manifest gets, so a stray extra error fails the case too. Row ids refer to the reference.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errors, service } from './checkYaml';

const PORT = '  ports:\n  - port: 80\n';
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const ONLY_LB = "may only be used when `type` is 'LoadBalancer'";

interface Case {
  id: string;
  yaml: string;
  want: { code: string; message: string; text: string }[];
}

const cases: Case[] = [
  // §2 metadata
  {
    id: 'M2 name missing: on the metadata key',
    yaml: service(PORT, '  labels: {app: web}\n'),
    want: [{ code: 'metadata.name', message: 'metadata.name: Required value: name or generateName is required', text: 'metadata' }],
  },
  {
    id: 'M3 name not a DNS-1035 label',
    yaml: service(PORT, '  name: 1web\n'),
    want: [{ code: 'metadata.name', message: `metadata.name: Invalid value: "1web": ${DNS1035}`, text: '1web' }],
  },
  {
    id: 'M5 namespace not a DNS-1123 label',
    yaml: service(PORT, '  name: web\n  namespace: Shop\n'),
    want: [{ code: 'metadata.namespace', message: `metadata.namespace: Invalid value: "Shop": ${DNS1123_LABEL}`, text: 'Shop' }],
  },
  {
    id: 'M7 a bad label value, on that value though the path names the map',
    yaml: service(PORT, '  name: web\n  labels:\n    app: "-web"\n'),
    want: [{ code: 'metadata.labels', message: `metadata.labels: Invalid value: "-web": ${LABEL_VALUE}`, text: '"-web"' }],
  },
  {
    id: 'M8 a bad annotation key, on that key',
    yaml: service(PORT, '  name: web\n  annotations:\n    "bad key": x\n'),
    want: [{ code: 'metadata.annotations', message: `metadata.annotations: Invalid value: "bad key": ${NAME_PART}`, text: '"bad key"' }],
  },
  // §3 spec
  {
    id: 'S2 no ports: on the spec key',
    yaml: service('  selector: {app: web}\n'),
    want: [{ code: 'spec.ports', message: 'spec.ports: Required value', text: 'spec' }],
  },
  {
    id: "S3 LoadBalancer with clusterIP None: on clusterIP, which the file wrote",
    yaml: service(`  type: LoadBalancer\n  clusterIP: None\n${PORT}`),
    want: [{ code: 'spec.clusterIPs[0]', message: `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for LoadBalancer services`, text: 'None' }],
  },
  {
    id: 'S5 ExternalName with a clusterIP',
    yaml: service('  type: ExternalName\n  externalName: db.example.com\n  clusterIP: 10.96.0.5\n'),
    want: [{ code: 'spec.clusterIPs', message: 'spec.clusterIPs: Forbidden: may not be set for ExternalName services', text: 'clusterIP' }],
  },
  {
    id: 'S8 ExternalName without externalName',
    yaml: service('  type: ExternalName\n'),
    want: [{ code: 'spec.externalName', message: 'spec.externalName: Required value', text: 'spec' }],
  },
  {
    id: 'S8 externalName not a DNS subdomain (one trailing dot stripped first)',
    yaml: service('  type: ExternalName\n  externalName: "db_1.example.com."\n'),
    want: [
      {
        code: 'spec.externalName',
        message:
          "spec.externalName: Invalid value: \"db_1.example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        text: '"db_1.example.com."',
      },
    ],
  },
  {
    id: 'S10 a bad selector key, on that key',
    yaml: service(`  selector:\n    "app/": web\n${PORT}`),
    want: [
      { code: 'spec.selector', message: 'spec.selector: Invalid value: "app/": name part must be non-empty', text: '"app/"' },
      { code: 'spec.selector', message: `spec.selector: Invalid value: "app/": ${NAME_PART}`, text: '"app/"' },
    ],
  },
  {
    id: 'S12 sessionAffinity not supported',
    yaml: service(`  sessionAffinity: Sticky\n${PORT}`),
    want: [{ code: 'spec.sessionAffinity', message: 'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"', text: 'Sticky' }],
  },
  {
    id: 'S16 affinity timeout 0',
    yaml: service(`  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 0\n${PORT}`),
    want: [
      {
        code: 'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
        message: 'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
        text: '0',
      },
    ],
  },
  {
    id: 'S20 an externalIP in the loopback range',
    yaml: service(`  externalIPs: [127.0.0.2]\n${PORT}`),
    want: [{ code: 'spec.externalIPs[0]', message: 'spec.externalIPs[0]: Invalid value: "127.0.0.2": may not be in the loopback range (127.0.0.0/8, ::1/128)', text: '127.0.0.2' }],
  },
  {
    id: 'S22 type not supported',
    yaml: service(`  type: Public\n${PORT}`),
    want: [
      {
        code: 'spec.type',
        message: 'spec.type: Unsupported value: "Public": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
        text: 'Public',
      },
    ],
  },
  {
    id: 'S23 nodePort on a ClusterIP Service',
    yaml: service('  ports:\n  - port: 80\n    nodePort: 30080\n'),
    want: [{ code: 'spec.ports[0].nodePort', message: "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'", text: 'nodePort' }],
  },
  {
    id: 'S24 the same nodePort twice: the allocator and validation both say so',
    yaml: service('  type: NodePort\n  ports:\n  - {name: a, port: 80, nodePort: 30080}\n  - {name: b, port: 81, nodePort: 30080}\n'),
    want: [
      { code: 'spec.ports[1].nodePort', message: 'spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated', text: '30080' },
      { code: 'spec.ports[1].nodePort', message: 'spec.ports[1].nodePort: Duplicate value: 30080', text: '30080' },
    ],
  },
  {
    id: 'S26 loadBalancerSourceRanges on a ClusterIP Service (capital L in the path)',
    yaml: service(`  loadBalancerSourceRanges: [10.0.0.0/8]\n${PORT}`),
    want: [{ code: 'spec.LoadBalancerSourceRanges', message: `spec.LoadBalancerSourceRanges: Forbidden: ${ONLY_LB}`, text: 'loadBalancerSourceRanges' }],
  },
  {
    id: 'S27 a source range that is no CIDR',
    yaml: service(`  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/33]\n${PORT}`),
    want: [
      {
        code: 'spec.LoadBalancerSourceRanges[0]',
        message: 'spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
        text: '10.0.0.0/33',
      },
    ],
  },
  {
    id: 'S30 allocateLoadBalancerNodePorts on a NodePort Service',
    yaml: service(`  type: NodePort\n  allocateLoadBalancerNodePorts: false\n${PORT}`),
    want: [{ code: 'spec.allocateLoadBalancerNodePorts', message: `spec.allocateLoadBalancerNodePorts: Forbidden: ${ONLY_LB}`, text: 'allocateLoadBalancerNodePorts' }],
  },
  {
    id: 'S32 loadBalancerClass not a qualified name',
    yaml: service(`  type: LoadBalancer\n  loadBalancerClass: "-x"\n${PORT}`),
    want: [{ code: 'spec.loadBalancerClass', message: `spec.loadBalancerClass: Invalid value: "-x": ${NAME_PART}`, text: '"-x"' }],
  },
  {
    id: 'S33 loadBalancerClass on a ClusterIP Service',
    yaml: service(`  loadBalancerClass: example.com/lb\n${PORT}`),
    want: [{ code: 'spec.loadBalancerClass', message: `spec.loadBalancerClass: Forbidden: ${ONLY_LB}`, text: 'loadBalancerClass' }],
  },
  {
    id: 'S34 externalTrafficPolicy on a ClusterIP Service',
    yaml: service(`  externalTrafficPolicy: Local\n${PORT}`),
    want: [
      {
        code: 'spec.externalTrafficPolicy',
        message: 'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
        text: 'Local',
      },
    ],
  },
  {
    id: 'S36 externalTrafficPolicy not supported',
    yaml: service(`  type: NodePort\n  externalTrafficPolicy: Nearest\n${PORT}`),
    want: [
      {
        code: 'spec.externalTrafficPolicy',
        message: 'spec.externalTrafficPolicy: Unsupported value: "Nearest": supported values: "Cluster", "Local"',
        text: 'Nearest',
      },
    ],
  },
  {
    id: 'S37 healthCheckNodePort without LoadBalancer + Local',
    yaml: service(`  type: NodePort\n  healthCheckNodePort: 30100\n${PORT}`),
    want: [
      {
        code: 'spec.healthCheckNodePort',
        message: "spec.healthCheckNodePort: Invalid value: 30100: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        text: '30100',
      },
    ],
  },
  {
    id: 'S41 internalTrafficPolicy not supported',
    yaml: service(`  internalTrafficPolicy: Node\n${PORT}`),
    want: [{ code: 'spec.internalTrafficPolicy', message: 'spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"', text: 'Node' }],
  },
  {
    id: 'S42 trafficDistribution not supported (declared order)',
    yaml: service(`  trafficDistribution: Nearby\n${PORT}`),
    want: [
      {
        code: 'spec.trafficDistribution',
        message: 'spec.trafficDistribution: Unsupported value: "Nearby": supported values: "PreferClose", "PreferSameZone", "PreferSameNode"',
        text: 'Nearby',
      },
    ],
  },
  // §4 ports
  {
    id: 'P1 a name is required once there are two ports: on the port item',
    yaml: service('  ports:\n  - port: 80\n  - name: b\n    port: 81\n'),
    want: [{ code: 'spec.ports[0].name', message: 'spec.ports[0].name: Required value', text: 'port' }],
  },
  {
    id: 'P2 a port name with dots',
    yaml: service('  ports:\n  - name: http.web\n    port: 80\n'),
    want: [{ code: 'spec.ports[0].name', message: 'spec.ports[0].name: Invalid value: "http.web": must not contain dots', text: 'http.web' }],
  },
  {
    id: 'P3 a port name used twice',
    yaml: service('  ports:\n  - {name: http, port: 80}\n  - {name: http, port: 81}\n'),
    want: [{ code: 'spec.ports[1].name', message: 'spec.ports[1].name: Duplicate value: "http"', text: 'http' }],
  },
  {
    id: 'P4+P7 port 0, whose defaulted targetPort is 0 too',
    yaml: service('  ports:\n  - port: 0\n'),
    want: [
      { code: 'spec.ports[0].port', message: 'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive', text: '0' },
      { code: 'spec.ports[0].targetPort', message: 'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive', text: 'port' },
    ],
  },
  {
    id: 'P6 protocol is case-sensitive',
    yaml: service('  ports:\n  - port: 80\n    protocol: tcp\n'),
    want: [{ code: 'spec.ports[0].protocol', message: 'spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"', text: 'tcp' }],
  },
  {
    id: 'P7 targetPort out of range',
    yaml: service('  ports:\n  - port: 80\n    targetPort: 70000\n'),
    want: [{ code: 'spec.ports[0].targetPort', message: 'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive', text: '70000' }],
  },
  {
    id: 'P8 a named targetPort must be an IANA service name',
    yaml: service('  ports:\n  - port: 80\n    targetPort: http_web\n'),
    want: [
      {
        code: 'spec.ports[0].targetPort',
        message: 'spec.ports[0].targetPort: Invalid value: "http_web": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        text: 'http_web',
      },
    ],
  },
  {
    id: 'P9 appProtocol not a qualified name',
    yaml: service('  ports:\n  - port: 80\n    appProtocol: "a/b/c"\n'),
    want: [
      {
        code: 'spec.ports[0].appProtocol',
        message:
          "spec.ports[0].appProtocol: Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        text: '"a/b/c"',
      },
    ],
  },
  // §5 clusterIPs
  {
    id: 'C2 clusterIPs must start with clusterIP',
    yaml: service(`  clusterIP: 10.96.0.5\n  clusterIPs: [10.96.0.6]\n${PORT}`),
    want: [{ code: 'spec.clusterIPs', message: 'spec.clusterIPs: Invalid value: ["10.96.0.6"]: first value must match `clusterIP`', text: '[10.96.0.6]' }],
  },
  {
    id: 'C3 clusterIPs without clusterIP',
    yaml: service(`  clusterIPs: [10.96.0.6]\n${PORT}`),
    want: [{ code: 'spec.clusterIPs', message: 'spec.clusterIPs: Invalid value: ["10.96.0.6"]: must be empty when `clusterIP` is not specified', text: '[10.96.0.6]' }],
  },
  {
    id: 'C4 an unknown IP family',
    yaml: service(`  ipFamilies: [IPv5]\n${PORT}`),
    want: [{ code: 'spec.ipFamilies[0]', message: 'spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"', text: 'IPv5' }],
  },
  {
    id: 'C6 an unknown ipFamilyPolicy',
    yaml: service(`  ipFamilyPolicy: DualStack\n${PORT}`),
    want: [
      {
        code: 'spec.ipFamilyPolicy',
        message: 'spec.ipFamilyPolicy: Unsupported value: "DualStack": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"',
        text: 'DualStack',
      },
    ],
  },
  {
    id: 'C8 clusterIP not an IP: on clusterIP, which the file wrote',
    yaml: service(`  clusterIP: 10.96.0.300\n${PORT}`),
    want: [
      {
        code: 'spec.clusterIPs[0]',
        message: 'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        text: '10.96.0.300',
      },
    ],
  },
  {
    id: 'C11 an IPv6 clusterIP where ipFamilies says IPv4',
    yaml: service(`  clusterIP: fd00::1\n  ipFamilies: [IPv4]\n${PORT}`),
    want: [
      {
        code: 'spec.clusterIPs[0]',
        message: 'spec.clusterIPs[0]: Invalid value: "fd00::1": expected an IPv4 value as indicated by `ipFamilies[0]`',
        text: 'fd00::1',
      },
    ],
  },
  // §10 allocation (before validation in the apiserver)
  {
    id: '10.2 a nodePort outside 30000-32767',
    yaml: service('  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 8080\n'),
    want: [
      {
        code: 'spec.ports[0].nodePort',
        message: 'spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
        text: '8080',
      },
    ],
  },
  {
    id: '10.2 a requested healthCheckNodePort outside the range is an internal error',
    yaml: service(`  type: LoadBalancer\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 80\n${PORT}`),
    want: [
      {
        code: 'spec.healthCheckNodePort',
        message: 'Internal error occurred: failed to allocate requested HealthCheck NodePort 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
        text: '80',
      },
    ],
  },
  {
    id: '10.3 RequireDualStack on the single-stack emulator',
    yaml: service(`  ipFamilyPolicy: RequireDualStack\n${PORT}`),
    want: [
      {
        code: 'spec.ipFamilyPolicy',
        message: 'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
        text: 'RequireDualStack',
      },
    ],
  },
];

describe('Service validation as the editor shows it (reference cases)', () => {
  for (const c of cases) {
    it(c.id, () => assert.deepEqual(errors(c.yaml), c.want));
  }
});

describe('manifests the apiserver accepts get no error', () => {
  const valid: Record<string, string> = {
    'defaults fill protocol, targetPort, type and affinity': service(PORT),
    'the lesson\'s Service with its comments': service(
      '  type: ClusterIP\n  selector:\n    app: web # select every pod with label app=web\n  ports:\n  - port: 80 # the Service\'s port\n    targetPort: 80 # the port on the pod\n',
    ),
    'a NodePort Service without a nodePort (allocated)': service(`  type: NodePort\n${PORT}`),
    'a LoadBalancer with traffic policy Local (healthCheckNodePort allocated)': service(`  type: LoadBalancer\n  externalTrafficPolicy: Local\n${PORT}`),
    'ports sharing a number and a nodePort across protocols': service(
      '  type: NodePort\n  ports:\n  - {name: dns, port: 53, protocol: UDP, nodePort: 30053}\n  - {name: dns-tcp, port: 53, protocol: TCP, nodePort: 30053}\n',
    ),
    'a headless Service without selector': service(`  clusterIP: None\n${PORT}`),
    'an ExternalName Service with a trailing dot': service('  type: ExternalName\n  externalName: db.example.com.\n'),
    'ClientIP affinity at the inclusive maximum of 86400': service(
      `  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 86400}}\n${PORT}`,
    ),
    'PreferDualStack on a single-stack cluster': service(`  ipFamilyPolicy: PreferDualStack\n${PORT}`),
    'a named targetPort': service('  ports:\n  - port: 80\n    targetPort: http\n'),
  };
  for (const [name, yaml] of Object.entries(valid)) {
    it(name, () => assert.deepEqual(errors(yaml), []));
  }
});

describe("the apiserver's warnings are warnings", () => {
  it('externalIPs are deprecated: on the externalIPs key', () => {
    assert.deepEqual(errors(service(`  externalIPs: [192.0.2.10]\n${PORT}`), 'warning'), [
      { code: 'spec.externalIPs', message: 'spec.externalIPs is deprecated and may no longer be implemented in some clusters', text: 'externalIPs' },
    ]);
  });
  it('a non-canonical clusterIP: on clusterIP, which the file wrote', () => {
    assert.deepEqual(errors(service(`  clusterIP: 10.96.0.05\n${PORT}`), 'warning'), [
      {
        code: 'spec.clusterIPs[0]',
        message: 'spec.clusterIPs[0]: non-standard IP address "10.96.0.05" will be considered invalid in a future Kubernetes release: use "10.96.0.5"',
        text: '10.96.0.05',
      },
    ]);
    assert.deepEqual(errors(service(`  clusterIP: 10.96.0.05\n${PORT}`)), []);
  });
  it('externalName on a ClusterIP Service, and PreferClose', () => {
    assert.deepEqual(errors(service(`  externalName: db.example.com\n  trafficDistribution: PreferClose\n${PORT}`), 'warning'), [
      { code: 'spec.externalName', message: 'spec.externalName is ignored when spec.type is not "ExternalName"', text: 'externalName' },
      { code: 'spec.trafficDistribution', message: 'spec.trafficDistribution: "PreferClose" is deprecated; use "PreferSameZone"', text: 'trafficDistribution' },
    ]);
  });
  it('sessionAffinity on a headless Service', () => {
    assert.deepEqual(
      errors(service(`  clusterIP: None\n  selector: {app: web}\n  sessionAffinity: ClientIP\n${PORT}`), 'warning'),
      [{ code: 'spec.SessionAffinity', message: 'spec.SessionAffinity is ignored for headless services', text: 'sessionAffinity' }],
    );
  });
});
