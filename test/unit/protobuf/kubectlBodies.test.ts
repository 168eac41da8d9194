// Bodies kubectl really sends, decoded to the JSON the same objects have in kubectl's own
// JSON encoding: nothing lost, nothing added, zero values printed or dropped as Go does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtobufObject } from '../../../emulator/src/apiserver/protobuf/protobufBody';
import {
  debugCopyHex,
  deployment,
  namespace,
  richPodSpecFromServer,
  serviceClusterIP,
  serviceExternalName,
  serviceLoadBalancer,
  serviceNodePort,
  type Capture,
} from './kubectlCaptures';

const core = (kind: string) => ({ group: '', version: 'v1', kind });

const CASES: [Capture, ReturnType<typeof core>][] = [
  [serviceClusterIP, core('Service')],
  [serviceNodePort, core('Service')],
  [serviceLoadBalancer, core('Service')],
  [serviceExternalName, core('Service')],
  [deployment, { group: 'apps', version: 'v1', kind: 'Deployment' }],
  [namespace, core('Namespace')],
];

for (const [capture, target] of CASES) {
  test(`${capture.command} decodes to the object kubectl built`, () => {
    assert.deepEqual(decodeProtobufObject(Buffer.from(capture.hex, 'hex'), target), capture.json);
  });
}

test('kubectl debug --copy-to carries the whole pod spec, which decodes to the JSON the server gave', () => {
  const pod = decodeProtobufObject(Buffer.from(debugCopyHex, 'hex'), core('Pod'));
  assert.equal(pod.apiVersion, 'v1');
  assert.equal(pod.kind, 'Pod');
  assert.deepEqual(pod.metadata, { name: 'rich2-copy', namespace: 'default', creationTimestamp: null, annotations: { note: 'hello' } });
  assert.deepEqual(pod.status, {});

  const spec = pod.spec as Record<string, unknown> & { containers: unknown[] };
  const debugContainer = spec.containers.at(-1);
  assert.deepEqual(debugContainer, { name: 'dbg', image: 'busybox', resources: {}, terminationMessagePolicy: 'File' });
  const { nodeName: _cleared, ...expected } = richPodSpecFromServer;
  assert.deepEqual({ ...spec, containers: spec.containers.slice(0, -1) }, expected);
});
