import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  type Deployment,
  type ReplicaSet,
  type Service,
  defaultService,
  errorString,
  initIPFamilyFields,
  normalizeClusterIPs,
  serviceWarnings,
  validateDeployment,
  validateDeploymentUpdate,
  validateNamespace,
  validatePod,
  validateReplicaSet,
  validateReplicaSetUpdate,
  validateServiceCreate,
} from '../../../server/src/validation';

/** The lesson's Deployment: web, 3 nginx replicas labelled app=web, containerPort 80. */
function webDeployment(): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

function deploy(change: (d: Deployment) => void): string[] {
  const d = webDeployment();
  change(d);
  return validateDeployment(d).map(errorString);
}

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1123_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** Create through the registry steps with a fake allocator, as the emulator's write path does. */
function applyService(manifest: Service): string[] {
  const s = normalizeClusterIPs(defaultService(manifest));
  const pre = initIPFamilyFields(s, undefined, { families: ['IPv4'] });
  if (pre.length > 0) return pre.map(errorString);
  s.spec.clusterIP = '10.106.68.120';
  s.spec.clusterIPs = ['10.106.68.120'];
  s.spec.ports?.forEach((p, i) => {
    if (s.spec.type === 'NodePort' && !p.nodePort) p.nodePort = 30100 + i;
  });
  return validateServiceCreate(s).map(errorString);
}

describe("the lesson's manifests", () => {
  it('Deployment web validates cleanly', () => assert.deepEqual(validateDeployment(webDeployment()).map(errorString), []));
  it('Service web (ClusterIP, port 80) validates cleanly', () => {
    const svc: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] },
    };
    assert.deepEqual(applyService(svc), []);
    assert.deepEqual(serviceWarnings(defaultService(svc)), []);
  });
  it('Service web-nodeport (NodePort 30080) validates cleanly', () => {
    const svc: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web-nodeport', namespace: 'default' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] },
    };
    assert.deepEqual(applyService(svc), []);
  });
});

describe('validateDeployment', () => {
  it('requires a selector, and a missing one matches no template labels', () => {
    assert.deepEqual(
      deploy((d) => delete (d.spec as Partial<Deployment['spec']>).selector),
      ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'],
    );
  });
  it('rejects an empty selector', () => {
    assert.deepEqual(
      deploy((d) => (d.spec.selector = {})),
      ['spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
    );
  });
  it('rejects a selector that does not match the template labels (map printed with sorted keys)', () => {
    assert.deepEqual(
      deploy((d) => (d.spec.template.metadata = { labels: { tier: 'front', app: 'x' } })),
      ['spec.template.metadata.labels: Invalid value: {"app":"x","tier":"front"}: `selector` does not match template `labels`'],
    );
  });
  it('reports a bad selector and then skips the template', () => {
    assert.deepEqual(
      deploy((d) => {
        d.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In' }] };
        d.spec.template.spec.containers = [];
      }),
      [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        'spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"In"}]}: invalid label selector',
      ],
    );
  });
  it('requires at least one container', () => {
    assert.deepEqual(
      deploy((d) => (d.spec.template.spec.containers = [])),
      ['spec.template.spec.containers: Required value'],
    );
  });
  it('checks container name, image, ports and duplicate names in order', () => {
    assert.deepEqual(
      deploy((d) => {
        d.spec.template.spec.containers = [
          { name: 'Web_1', image: 'nginx', ports: [{ name: 'http', containerPort: 0 }, { name: 'http', containerPort: 70000, protocol: 'tcp' }] },
          { name: 'web', ports: [{ name: 'http-web-server-x', containerPort: 8080 }] },
          { name: 'web', image: 'busybox' },
        ];
      }),
      [
        `spec.template.spec.containers[0].name: Invalid value: "Web_1": ${DNS1123_LABEL}`,
        'spec.template.spec.containers[0].ports[0].containerPort: Required value',
        'spec.template.spec.containers[0].ports[1].name: Duplicate value: "http"',
        'spec.template.spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.template.spec.containers[0].ports[1].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
        'spec.template.spec.containers[1].image: Required value',
        'spec.template.spec.containers[1].ports[0].name: Invalid value: "http-web-server-x": must be no more than 15 characters',
        'spec.template.spec.containers[2].name: Duplicate value: "web"',
      ],
    );
  });
  it('requires a container name', () => {
    assert.deepEqual(
      deploy((d) => (d.spec.template.spec.containers = [{ name: '', image: 'nginx' }])),
      ['spec.template.spec.containers[0].name: Required value'],
    );
  });
  it('allows only restartPolicy Always in a template', () => {
    assert.deepEqual(
      deploy((d) => (d.spec.template.spec.restartPolicy = 'Never')),
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    );
    assert.deepEqual(
      deploy((d) => (d.spec.template.spec.restartPolicy = 'Sometimes')),
      [
        'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always"',
      ],
    );
  });
  it('reports template label errors at spec.template.labels', () => {
    assert.deepEqual(
      deploy((d) => {
        d.spec.selector = { matchLabels: { app: 'web' } };
        d.spec.template.metadata = { labels: { app: 'web', 'bad key': 'x' } };
      }),
      [
        "spec.template.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    );
  });
  it('rejects negative replicas and a bad name', () => {
    assert.deepEqual(
      deploy((d) => {
        d.metadata.name = 'Web';
        d.spec.replicas = -1;
      }),
      [`metadata.name: Invalid value: "Web": ${SUBDOMAIN}`, 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    );
  });
  it('rejects a rolling update with maxSurge and maxUnavailable both 0', () => {
    assert.deepEqual(
      deploy((d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } })),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    );
  });
  it('rejects malformed and over-100% percentages', () => {
    assert.deepEqual(
      deploy((d) => (d.spec.strategy = { rollingUpdate: { maxSurge: '50', maxUnavailable: '150%' } })),
      [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"50\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
      ],
    );
  });
  it('forbids rollingUpdate with Recreate and rejects unknown strategy types', () => {
    assert.deepEqual(
      deploy((d) => (d.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } })),
      ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    );
    assert.deepEqual(
      deploy((d) => (d.spec.strategy = { type: 'BlueGreen' })),
      ['spec.strategy: Unsupported value: {"Type":"BlueGreen","RollingUpdate":null}: supported values: "Recreate", "RollingUpdate"'],
    );
  });
  it('requires progressDeadlineSeconds above minReadySeconds', () => {
    assert.deepEqual(
      deploy((d) => {
        d.spec.minReadySeconds = 30;
        d.spec.progressDeadlineSeconds = 30;
      }),
      ['spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds'],
    );
  });
});

describe('validateDeploymentUpdate / validateReplicaSetUpdate', () => {
  it('keeps spec.selector immutable', () => {
    const old = webDeployment();
    old.metadata.resourceVersion = '3';
    const next = structuredClone(old);
    next.spec.selector = { matchLabels: { app: 'web2' } };
    next.spec.template.metadata = { labels: { app: 'web2' } };
    assert.deepEqual(validateDeploymentUpdate(next, old).map(errorString), ['spec.selector: Invalid value: {"matchLabels":{"app":"web2"}}: field is immutable']);
  });
  it('allows scaling and image changes', () => {
    const old = webDeployment();
    old.metadata.resourceVersion = '3';
    const next = structuredClone(old);
    next.spec.replicas = 5;
    next.spec.template.spec.containers[0]!.image = 'nginx:1.27';
    assert.deepEqual(validateDeploymentUpdate(next, old).map(errorString), []);
  });
  it('applies the same selector rule to ReplicaSets', () => {
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-5d9f', namespace: 'default', resourceVersion: '1' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: webDeployment().spec.template },
    };
    assert.deepEqual(validateReplicaSet(rs).map(errorString), []);
    const next = structuredClone(rs);
    next.spec.selector = { matchLabels: { app: 'web', extra: 'x' } };
    assert.deepEqual(validateReplicaSetUpdate(next, rs).map(errorString), [
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","extra":"x"}}: field is immutable',
    ]);
  });
});

describe('validatePod', () => {
  it('accepts a simple pod and rejects whitespace around the image', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'tmp', namespace: 'default' },
      spec: { containers: [{ name: 'tmp', image: 'busybox:1.36' }], restartPolicy: 'Never' },
    };
    assert.deepEqual(validatePod(pod).map(errorString), []);
    pod.spec.containers[0]!.image = ' busybox ';
    assert.deepEqual(validatePod(pod).map(errorString), ['spec.containers[0].image: Invalid value: " busybox ": must not have leading or trailing whitespace']);
  });
  it('checks restartPolicy values and container presence at spec.*', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], restartPolicy: 'Sometimes' } };
    assert.deepEqual(validatePod(pod).map(errorString), [
      'spec.containers: Required value',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });
});

describe('validateNamespace', () => {
  it('requires an RFC 1123 label name and forbids metadata.namespace', () => {
    assert.deepEqual(validateNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }).map(errorString), []);
    assert.deepEqual(validateNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team.dev', namespace: 'default' } }).map(errorString), [
      'metadata.name: Invalid value: "team.dev": must not contain dots',
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });
  it('checks spec.finalizers', () => {
    assert.deepEqual(
      validateNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' }, spec: { finalizers: ['kubernetes', 'custom'] } }).map(errorString),
      ['spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'],
    );
  });
});
