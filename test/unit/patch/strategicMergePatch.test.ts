// Strategic merge patch as kubectl apply and kubectl patch use it. The kubectl bodies are the
// ones captured in shared/reference/kubectl-http-trace.txt and emulator-spec.md §1.4.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch, PatchError, type JsonObject, type JsonValue } from '../../../emulator/src/apiserver/patch';

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };
const SERVICE = { group: '', version: 'v1', kind: 'Service' };
const POD = { group: '', version: 'v1', kind: 'Pod' };

function liveDeployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: '5b0c1a52-0d0e-4a8f-9a55-3f1b2a9d1c11',
      resourceVersion: '1012',
      generation: 1,
      labels: { app: 'web' },
      annotations: {
        'deployment.kubernetes.io/revision': '1',
        'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}\n',
      },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.27',
              ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
              imagePullPolicy: 'IfNotPresent',
            },
          ],
          restartPolicy: 'Always',
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
        },
      },
    },
    status: { replicas: 3, conditions: [{ type: 'Available', status: 'True' }] },
  };
}

function liveService(): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } },
    spec: {
      type: 'NodePort',
      selector: { app: 'web' },
      clusterIP: '10.96.12.7',
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 }],
    },
  };
}

// The body kubectl apply sent after the manifest changed replicas 3 -> 2 and the image.
const APPLY_DEPLOYMENT_PATCH: JsonObject = JSON.parse(
  '{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\"}\\n"}},' +
    '"spec":{"replicas":2,"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],' +
    '"containers":[{"image":"nginx:1.28","name":"nginx"}]}}}}',
);

// The body kubectl apply sent after the Service port changed 80 -> 8080.
const APPLY_SERVICE_PATCH: JsonObject = JSON.parse(
  '{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\\n"}},' +
    '"spec":{"$setElementOrder/ports":[{"port":8080}],' +
    '"ports":[{"name":"http","nodePort":30080,"port":8080,"targetPort":80},{"$patch":"delete","port":80}]}}',
);

function at(value: JsonValue | undefined, ...path: (string | number)[]): JsonValue | undefined {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, JsonValue>)[step];
  }
  return current;
}

function directiveKeys(value: JsonValue, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => directiveKeys(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, member]) =>
    key.startsWith('$') ? [`${path}.${key}`] : directiveKeys(member, `${path}.${key}`),
  );
}

function patchError(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof PatchError, `expected a PatchError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the patch to fail');
}

test("kubectl apply's Deployment patch changes replicas and image and keeps the container ports", () => {
  const result = applyStrategicMergePatch(liveDeployment(), APPLY_DEPLOYMENT_PATCH, DEPLOYMENT);
  assert.equal(at(result, 'spec', 'replicas'), 2);
  assert.deepEqual(at(result, 'spec', 'template', 'spec', 'containers'), [
    {
      name: 'nginx',
      image: 'nginx:1.28',
      ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
      imagePullPolicy: 'IfNotPresent',
    },
  ]);
  assert.deepEqual(at(result, 'metadata', 'annotations'), {
    'deployment.kubernetes.io/revision': '1',
    'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"apps/v1","kind":"Deployment"}\n',
  });
  assert.deepEqual(at(result, 'spec', 'strategy'), at(liveDeployment(), 'spec', 'strategy'));
  assert.deepEqual(at(result, 'status'), at(liveDeployment(), 'status'));
  assert.deepEqual(directiveKeys(result), []);
});

test('applying the same kubectl patch twice gives the same object', () => {
  const once = applyStrategicMergePatch(liveDeployment(), APPLY_DEPLOYMENT_PATCH, DEPLOYMENT);
  assert.deepEqual(applyStrategicMergePatch(once, APPLY_DEPLOYMENT_PATCH, DEPLOYMENT), once);
  const service = applyStrategicMergePatch(liveService(), APPLY_SERVICE_PATCH, SERVICE);
  assert.deepEqual(applyStrategicMergePatch(service, APPLY_SERVICE_PATCH, SERVICE), service);
});

test("kubectl apply's Service patch replaces port 80 by 8080, merging Service ports by port", () => {
  const result = applyStrategicMergePatch(liveService(), APPLY_SERVICE_PATCH, SERVICE);
  assert.deepEqual(at(result, 'spec', 'ports'), [{ name: 'http', nodePort: 30080, port: 8080, targetPort: 80 }]);
  assert.equal(at(result, 'spec', 'clusterIP'), '10.96.12.7');
  assert.deepEqual(directiveKeys(result), []);
});

test('a Service port patched by its port number keeps its place and the fields the patch does not mention', () => {
  const live = liveService();
  (at(live, 'spec', 'ports') as JsonValue[]).push({ name: 'metrics', protocol: 'TCP', port: 9090, targetPort: 9090, nodePort: 30090 });
  const result = applyStrategicMergePatch(live, { spec: { ports: [{ port: 9090, targetPort: 9100 }] } }, SERVICE);
  assert.deepEqual(at(result, 'spec', 'ports'), [
    { name: 'http', protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 },
    { name: 'metrics', protocol: 'TCP', port: 9090, targetPort: 9100, nodePort: 30090 },
  ]);
});

test('the inputs are left untouched', () => {
  const live = liveDeployment();
  const patch = structuredClone(APPLY_DEPLOYMENT_PATCH);
  applyStrategicMergePatch(live, patch, DEPLOYMENT);
  assert.deepEqual(live, liveDeployment());
  assert.deepEqual(patch, APPLY_DEPLOYMENT_PATCH);
});

test('null removes a label and leaves the others', () => {
  const live = liveDeployment();
  (at(live, 'metadata', 'labels') as JsonObject).tier = 'frontend';
  const result = applyStrategicMergePatch(live, { metadata: { labels: { tier: null, release: 'stable' } } }, DEPLOYMENT);
  assert.deepEqual(at(result, 'metadata', 'labels'), { app: 'web', release: 'stable' });
});

test('$retainKeys switches a Deployment from RollingUpdate to Recreate and drops rollingUpdate', () => {
  const computedByKubectl = { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } };
  assert.deepEqual(at(applyStrategicMergePatch(liveDeployment(), computedByKubectl, DEPLOYMENT), 'spec', 'strategy'), {
    type: 'Recreate',
  });
  const withoutNull = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } };
  assert.deepEqual(at(applyStrategicMergePatch(liveDeployment(), withoutNull, DEPLOYMENT), 'spec', 'strategy'), {
    type: 'Recreate',
  });
});

test('without $retainKeys a strategy patch merges, as on a real cluster', () => {
  const result = applyStrategicMergePatch(liveDeployment(), { spec: { strategy: { type: 'Recreate' } } }, DEPLOYMENT);
  assert.deepEqual(at(result, 'spec', 'strategy'), {
    type: 'Recreate',
    rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
  });
});

test('a key missing from $retainKeys is a 400', () => {
  const err = patchError(() =>
    applyStrategicMergePatch(liveDeployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } }, DEPLOYMENT),
  );
  assert.equal(err.status, 400);
  assert.equal(err.reason, 'BadRequest');
  assert.equal(err.message, 'invalid patch format of retainKeys');
});

test('$deleteFromPrimitiveList/finalizers removes finalizers; new finalizers merge in front', () => {
  const live = liveDeployment();
  (live.metadata as JsonObject).finalizers = ['example.com/a', 'example.com/b', 'example.com/c'];
  const removed = applyStrategicMergePatch(live, { metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/b'] } }, DEPLOYMENT);
  assert.deepEqual(at(removed, 'metadata', 'finalizers'), ['example.com/a', 'example.com/c']);

  const added = applyStrategicMergePatch(live, { metadata: { finalizers: ['example.com/d', 'example.com/a'] } }, DEPLOYMENT);
  assert.deepEqual(at(added, 'metadata', 'finalizers'), ['example.com/d', 'example.com/a', 'example.com/b', 'example.com/c']);

  const ordered = applyStrategicMergePatch(
    live,
    {
      metadata: {
        '$setElementOrder/finalizers': ['example.com/a', 'example.com/c', 'example.com/d'],
        '$deleteFromPrimitiveList/finalizers': ['example.com/b'],
        finalizers: ['example.com/d'],
      },
    },
    DEPLOYMENT,
  );
  assert.deepEqual(at(ordered, 'metadata', 'finalizers'), ['example.com/a', 'example.com/c', 'example.com/d']);
});

test('a deletion list for a list the object does not have adds nothing', () => {
  const result = applyStrategicMergePatch(liveDeployment(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } }, DEPLOYMENT);
  assert.equal(at(result, 'metadata', 'finalizers'), undefined);
});

test('without $setElementOrder a new list element goes first; with it, the given order wins', () => {
  const live = liveDeployment();
  const container = at(live, 'spec', 'template', 'spec', 'containers', 0) as JsonObject;
  container.env = [{ name: 'A', value: 'a' }, { name: 'B', value: 'b' }];
  const plain = { spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'C', value: 'c' }] }] } } } };
  assert.deepEqual(
    (at(applyStrategicMergePatch(live, plain, DEPLOYMENT), 'spec', 'template', 'spec', 'containers', 0, 'env') as JsonObject[]).map((e) => e.name),
    ['C', 'A', 'B'],
  );
  const ordered = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'nginx', '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }, { name: 'C' }], env: [{ name: 'C', value: 'c' }] },
          ],
        },
      },
    },
  };
  const result = applyStrategicMergePatch(live, ordered, DEPLOYMENT);
  assert.deepEqual(at(result, 'spec', 'template', 'spec', 'containers', 0, 'env'), [
    { name: 'A', value: 'a' },
    { name: 'B', value: 'b' },
    { name: 'C', value: 'c' },
  ]);
  assert.deepEqual(directiveKeys(result), []);
});

test('server-only elements are interleaved by the server order around the $setElementOrder ones', () => {
  const pod: JsonObject = {
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', image: 'a' }, { name: 'x', image: 'x' }, { name: 'b', image: 'b' }] },
  };
  const patch = { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'b', image: 'b2' }] } };
  const names = (at(applyStrategicMergePatch(pod, patch, POD), 'spec', 'containers') as JsonObject[]).map((c) => c.name);
  assert.deepEqual(names, ['x', 'b', 'a']);
});

test('$patch: delete removes a container by name and $patch: replace replaces the list', () => {
  const pod: JsonObject = { metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'a' }, { name: 'sidecar', image: 's' }] } };
  const deleted = applyStrategicMergePatch(pod, { spec: { containers: [{ $patch: 'delete', name: 'sidecar' }] } }, POD);
  assert.deepEqual(at(deleted, 'spec', 'containers'), [{ name: 'app', image: 'a' }]);
  const replaced = applyStrategicMergePatch(pod, { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'o' }] } }, POD);
  assert.deepEqual(at(replaced, 'spec', 'containers'), [{ name: 'only', image: 'o' }]);
});

test('$patch on a map replaces it whole or clears it', () => {
  const replaced = applyStrategicMergePatch(liveDeployment(), { metadata: { labels: { $patch: 'replace', team: 'blue' } } }, DEPLOYMENT);
  assert.deepEqual(at(replaced, 'metadata', 'labels'), { team: 'blue' });
  const cleared = applyStrategicMergePatch(liveDeployment(), { spec: { selector: { $patch: 'delete' } } }, DEPLOYMENT);
  assert.deepEqual(at(cleared, 'spec', 'selector'), {});
});

test('lists without a merge strategy, such as tolerations, are replaced whole', () => {
  const patch = { spec: { template: { spec: { tolerations: [{ key: 'gpu', operator: 'Exists' }] } } } };
  const result = applyStrategicMergePatch(liveDeployment(), patch, DEPLOYMENT);
  assert.deepEqual(at(result, 'spec', 'template', 'spec', 'tolerations'), [{ key: 'gpu', operator: 'Exists' }]);
});

test('container ports merge by containerPort and volume mounts by mountPath', () => {
  const pod: JsonObject = {
    metadata: { name: 'p' },
    spec: {
      containers: [
        {
          name: 'app',
          ports: [{ containerPort: 80, name: 'http' }],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
      ],
    },
  };
  const patch = {
    spec: {
      containers: [
        { name: 'app', ports: [{ containerPort: 80, protocol: 'TCP' }], volumeMounts: [{ mountPath: '/data', readOnly: true }] },
      ],
    },
  };
  const container = at(applyStrategicMergePatch(pod, patch, POD), 'spec', 'containers', 0);
  assert.deepEqual(at(container, 'ports'), [{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
  assert.deepEqual(at(container, 'volumeMounts'), [{ name: 'data', mountPath: '/data', readOnly: true }]);
});

test('ownerReferences merge by uid and pod conditions by type', () => {
  const pod: JsonObject = {
    metadata: { name: 'p', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1' }] },
    status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }] },
  };
  const patch = {
    metadata: { ownerReferences: [{ uid: 'u1', controller: true }] },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
  const result = applyStrategicMergePatch(pod, patch, POD);
  assert.deepEqual(at(result, 'metadata', 'ownerReferences'), [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true },
  ]);
  assert.deepEqual(at(result, 'status', 'conditions'), [
    { type: 'Ready', status: 'True' },
    { type: 'Initialized', status: 'True' },
  ]);
});

test('a new value is stored without its nulls and without elements that carry $patch', () => {
  const patch = {
    spec: {
      template: {
        spec: {
          nodeSelector: { disk: 'ssd', zone: null },
          initContainers: [{ name: 'init', image: 'busybox' }, { name: 'gone', $patch: 'delete' }],
        },
      },
    },
  };
  const spec = at(applyStrategicMergePatch(liveDeployment(), patch, DEPLOYMENT), 'spec', 'template', 'spec');
  assert.deepEqual(at(spec, 'nodeSelector'), { disk: 'ssd' });
  assert.deepEqual(at(spec, 'initContainers'), [{ name: 'init', image: 'busybox' }]);
});

test('an unlisted kind merges like a JSON merge patch and never keeps directive keys', () => {
  const widget: JsonObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { sizes: [1, 2], color: 'red', shape: 'round' } };
  const gvk = { group: 'example.com', version: 'v1', kind: 'Widget' };
  const result = applyStrategicMergePatch(widget, { spec: { sizes: [3], shape: null, $retainKeys: ['sizes', 'color'] } }, gvk);
  assert.deepEqual(result.spec, { sizes: [3], color: 'red' });
  assert.deepEqual(directiveKeys(result), []);
});

test('a merged element without its merge key is the 500 the apiserver passes through', () => {
  const err = patchError(() =>
    applyStrategicMergePatch(liveDeployment(), { spec: { template: { spec: { containers: [{ image: 'nginx:1.29' }] } } } }, DEPLOYMENT),
  );
  assert.equal(err.status, 500);
  assert.equal(err.reason, '');
  assert.equal(err.message, 'map: map[image:nginx:1.29] does not contain declared merge key: name');
  assert.deepEqual(err.toStatus(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'map: map[image:nginx:1.29] does not contain declared merge key: name',
    code: 500,
  });
});

test('malformed strategic patches fail with the apiserver status', () => {
  const notAnObject = patchError(() => applyStrategicMergePatch(liveDeployment(), [{ op: 'add' }], DEPLOYMENT));
  assert.equal(notAnObject.status, 400);
  assert.equal(notAnObject.message, 'json: cannot unmarshal array into Go value of type map[string]interface {}');

  const unknownDirective = patchError(() => applyStrategicMergePatch(liveDeployment(), { spec: { $patch: 'frobnicate' } }, DEPLOYMENT));
  assert.equal(unknownDirective.status, 500);
  assert.equal(unknownDirective.message, 'unknown patch type: frobnicate in map: map[$patch:frobnicate]');

  const mergeOnMap = patchError(() => applyStrategicMergePatch(liveDeployment(), { spec: { selector: { $patch: 'merge' } } }, DEPLOYMENT));
  assert.equal(mergeOnMap.status, 500);
  assert.equal(mergeOnMap.message, 'unknown patch type: merge in map: map[$patch:merge]');
  const mergeInList = patchError(() =>
    applyStrategicMergePatch(liveDeployment(), { spec: { template: { spec: { containers: [{ $patch: 'merge', name: 'nginx' }] } } } }, DEPLOYMENT),
  );
  assert.equal(mergeInList.message, 'merging lists cannot yet be specified in the patch');

  const badOrder = patchError(() =>
    applyStrategicMergePatch(
      liveService(),
      { spec: { '$setElementOrder/ports': [{ port: 80 }], ports: [{ port: 8080, targetPort: 80 }] } },
      SERVICE,
    ),
  );
  assert.equal(badOrder.status, 500);
  assert.match(badOrder.message, /^the order in patch list:\n/);

  const listOfLists = patchError(() =>
    applyStrategicMergePatch({ metadata: { finalizers: [['a']] } }, { metadata: { finalizers: [['b']] } }, POD),
  );
  assert.equal(listOfLists.status, 422);
  assert.equal(listOfLists.reason, 'Invalid');

  const badDeleteList = patchError(() => applyStrategicMergePatch(liveDeployment(), { metadata: { $deleteFromPrimitiveListfinalizers: ['a'] } }, DEPLOYMENT));
  assert.equal(badDeleteList.status, 400);
  assert.equal(badDeleteList.message, 'invalid patch format of primitive list');
});

test('a null strategic patch changes nothing', () => {
  assert.deepEqual(applyStrategicMergePatch(liveDeployment(), null, DEPLOYMENT), liveDeployment());
});
