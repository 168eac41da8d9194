// Hand-encoded messages for the rules that decide the decoded JSON: Go's encoding/json
// (omitempty, structs, nil versus empty, map key order), proto merge semantics, unknown
// fields, and the apimachinery types (Time, MicroTime, Quantity, IntOrString).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../emulator/src/api/errors';
import { decodeProtobufObject } from '../../../emulator/src/apiserver/protobuf/protobufBody';
import { bytes, entry, envelope, fixed32, fixed64, int, msg, str, tag, time, varint, type Bytes } from './protoEncoder';

const SERVICE = { group: '', version: 'v1', kind: 'Service' };
const POD = { group: '', version: 'v1', kind: 'Pod' };

const service = (...raw: Bytes[]) => decodeProtobufObject(envelope('v1', 'Service', raw.flat()), SERVICE);
const pod = (...raw: Bytes[]) => decodeProtobufObject(envelope('v1', 'Pod', raw.flat()), POD);

/** A pod with one container whose fields are `container`. */
const podWithContainer = (...container: Bytes[]) => pod(msg(2, msg(2, str(1, 'c'), ...container)));

function containerOf(decoded: Record<string, unknown>): Record<string, unknown> {
  return ((decoded.spec as { containers: Record<string, unknown>[] }).containers)[0];
}

function failure(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the body to be rejected');
}

test('an empty object prints its structs, nulls and nothing else, as Go prints a zero Service', () => {
  assert.deepEqual(service(), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { creationTimestamp: null },
    spec: {},
    status: { loadBalancer: {} },
  });
});

test('omitempty drops zero scalars, fields without it keep them, and set pointers keep their zeros', () => {
  const decoded = service(
    msg(1, str(1, 'web'), str(2, ''), int(7, 0)),
    msg(
      2,
      msg(1, str(1, ''), int(3, 0), msg(4, int(1, 0), int(2, 0)), int(5, 0)),
      str(3, ''),
      int(13, false),
      int(20, false),
      msg(14, msg(1, int(1, 0))),
    ),
  );
  assert.deepEqual(decoded.metadata, { name: 'web', creationTimestamp: null });
  assert.deepEqual(decoded.spec, {
    ports: [{ port: 0, targetPort: 0 }],
    sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } },
    allocateLoadBalancerNodePorts: false,
  });
});

test('nil slices and pointers without omitempty print as null', () => {
  const slice = decodeProtobufObject(envelope('discovery.k8s.io/v1', 'EndpointSlice', [...msg(1, str(1, 's')), ...str(4, 'IPv4')]), {
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
  });
  assert.deepEqual(slice, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 's', creationTimestamp: null },
    addressType: 'IPv4',
    endpoints: null,
    ports: null,
  });

  const deployment = decodeProtobufObject(envelope('apps/v1', 'Deployment', []), { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.deepEqual(deployment.spec, {
    selector: null,
    template: { metadata: { creationTimestamp: null }, spec: { containers: null } },
    strategy: {},
  });

  const grpc = containerOf(podWithContainer(msg(11, msg(1, msg(4, int(1, 9000))))));
  assert.deepEqual(grpc.readinessProbe, { grpc: { port: 9000, service: null } });
});

test('IntOrString prints as a number or a string by its type', () => {
  const ports = (targetPort: Bytes) => (service(msg(2, msg(1, int(3, 80), targetPort))).spec as { ports: unknown[] }).ports;
  assert.deepEqual(ports(msg(4, int(1, 0), int(2, 8080))), [{ port: 80, targetPort: 8080 }]);
  assert.deepEqual(ports(msg(4, int(1, 1), str(3, 'http'))), [{ port: 80, targetPort: 'http' }]);
  const err = failure(() => ports(msg(4, int(1, 5))));
  assert.equal(err.code, 400);
  assert.equal(err.message, 'Service in version "v1" cannot be handled as a Service: impossible IntOrString.Type');
});

test('Time prints whole seconds in RFC 3339 UTC; an empty Time is null; MicroTime keeps microseconds', () => {
  const seconds = Date.UTC(2026, 0, 2, 3, 4, 5) / 1000;
  const meta = (field: Bytes) => service(msg(1, field)).metadata;
  assert.deepEqual(meta(time(8, seconds, 999_999_999)), { creationTimestamp: '2026-01-02T03:04:05Z' });
  assert.deepEqual(meta(msg(8)), { creationTimestamp: null });
  assert.deepEqual(meta(msg(8, int(1, 0))), { creationTimestamp: '1970-01-01T00:00:00Z' });
  assert.deepEqual(meta(msg(9)), { creationTimestamp: null, deletionTimestamp: null });

  const event = decodeProtobufObject(envelope('v1', 'Event', time(10, seconds, 123_456_789)), { group: '', version: 'v1', kind: 'Event' });
  assert.equal(event.eventTime, '2026-01-02T03:04:05.123456Z');
  assert.equal(event.firstTimestamp, null);
  assert.deepEqual(event.involvedObject, {});
  assert.equal(event.reportingComponent, '');
  assert.equal(event.reportingInstance, '');
});

test('Quantities keep their text, must parse, and an empty one is "0"', () => {
  const resources = containerOf(
    podWithContainer(msg(8, msg(2, str(1, 'cpu'), msg(2, str(1, '100m'))), msg(2, str(1, 'memory'), msg(2)))),
  ).resources;
  assert.deepEqual(resources, { requests: { cpu: '100m', memory: '0' } });

  const err = failure(() => podWithContainer(msg(8, msg(1, str(1, 'cpu'), msg(2, str(1, 'lots'))))));
  assert.equal(
    err.message,
    `Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  );

  const divisor = containerOf(podWithContainer(msg(7, str(1, 'X'), msg(3, msg(2, str(2, 'limits.cpu'))))));
  assert.deepEqual(divisor.env, [{ name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '0' } } }]);
});

test('embedded structs print their fields beside the parent\'s', () => {
  const container = containerOf(
    podWithContainer(
      msg(7, str(1, 'K'), msg(3, msg(3, msg(1, str(1, 'cfg')), str(2, 'key')))),
      msg(11, msg(1, msg(2, str(1, '/healthz'), msg(2, int(1, 1), str(3, 'http')))), int(4, 5)),
    ),
  );
  assert.deepEqual(container.env, [{ name: 'K', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'key' } } }]);
  assert.deepEqual(container.readinessProbe, { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 });

  const volumes = (pod(msg(2, msg(1, str(1, 'data'), msg(2, msg(2, str(1, 'Memory')))))).spec as { volumes: unknown }).volumes;
  assert.deepEqual(volumes, [{ name: 'data', emptyDir: { medium: 'Memory' } }]);
});

test('messages seen twice merge, scalars keep the last value, lists append, maps overwrite by key', () => {
  const decoded = service(
    msg(1, str(1, 'first'), entry(11, 'app', 'a'), entry(11, 'tier', 'web')),
    msg(2, msg(1, int(3, 80)), str(4, 'NodePort')),
    msg(1, str(1, 'second'), entry(11, 'app', 'b')),
    msg(2, msg(1, int(3, 81)), str(4, 'ClusterIP')),
  );
  assert.deepEqual(decoded.metadata, { name: 'second', creationTimestamp: null, labels: { app: 'b', tier: 'web' } });
  assert.deepEqual(decoded.spec, { ports: [{ port: 80, targetPort: 0 }, { port: 81, targetPort: 0 }], type: 'ClusterIP' });
});

test('map entries without a key or a value hold the zero string, and map keys print sorted', () => {
  const labels = service(msg(1, msg(11, str(2, 'no-key')), msg(11, str(1, 'no-value')), entry(11, 'b', '2'), entry(11, 'a', '1'))).metadata as {
    labels: Record<string, string>;
  };
  assert.deepEqual(labels.labels, { '': 'no-key', 'no-value': '', a: '1', b: '2' });
  assert.deepEqual(Object.keys(labels.labels), ['', 'a', 'b', 'no-value']);
});

test('unknown and newer fields are skipped, whatever their wire type', () => {
  const decoded = podWithContainer(
    int(99, 7),
    fixed32(98),
    fixed64(97),
    str(96, 'x'),
    [...tag(95, 3), ...int(1, 1), ...tag(95, 4)],
    msg(25, str(1, 'Restart')),
  );
  assert.deepEqual(containerOf(decoded), { name: 'c', resources: {} });
});

test('numeric lists read packed and unpacked alike; int32 wraps and bools are any non-zero', () => {
  const groups = (field: Bytes) => (pod(msg(2, msg(14, field))).spec as { securityContext: unknown }).securityContext;
  const packed = msg(4, ...[1, 2, 3].map((n) => varint(n)));
  assert.deepEqual(groups(packed), { supplementalGroups: [1, 2, 3] });
  assert.deepEqual(groups([...int(4, 1), ...int(4, 2), ...int(4, 3)]), { supplementalGroups: [1, 2, 3] });

  const container = containerOf(podWithContainer(msg(6, int(2, -1), int(3, 2n ** 32n + 80n)), int(16, 2)));
  assert.deepEqual(container.ports, [{ hostPort: -1, containerPort: 80 }]);
  assert.equal(container.stdin, true);
});

test('bytes that are not UTF-8 decode with replacement characters rather than failing', () => {
  const decoded = service(msg(1, bytes(1, [0x77, 0xff, 0x65])));
  assert.deepEqual(decoded.metadata, { name: 'w\ufffde', creationTimestamp: null });
});
