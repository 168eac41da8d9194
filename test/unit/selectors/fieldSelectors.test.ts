import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldSelector, selectableFields } from '../../../emulator/src/api/selectors';
import { ApiError } from '../../../emulator/src/api/errors';
import type { Event, KubeObject, Pod } from '../../../emulator/src/api/types';

const uid = '73fd6ca3-280c-491f-9a38-b5ed664c1d81';

function event(name: string, involved: Event['involvedObject'], extra: Partial<Event> = {}): Event {
  return { apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' }, involvedObject: involved, ...extra };
}

const events = [
  event('web.1', { kind: 'Service', namespace: 'default', name: 'web', uid }, { reason: 'Type', type: 'Normal', source: { component: 'service-controller' } }),
  event('web.2', { kind: 'Service', namespace: 'default', name: 'web', uid: 'an-older-web' }, { reason: 'Type', type: 'Normal' }),
  event('web.3', { kind: 'Deployment', namespace: 'default', name: 'web', uid: 'd-1' }, { reason: 'ScalingReplicaSet', type: 'Normal' }),
  event('db.1', { kind: 'Service', namespace: 'default', name: 'db', uid: 's-2' }, { reason: 'Type', type: 'Warning', reportingComponent: 'kubelet' }),
];

const pick = (selector: string, resource: string, objects: KubeObject[]): string[] => {
  const m = parseFieldSelector(selector, resource);
  return objects.filter((o) => m.matches(o)).map((o) => o.metadata.name ?? '');
};

test('the selector kubectl describe svc sends finds only the events of that very Service', () => {
  const selector = `involvedObject.name=web,involvedObject.namespace=default,involvedObject.kind=Service,involvedObject.uid=${uid}`;
  assert.deepEqual(pick(selector, 'events', events), ['web.1']);
  assert.deepEqual(pick('involvedObject.kind!=Service', 'events', events), ['web.3']);
  assert.deepEqual(pick('type==Warning', 'events', events), ['db.1']);
  assert.deepEqual(pick('source=kubelet', 'events', events), ['db.1']);
  assert.deepEqual(pick('source=service-controller,metadata.name=web.1', 'events', events), ['web.1']);
  assert.deepEqual(pick('', 'events', events), ['web.1', 'web.2', 'web.3', 'db.1']);
});

const pods: Pod[] = [
  { metadata: { name: 'web-1', namespace: 'default' }, spec: { containers: [], nodeName: 'minikube', restartPolicy: 'Always' }, status: { phase: 'Running', podIPs: [{ ip: '10.244.0.5' }] } },
  { metadata: { name: 'web-2', namespace: 'default' }, spec: { containers: [], restartPolicy: 'Always' }, status: { phase: 'Pending' } },
  { metadata: { name: 'dns', namespace: 'kube-system' }, spec: { containers: [], nodeName: 'minikube', hostNetwork: true }, status: { phase: 'Running' } },
];

test('pods select by node, phase, IP, host network and name, the way kubectl get --field-selector does', () => {
  assert.deepEqual(pick('metadata.name=web-1', 'pods', pods), ['web-1']);
  assert.deepEqual(pick('spec.nodeName=minikube,status.phase=Running', 'pods', pods), ['web-1', 'dns']);
  assert.deepEqual(pick('spec.nodeName=', 'pods', pods), ['web-2']);
  assert.deepEqual(pick('spec.host=minikube', 'pods', pods), ['web-1', 'dns']);
  assert.deepEqual(pick('status.podIP=10.244.0.5', 'pods', pods), ['web-1']);
  assert.deepEqual(pick('spec.hostNetwork=false', 'pods', pods), ['web-1', 'web-2']);
  assert.deepEqual(pick('metadata.namespace!=default', 'pods', pods), ['dns']);
  assert.equal(selectableFields('pods', pods[2])['spec.hostNetwork'], 'true');
});

test('services, nodes and namespaces select by the fields their registries expose', () => {
  const svcs: KubeObject[] = [
    { metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort', clusterIP: '10.96.0.10' } },
    { metadata: { name: 'db', namespace: 'default' }, spec: { type: 'ClusterIP', clusterIP: 'None' } },
  ];
  assert.deepEqual(pick('spec.clusterIP=None', 'services', svcs), ['db']);
  assert.deepEqual(pick('spec.type=NodePort', 'services', svcs), ['web']);
  const nodes: KubeObject[] = [{ metadata: { name: 'minikube' }, spec: { unschedulable: true } }, { metadata: { name: 'm02' }, spec: {} }];
  assert.deepEqual(pick('spec.unschedulable=false', 'nodes', nodes), ['m02']);
  const namespaces: KubeObject[] = [{ metadata: { name: 'default' }, status: { phase: 'Active' } }, { metadata: { name: 'old' }, status: { phase: 'Terminating' } }];
  assert.deepEqual(pick('status.phase=Terminating', 'namespaces', namespaces), ['old']);
});

test('escaped commas and equals signs are part of the value', () => {
  const odd = [event('e.1', { kind: 'Pod', name: 'p' }, { reason: 'a,b=c' })];
  assert.deepEqual(pick('reason=a\\,b\\=c', 'events', odd), ['e.1']);
  assert.equal(parseFieldSelector('reason=a\\,b\\=c', 'events').toString(), 'reason=a\\,b\\=c');
});

function status(selector: string, resource: string): unknown {
  try {
    parseFieldSelector(selector, resource);
  } catch (e) {
    assert.ok(e instanceof ApiError);
    return e.toStatus();
  }
  assert.fail(`${selector} parsed`);
}

const badRequest = (message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });

test('unsupported field labels are 400 BadRequest with the message of that resource scheme', () => {
  assert.deepEqual(status('foo=bar', 'pods'), badRequest('field label not supported: foo'));
  assert.deepEqual(status('spec.nodeName=a,foo=bar', 'events'), badRequest('field label not supported: foo'));
  assert.deepEqual(status('metadata.namespace=default', 'nodes'), badRequest('field label not supported: metadata.namespace'));
  assert.deepEqual(
    status('spec.replicas=3', 'apps/deployments'),
    badRequest('"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'),
  );
  // apps/v1 registers no conversion for ReplicaSet, so a real 1.32 apiserver rejects status.replicas too.
  assert.deepEqual(
    status('status.replicas=0', 'apps/replicasets'),
    badRequest('"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'),
  );
});

test('malformed field selectors are 400 BadRequest with the fields parser messages', () => {
  assert.deepEqual(status('metadata.name', 'pods'), badRequest("invalid selector: 'metadata.name'; can't understand 'metadata.name'"));
  assert.deepEqual(status('reason=a=b', 'events'), badRequest('invalid field selector: unescaped character in value: ='));
  assert.deepEqual(status('reason=a\\b', 'events'), badRequest('invalid field selector: invalid escape sequence: \\b'));
});
