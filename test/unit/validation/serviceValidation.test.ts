import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Service, defaultService, errorString, validateServiceCreate, validateServiceUpdate } from '../../../server/src/validation';
import { clusterIPService, externalNameService, headlessService, loadBalancerService, nodePortService } from './serviceFixtures';

const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const BAD_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const BAD_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const LB_ONLY = "may only be used when `type` is 'LoadBalancer'";

function create(svc: Service): string[] {
  return validateServiceCreate(svc).map(errorString);
}

interface Case {
  rule: string;
  make: () => Service;
  want: string[];
}

function with_(base: () => Service, change: (s: Service) => void): () => Service {
  return () => {
    const s = base();
    change(s);
    return s;
  };
}

const specCases: Case[] = [
  {
    rule: 'S1 topology-mode disagrees with topology-aware-hints',
    make: with_(clusterIPService, (s) => {
      s.metadata.annotations = { 'service.kubernetes.io/topology-mode': 'Auto', 'service.kubernetes.io/topology-aware-hints': 'Disabled' };
    }),
    want: [
      'metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "Auto": must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified',
    ],
  },
  { rule: 'S2 no ports', make: with_(clusterIPService, (s) => (s.spec.ports = [])), want: ['spec.ports: Required value'] },
  {
    rule: 'S3 headless LoadBalancer',
    make: with_(loadBalancerService, (s) => {
      s.spec.clusterIP = 'None';
      s.spec.clusterIPs = ['None'];
    }),
    want: ['spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for LoadBalancer services'],
  },
  {
    rule: 'S4 headless NodePort',
    make: with_(nodePortService, (s) => {
      s.spec.clusterIP = 'None';
      s.spec.clusterIPs = ['None'];
    }),
    want: ['spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services'],
  },
  {
    rule: 'S5-S7 ExternalName with cluster IP fields',
    make: with_(externalNameService, (s) => {
      s.spec.clusterIP = '10.96.0.10';
      s.spec.clusterIPs = ['10.96.0.10'];
      s.spec.ipFamilies = ['IPv4'];
      s.spec.ipFamilyPolicy = 'SingleStack';
    }),
    want: [
      'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
      'spec.ipFamilies: Forbidden: may not be set for ExternalName services',
      'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services',
    ],
  },
  { rule: 'S8 empty externalName', make: with_(externalNameService, (s) => (s.spec.externalName = '')), want: ['spec.externalName: Required value'] },
  {
    rule: 'S8 externalName not a subdomain (one trailing dot stripped)',
    make: with_(externalNameService, (s) => (s.spec.externalName = 'Bad_Name.')),
    want: [`spec.externalName: Invalid value: "Bad_Name": ${DNS1123_SUBDOMAIN}`],
  },
  {
    rule: 'S10 selector value and key reported at spec.selector',
    make: with_(clusterIPService, (s) => (s.spec.selector = { app: 'web app', '-tier': 'x' })),
    want: [`spec.selector: Invalid value: "web app": ${LABEL_VALUE}`, `spec.selector: Invalid value: "-tier": ${NAME_PART}`],
  },
  { rule: 'S11 empty sessionAffinity', make: with_(clusterIPService, (s) => (s.spec.sessionAffinity = '')), want: ['spec.sessionAffinity: Required value'] },
  {
    rule: 'S12 unknown sessionAffinity',
    make: with_(clusterIPService, (s) => (s.spec.sessionAffinity = 'Sticky')),
    want: ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'],
  },
  {
    rule: 'S13 ClientIP without config',
    make: with_(clusterIPService, (s) => (s.spec.sessionAffinity = 'ClientIP')),
    want: ['spec.sessionAffinityConfig: Required value: when session affinity type is ClientIP'],
  },
  {
    rule: 'S14 ClientIP without clientIP',
    make: with_(clusterIPService, (s) => {
      s.spec.sessionAffinity = 'ClientIP';
      s.spec.sessionAffinityConfig = {};
    }),
    want: ['spec.sessionAffinityConfig.clientIP: Required value: when session affinity type is ClientIP'],
  },
  {
    rule: 'S15 ClientIP without timeoutSeconds',
    make: with_(clusterIPService, (s) => {
      s.spec.sessionAffinity = 'ClientIP';
      s.spec.sessionAffinityConfig = { clientIP: {} };
    }),
    want: ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Required value: when session affinity type is ClientIP'],
  },
  {
    rule: 'S16 timeout above 86400',
    make: with_(clusterIPService, (s) => {
      s.spec.sessionAffinity = 'ClientIP';
      s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 86401 } };
    }),
    want: ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400'],
  },
  {
    rule: 'S16 timeout of zero',
    make: with_(clusterIPService, (s) => {
      s.spec.sessionAffinity = 'ClientIP';
      s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 0 } };
    }),
    want: ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400'],
  },
  {
    rule: 'S17 config with affinity None',
    make: with_(clusterIPService, (s) => (s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10 } })),
    want: ['spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None'],
  },
  {
    rule: 'S19 externalIP not an IP',
    make: with_(clusterIPService, (s) => {
      s.spec.externalIPs = ['not-an-ip'];
      s.spec.externalTrafficPolicy = 'Cluster';
    }),
    want: [`spec.externalIPs[0]: Invalid value: "not-an-ip": ${BAD_IP}`],
  },
  {
    rule: 'S20 special externalIPs',
    make: with_(clusterIPService, (s) => {
      s.spec.externalIPs = ['127.0.0.1', '0.0.0.0', '169.254.1.1', '224.0.0.5', 'fe80::1'];
      s.spec.externalTrafficPolicy = 'Cluster';
    }),
    want: [
      'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'spec.externalIPs[1]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
      'spec.externalIPs[2]: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      'spec.externalIPs[3]: Invalid value: "224.0.0.5": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
      'spec.externalIPs[4]: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    ],
  },
  { rule: 'S21 empty type', make: with_(clusterIPService, (s) => (s.spec.type = '')), want: ['spec.type: Required value'] },
  {
    rule: 'S22 unknown type',
    make: with_(clusterIPService, (s) => (s.spec.type = 'Internal')),
    want: ['spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
  },
  {
    rule: 'S23 nodePort on ClusterIP',
    make: with_(clusterIPService, (s) => (s.spec.ports = [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 }])),
    want: ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
  },
  {
    rule: 'S24 same nodePort twice',
    make: with_(nodePortService, (s) => {
      s.spec.ports = [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 },
        { name: 'alt', protocol: 'TCP', port: 8080, targetPort: 8080, nodePort: 30080 },
      ];
    }),
    want: ['spec.ports[1].nodePort: Duplicate value: 30080'],
  },
  {
    rule: 'S25 same port and protocol twice',
    make: with_(clusterIPService, (s) => {
      s.spec.ports = [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 80 },
        { name: 'web', protocol: 'TCP', port: 80, targetPort: 8080 },
      ];
    }),
    want: ['spec.ports[1]: Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}'],
  },
  {
    rule: 'S26 loadBalancerSourceRanges on ClusterIP (capital L)',
    make: with_(clusterIPService, (s) => (s.spec.loadBalancerSourceRanges = ['10.0.0.0/8'])),
    want: [`spec.LoadBalancerSourceRanges: Forbidden: ${LB_ONLY}`],
  },
  {
    rule: 'S27 bad source range (space-trimmed)',
    make: with_(loadBalancerService, (s) => (s.spec.loadBalancerSourceRanges = [' 10.0.0.0/8 ', '10.0.0.0/33'])),
    want: [`spec.LoadBalancerSourceRanges[1]: Invalid value: "10.0.0.0/33": ${BAD_CIDR}`],
  },
  {
    rule: 'S28 source-ranges annotation on ClusterIP, even empty',
    make: with_(clusterIPService, (s) => (s.metadata.annotations = { 'service.beta.kubernetes.io/load-balancer-source-ranges': '' })),
    want: [`metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Forbidden: ${LB_ONLY}`],
  },
  {
    rule: 'S29 bad CIDR in the source-ranges annotation',
    make: with_(loadBalancerService, (s) => (s.metadata.annotations = { 'service.beta.kubernetes.io/load-balancer-source-ranges': '10.0.0.0/8, bogus' })),
    want: [`metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Invalid value: "bogus": ${BAD_CIDR}`],
  },
  {
    rule: 'S30 allocateLoadBalancerNodePorts on ClusterIP',
    make: with_(clusterIPService, (s) => (s.spec.allocateLoadBalancerNodePorts = false)),
    want: [`spec.allocateLoadBalancerNodePorts: Forbidden: ${LB_ONLY}`],
  },
  {
    rule: 'S31 LoadBalancer without allocateLoadBalancerNodePorts (no spec. prefix)',
    make: with_(loadBalancerService, (s) => delete s.spec.allocateLoadBalancerNodePorts),
    want: ['allocateLoadBalancerNodePorts: Required value'],
  },
  {
    rule: 'S32 loadBalancerClass not a qualified name',
    make: with_(loadBalancerService, (s) => (s.spec.loadBalancerClass = 'a/b/c')),
    want: [
      "spec.loadBalancerClass: Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ],
  },
  {
    rule: 'S33 loadBalancerClass on NodePort',
    make: with_(nodePortService, (s) => (s.spec.loadBalancerClass = 'example.com/lb')),
    want: [`spec.loadBalancerClass: Forbidden: ${LB_ONLY}`],
  },
  {
    rule: 'S34 externalTrafficPolicy on plain ClusterIP',
    make: with_(clusterIPService, (s) => (s.spec.externalTrafficPolicy = 'Local')),
    want: ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'],
  },
  { rule: 'S35 NodePort without externalTrafficPolicy', make: with_(nodePortService, (s) => delete s.spec.externalTrafficPolicy), want: ['spec.externalTrafficPolicy: Required value'] },
  {
    rule: 'S36 unknown externalTrafficPolicy',
    make: with_(nodePortService, (s) => (s.spec.externalTrafficPolicy = 'Global')),
    want: ['spec.externalTrafficPolicy: Unsupported value: "Global": supported values: "Cluster", "Local"'],
  },
  {
    rule: 'S37 healthCheckNodePort without LB+Local',
    make: with_(nodePortService, (s) => (s.spec.healthCheckNodePort = 30500)),
    want: ["spec.healthCheckNodePort: Invalid value: 30500: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"],
  },
  {
    rule: 'S38 LB+Local without healthCheckNodePort',
    make: with_(loadBalancerService, (s) => (s.spec.externalTrafficPolicy = 'Local')),
    want: ['spec.healthCheckNodePort: Required value'],
  },
  {
    rule: 'S39 healthCheckNodePort out of range',
    make: with_(loadBalancerService, (s) => {
      s.spec.externalTrafficPolicy = 'Local';
      s.spec.healthCheckNodePort = 70000;
    }),
    want: ['spec.healthCheckNodePort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
  },
  { rule: 'S40 missing internalTrafficPolicy', make: with_(clusterIPService, (s) => delete s.spec.internalTrafficPolicy), want: ['spec.internalTrafficPolicy: Required value'] },
  {
    rule: 'S41 unknown internalTrafficPolicy',
    make: with_(clusterIPService, (s) => (s.spec.internalTrafficPolicy = 'Node')),
    want: ['spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"'],
  },
  {
    rule: 'S42 unknown trafficDistribution (declared order)',
    make: with_(clusterIPService, (s) => (s.spec.trafficDistribution = 'Nearest')),
    want: ['spec.trafficDistribution: Unsupported value: "Nearest": supported values: "PreferClose", "PreferSameZone", "PreferSameNode"'],
  },
];

const portCases: Case[] = [
  {
    rule: 'P1 unnamed port among several',
    make: with_(clusterIPService, (s) => {
      s.spec.ports = [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 80 },
        { protocol: 'TCP', port: 443, targetPort: 443 },
      ];
    }),
    want: ['spec.ports[1].name: Required value'],
  },
  {
    rule: 'P2 dotted port name',
    make: with_(clusterIPService, (s) => (s.spec.ports = [{ name: 'web.http', protocol: 'TCP', port: 80, targetPort: 80 }])),
    want: ['spec.ports[0].name: Invalid value: "web.http": must not contain dots'],
  },
  {
    rule: 'P2 upper-case port name',
    make: with_(clusterIPService, (s) => (s.spec.ports = [{ name: 'HTTP', protocol: 'TCP', port: 80, targetPort: 80 }])),
    want: [`spec.ports[0].name: Invalid value: "HTTP": ${DNS1123_LABEL}`],
  },
  {
    rule: 'P3 duplicate port name',
    make: with_(clusterIPService, (s) => {
      s.spec.ports = [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 80 },
        { name: 'http', protocol: 'TCP', port: 81, targetPort: 81 },
      ];
    }),
    want: ['spec.ports[1].name: Duplicate value: "http"'],
  },
  {
    rule: 'P4 port 0',
    make: with_(clusterIPService, (s) => (s.spec.ports = [{ protocol: 'TCP', port: 0, targetPort: 80 }])),
    want: ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
  },
  {
    rule: 'P5 empty protocol',
    make: with_(clusterIPService, (s) => (s.spec.ports = [{ protocol: '', port: 80, targetPort: 80 }])),
    want: ['spec.ports[0].protocol: Required value'],
  },
  {
    rule: 'P6 lower-case protocol',
    make: with_(clusterIPService, (s) => (s.spec.ports = [{ protocol: 'tcp', port: 80, targetPort: 80 }])),
    want: ['spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'],
  },
  {
    rule: 'P7 targetPort out of range',
    make: with_(clusterIPService, (s) => (s.spec.ports = [{ protocol: 'TCP', port: 80, targetPort: 70000 }])),
    want: ['spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
  },
  {
    rule: 'P8 named targetPort breaking two IANA rules',
    make: with_(clusterIPService, (s) => (s.spec.ports = [{ protocol: 'TCP', port: 80, targetPort: 'http--web-server' }])),
    want: [
      'spec.ports[0].targetPort: Invalid value: "http--web-server": must be no more than 15 characters',
      'spec.ports[0].targetPort: Invalid value: "http--web-server": must not contain consecutive hyphens',
    ],
  },
  {
    rule: 'P8 named targetPort in upper case',
    make: with_(clusterIPService, (s) => (s.spec.ports = [{ protocol: 'TCP', port: 80, targetPort: 'HTTP' }])),
    want: [
      'spec.ports[0].targetPort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.ports[0].targetPort: Invalid value: "HTTP": must contain at least one letter (a-z)',
    ],
  },
  {
    rule: 'P9 appProtocol not a qualified name',
    make: with_(clusterIPService, (s) => (s.spec.ports = [{ protocol: 'TCP', port: 80, targetPort: 80, appProtocol: 'my proto' }])),
    want: [`spec.ports[0].appProtocol: Invalid value: "my proto": ${NAME_PART}`],
  },
];

const clusterIPCases: Case[] = [
  { rule: 'C1 clusterIP without clusterIPs', make: with_(clusterIPService, (s) => (s.spec.clusterIPs = [])), want: ['spec.clusterIPs: Required value'] },
  {
    rule: 'C2 clusterIPs[0] differs from clusterIP',
    make: with_(clusterIPService, (s) => (s.spec.clusterIPs = ['10.96.0.11'])),
    want: ['spec.clusterIPs: Invalid value: ["10.96.0.11"]: first value must match `clusterIP`'],
  },
  {
    rule: 'C3 clusterIPs without clusterIP',
    make: with_(clusterIPService, (s) => (s.spec.clusterIP = '')),
    want: ['spec.clusterIPs: Invalid value: ["10.96.0.10"]: must be empty when `clusterIP` is not specified'],
  },
  {
    rule: 'C4 unknown family',
    make: with_(clusterIPService, (s) => (s.spec.ipFamilies = ['IPv5'])),
    want: ['spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"'],
  },
  {
    rule: 'C5 repeated family',
    make: with_(clusterIPService, (s) => {
      s.spec.ipFamilies = ['IPv4', 'IPv4'];
      s.spec.ipFamilyPolicy = 'PreferDualStack';
    }),
    want: ['spec.ipFamilies[1]: Duplicate value: "IPv4"'],
  },
  {
    rule: 'C6 unknown ipFamilyPolicy',
    make: with_(clusterIPService, (s) => (s.spec.ipFamilyPolicy = 'DualStack')),
    want: ['spec.ipFamilyPolicy: Unsupported value: "DualStack": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"'],
  },
  {
    rule: 'C7 None followed by an IP',
    make: with_(clusterIPService, (s) => {
      s.spec.clusterIP = 'None';
      s.spec.clusterIPs = ['None', '10.96.0.10'];
    }),
    want: ['spec.clusterIPs: Invalid value: ["None","10.96.0.10"]: \'None\' must be the first and only value'],
  },
  {
    rule: 'C8 malformed IP stops the family checks',
    make: with_(clusterIPService, (s) => {
      s.spec.clusterIP = '10.96.0.300';
      s.spec.clusterIPs = ['10.96.0.300'];
      s.spec.ipFamilies = ['IPv6'];
    }),
    want: [`spec.clusterIPs[0]: Invalid value: "10.96.0.300": ${BAD_IP}`],
  },
  {
    rule: 'C9 three cluster IPs',
    make: with_(clusterIPService, (s) => {
      s.spec.clusterIPs = ['10.96.0.10', 'fd00::10', '10.96.0.11'];
      s.spec.ipFamilies = ['IPv4', 'IPv6'];
      s.spec.ipFamilyPolicy = 'RequireDualStack';
    }),
    want: ['spec.clusterIPs: Invalid value: ["10.96.0.10","fd00::10","10.96.0.11"]: may only hold up to 2 values'],
  },
  {
    rule: 'C10 two IPs of one family',
    make: with_(clusterIPService, (s) => {
      s.spec.clusterIPs = ['10.96.0.10', '10.96.0.11'];
      s.spec.ipFamilyPolicy = 'RequireDualStack';
    }),
    want: ['spec.clusterIPs: Invalid value: ["10.96.0.10","10.96.0.11"]: may specify no more than one IP for each IP family'],
  },
  {
    rule: 'C11 IP does not match its family',
    make: with_(clusterIPService, (s) => (s.spec.ipFamilies = ['IPv6'])),
    want: ['spec.clusterIPs[0]: Invalid value: "10.96.0.10": expected an IPv6 value as indicated by `ipFamilies[0]`'],
  },
];

const metaCases: Case[] = [
  {
    rule: 'M1 generateName that is not a DNS-1035 prefix',
    make: with_(clusterIPService, (s) => (s.metadata.generateName = 'Web-')),
    want: [`metadata.generateName: Invalid value: "Web-": ${DNS1035}`],
  },
  { rule: 'M2 no name', make: with_(clusterIPService, (s) => delete s.metadata.name), want: ['metadata.name: Required value: name or generateName is required'] },
  { rule: 'M3 name starting with a digit', make: with_(clusterIPService, (s) => (s.metadata.name = '1web')), want: [`metadata.name: Invalid value: "1web": ${DNS1035}`] },
  {
    rule: 'M3 name longer than 63',
    make: with_(clusterIPService, (s) => (s.metadata.name = 'a'.repeat(64))),
    want: [`metadata.name: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
  },
  { rule: 'M4 no namespace', make: with_(clusterIPService, (s) => delete s.metadata.namespace), want: ['metadata.namespace: Required value'] },
  { rule: 'M5 bad namespace', make: with_(clusterIPService, (s) => (s.metadata.namespace = 'My_NS')), want: [`metadata.namespace: Invalid value: "My_NS": ${DNS1123_LABEL}`] },
  { rule: 'M6 negative generation', make: with_(clusterIPService, (s) => (s.metadata.generation = -1)), want: ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'] },
  {
    rule: 'M7 labels: bad key and too-long value, at metadata.labels in key order',
    make: with_(clusterIPService, (s) => (s.metadata.labels = { app: 'a'.repeat(64), 'bad key!': 'x' })),
    want: [`metadata.labels: Invalid value: "${'a'.repeat(64)}": must be no more than 63 bytes`, `metadata.labels: Invalid value: "bad key!": ${NAME_PART}`],
  },
  {
    rule: 'M8 annotation key with an empty prefix',
    make: with_(clusterIPService, (s) => (s.metadata.annotations = { '/foo': 'x' })),
    want: ['metadata.annotations: Invalid value: "/foo": prefix part must be non-empty'],
  },
  {
    rule: 'M9 annotations over 256 KiB',
    make: with_(clusterIPService, (s) => (s.metadata.annotations = { big: 'x'.repeat(262142) })),
    want: ['metadata.annotations: Too long: may not be more than 262144 bytes'],
  },
  {
    rule: 'M10 empty owner reference',
    make: with_(clusterIPService, (s) => (s.metadata.ownerReferences = [{ apiVersion: '', kind: '', name: '', uid: '' }])),
    want: [
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ],
  },
  {
    rule: 'M10 two controllers',
    make: with_(clusterIPService, (s) => {
      s.metadata.ownerReferences = [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
      ];
    }),
    want: [
      'metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"1","controller":true},{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"b","uid":"2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b',
    ],
  },
  {
    rule: 'M10 Event as owner',
    make: with_(clusterIPService, (s) => (s.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: '1' }])),
    want: ['metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"1"}: /v1, Kind=Event is disallowed from being an owner'],
  },
  {
    rule: 'M11 orphan and foregroundDeletion together',
    make: with_(clusterIPService, (s) => (s.metadata.finalizers = ['orphan', 'foregroundDeletion'])),
    want: ['metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set'],
  },
  {
    rule: 'M11+M12 finalizer that is not a qualified name',
    make: with_(clusterIPService, (s) => (s.metadata.finalizers = ['bad finalizer'])),
    want: [
      `metadata.finalizers: Invalid value: "bad finalizer": ${NAME_PART}`,
      'metadata.finalizers[0]: Invalid value: "bad finalizer": name is neither a standard finalizer name nor is it fully qualified',
    ],
  },
  {
    rule: 'M12 unqualified non-standard finalizer',
    make: with_(clusterIPService, (s) => (s.metadata.finalizers = ['example.com/cleanup', 'custom'])),
    want: ['metadata.finalizers[1]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'],
  },
];

for (const [title, cases] of [
  ['validateServiceCreate: spec rules S1-S42', specCases],
  ['validateServiceCreate: port rules P1-P9', portCases],
  ['validateServiceCreate: clusterIP rules C1-C11', clusterIPCases],
  ['validateServiceCreate: metadata rules M1-M12', metaCases],
] as const) {
  describe(title, () => {
    for (const c of cases) {
      it(c.rule, () => assert.deepEqual(create(c.make()), c.want));
    }
  });
}

describe('validateServiceCreate: valid Services', () => {
  const valid: [string, () => Service][] = [
    ['ClusterIP', clusterIPService],
    ['NodePort', nodePortService],
    ['LoadBalancer', loadBalancerService],
    [
      'LoadBalancer with Local traffic policy, class and source ranges',
      with_(loadBalancerService, (s) => {
        s.spec.externalTrafficPolicy = 'Local';
        s.spec.healthCheckNodePort = 32000;
        s.spec.loadBalancerClass = 'example.com/lb';
        s.spec.loadBalancerSourceRanges = ['10.0.0.0/8', ' 192.168.0.0/16'];
      }),
    ],
    ['headless', headlessService],
    ['headless without ports', with_(headlessService, (s) => (s.spec.ports = []))],
    ['ExternalName', externalNameService],
    ['ExternalName with a trailing dot and no ports', with_(externalNameService, (s) => (s.spec.externalName = 'db.example.com.'))],
    [
      'multi-port with named ports, a digit-only name and a named targetPort',
      with_(clusterIPService, (s) => {
        s.spec.ports = [
          { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' },
          { name: 'https', protocol: 'TCP', port: 443, targetPort: 8443 },
          { name: '53', protocol: 'UDP', port: 53, targetPort: 53 },
          { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
        ];
      }),
    ],
    [
      'ClientIP affinity at the 86400 maximum',
      with_(clusterIPService, (s) => {
        s.spec.sessionAffinity = 'ClientIP';
        s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 86400 } };
      }),
    ],
    [
      'dual-stack',
      with_(clusterIPService, (s) => {
        s.spec.clusterIPs = ['10.96.0.10', 'fd00::10'];
        s.spec.ipFamilies = ['IPv4', 'IPv6'];
        s.spec.ipFamilyPolicy = 'PreferDualStack';
      }),
    ],
    ['PreferSameNode traffic distribution', with_(clusterIPService, (s) => (s.spec.trafficDistribution = 'PreferSameNode'))],
    ['generateName with a trailing dash', with_(clusterIPService, (s) => (s.metadata.generateName = 'web-'))],
  ];
  for (const [name, make] of valid) it(name, () => assert.deepEqual(create(make()), []));
});

describe('validateServiceCreate: feature-gate options', () => {
  it('RelaxedServiceNameValidation accepts a leading digit', () => {
    const s = clusterIPService();
    s.metadata.name = '1web';
    assert.deepEqual(validateServiceCreate(s, { relaxedServiceNameValidation: true }).map(errorString), []);
  });
  it('PreferSameTrafficDistribution off allows only PreferClose', () => {
    const s = clusterIPService();
    s.spec.trafficDistribution = 'PreferSameZone';
    assert.deepEqual(validateServiceCreate(s, { preferSameTrafficDistribution: false }).map(errorString), [
      'spec.trafficDistribution: Unsupported value: "PreferSameZone": supported values: "PreferClose"',
    ]);
  });
  it('StrictIPCIDRValidation rejects leading zeros and host bits, but not values already stored', () => {
    const s = loadBalancerService();
    s.spec.externalIPs = ['010.0.0.1'];
    s.spec.loadBalancerSourceRanges = ['10.0.0.1/8'];
    assert.deepEqual(validateServiceCreate(s, { strictIPCIDRValidation: true }).map(errorString), [
      'spec.externalIPs[0]: Invalid value: "010.0.0.1": must not have leading 0s',
      'spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.1/8": must not have bits set beyond the prefix length',
    ]);
    const old = structuredClone(s);
    old.metadata.resourceVersion = '5';
    s.metadata.resourceVersion = '5';
    assert.deepEqual(validateServiceUpdate(s, old, { strictIPCIDRValidation: true }).map(errorString), []);
    assert.deepEqual(validateServiceCreate(s).map(errorString), []);
  });
});

function stored(make: () => Service): Service {
  const s = make();
  s.metadata.resourceVersion = '7';
  s.metadata.uid = 'uid-1';
  return s;
}

function update(next: Service, old: Service): string[] {
  return validateServiceUpdate(next, old).map(errorString);
}

describe('validateServiceUpdate', () => {
  it('accepts an unchanged object', () => {
    const old = stored(clusterIPService);
    assert.deepEqual(update(structuredClone(old), old), []);
  });
  it('requires resourceVersion and keeps name and uid immutable', () => {
    const old = stored(clusterIPService);
    const next = structuredClone(old);
    delete next.metadata.resourceVersion;
    next.metadata.name = 'web2';
    next.metadata.uid = 'uid-2';
    assert.deepEqual(update(next, old), [
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
      'metadata.name: Invalid value: "web2": field is immutable',
      'metadata.uid: Invalid value: "uid-2": field is immutable',
    ]);
  });
  it('rejects a decremented generation', () => {
    const old = stored(clusterIPService);
    old.metadata.generation = 3;
    const next = structuredClone(old);
    next.metadata.generation = 2;
    assert.deepEqual(update(next, old), ['metadata.generation: Invalid value: 2: must not be decremented']);
  });
  it('rejects a changed cluster IP', () => {
    const old = stored(clusterIPService);
    const next = structuredClone(old);
    next.spec.clusterIP = '10.96.0.11';
    next.spec.clusterIPs = ['10.96.0.11'];
    assert.deepEqual(update(next, old), ['spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set']);
  });
  it('rejects unsetting the primary cluster IP (nil list prints as null)', () => {
    const old = stored(clusterIPService);
    const next = structuredClone(old);
    delete next.spec.clusterIP;
    delete next.spec.clusterIPs;
    assert.deepEqual(update(next, old), ['spec.clusterIPs[0]: Invalid value: null: primary clusterIP can not be unset']);
  });
  it('requires SingleStack to release the secondary cluster IP', () => {
    const old = stored(clusterIPService);
    old.spec.clusterIPs = ['10.96.0.10', 'fd00::10'];
    old.spec.ipFamilies = ['IPv4', 'IPv6'];
    old.spec.ipFamilyPolicy = 'RequireDualStack';
    const next = structuredClone(old);
    next.spec.clusterIPs = ['10.96.0.10'];
    assert.deepEqual(update(next, old), [
      'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": must be set to \'SingleStack\' when releasing the secondary clusterIP',
    ]);
  });
  it('rejects a changed IP family, always at index 0', () => {
    const old = stored(clusterIPService);
    const next = structuredClone(old);
    next.spec.ipFamilies = ['IPv6'];
    assert.deepEqual(update(next, old), [
      'spec.ipFamilies[0]: Invalid value: ["IPv6"]: may not change once set',
      'spec.clusterIPs[0]: Invalid value: "10.96.0.10": expected an IPv6 value as indicated by `ipFamilies[0]`',
    ]);
  });
  it('lets a headless Service change families', () => {
    const old = stored(headlessService);
    const next = structuredClone(old);
    next.spec.ipFamilies = ['IPv6'];
    assert.deepEqual(update(next, old), []);
  });
  it('rejects a changed loadBalancerClass', () => {
    const old = stored(loadBalancerService);
    old.spec.loadBalancerClass = 'a.com/x';
    const next = structuredClone(old);
    next.spec.loadBalancerClass = 'b.com/y';
    assert.deepEqual(update(next, old), ['spec.loadBalancerClass: Invalid value: "b.com/y": may not change once set']);
  });
  it('reports a bad new loadBalancerClass twice, as the apiserver does', () => {
    const old = stored(loadBalancerService);
    const next = structuredClone(old);
    next.spec.loadBalancerClass = 'a/b/c';
    const format =
      "spec.loadBalancerClass: Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
    assert.deepEqual(update(next, old), ['spec.loadBalancerClass: Invalid value: "a/b/c": may not change once set', format, format]);
  });
  it('keeps healthCheckNodePort immutable while it is needed', () => {
    const old = stored(loadBalancerService);
    old.spec.externalTrafficPolicy = 'Local';
    old.spec.healthCheckNodePort = 30500;
    const next = structuredClone(old);
    next.spec.healthCheckNodePort = 30501;
    assert.deepEqual(update(next, old), ['spec.healthCheckNodePort: Forbidden: field is immutable']);
  });
  it('re-validates the source-ranges annotation only when it changed', () => {
    const old = stored(loadBalancerService);
    old.metadata.annotations = { 'service.beta.kubernetes.io/load-balancer-source-ranges': 'bogus' };
    const next = structuredClone(old);
    assert.deepEqual(update(next, old), []);
    next.metadata.annotations = { 'service.beta.kubernetes.io/load-balancer-source-ranges': 'bogus2' };
    assert.deepEqual(update(next, old), [`metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Invalid value: "bogus2": ${BAD_CIDR}`]);
  });
});

describe('defaulting reads ports as Go decodes them', () => {
  const decoded = (ports: unknown[]): Service =>
    defaultService({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: ports as never } });

  it('a null port entry is a zero ServicePort, so port and targetPort are 0', () => {
    assert.deepEqual(create(decoded([null])), [
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });

  it('a missing port is 0, not null', () => {
    assert.deepEqual(create(decoded([{ targetPort: 80 }])), ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']);
  });
});
