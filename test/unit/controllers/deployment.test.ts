import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeHash,
  DeploymentController,
  maxUnavailable,
  resolveFenceposts,
  safeEncodeString,
} from '../../../emulator/src/controllers/deployment';
import { R } from '../../../emulator/src/api/resources';
import type { Deployment, ReplicaSet } from '../../../emulator/src/api/types';
import { deployment, get, messages, strictCluster } from './controllerFixtures';

test('SafeEncodeString maps decimal digits into the name alphabet', () => {
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('the pod-template hash is stable, looks like Kubernetes, and changes with the collision count', () => {
  const t = deployment('web', 3).spec.template;
  const h = computeHash(t);
  assert.match(h, /^[4-9bcdf]{1,10}$/);
  assert.equal(computeHash(structuredClone(t)), h);
  assert.notEqual(computeHash(t, 1), h);
  const other = structuredClone(t);
  other.spec.containers[0].image = 'nginx:1.28';
  assert.notEqual(computeHash(other), h);
});

test('ResolveFenceposts rounds surge up and unavailable down, and never lets both be zero', () => {
  assert.deepEqual(resolveFenceposts('25%', '25%', 3), { surge: 1, unavailable: 0 });
  assert.deepEqual(resolveFenceposts('25%', '25%', 10), { surge: 3, unavailable: 2 });
  assert.deepEqual(resolveFenceposts(0, 0, 3), { surge: 0, unavailable: 1 });
  assert.deepEqual(resolveFenceposts(2, '50%', 5), { surge: 2, unavailable: 2 });
  assert.equal(maxUnavailable(deployment('web', 2, 'nginx', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 5 } } })), 2);
});

test('sync creates the ReplicaSet with hash label, selector, owner, annotations and revision', () => {
  const c = strictCluster();
  const d = c.client.create<Deployment>(R.deployments, deployment('web', 3));
  const ctl = new DeploymentController({ client: c.client, clock: c.clock, schedule: null });
  ctl.sync('default/web');

  const [rs] = c.client.list<ReplicaSet>(R.replicasets, 'default');
  const hash = computeHash(d.spec.template);
  assert.equal(rs.metadata.name, `web-${hash}`);
  assert.deepEqual(rs.metadata.labels, { app: 'web', 'pod-template-hash': hash });
  assert.deepEqual(rs.spec.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
  assert.deepEqual(rs.spec.template?.metadata?.labels, { app: 'web', 'pod-template-hash': hash });
  assert.equal(rs.spec.replicas, 3);
  assert.deepEqual(rs.metadata.ownerReferences, [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true },
  ]);
  assert.deepEqual(rs.metadata.annotations, {
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
    'deployment.kubernetes.io/revision': '1',
  });
  const after = get<Deployment>(c, R.deployments, 'web');
  assert.equal(after.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
  const progressing = after.status?.conditions?.find((x) => x.type === 'Progressing');
  assert.equal(progressing?.reason, 'NewReplicaSetCreated');
  assert.equal(progressing?.message, `Created new replica set "web-${hash}"`);
  assert.deepEqual(
    after.status?.conditions?.find((x) => x.type === 'Available'),
    {
      type: 'Available',
      status: 'False',
      lastUpdateTime: '2026-11-26T08:00:00Z',
      lastTransitionTime: '2026-11-26T08:00:00Z',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    },
  );
  assert.deepEqual(messages(c, 'ScalingReplicaSet'), [`Scaled up replica set web-${hash} from 0 to 3`]);
});

test('a second sync with nothing changed writes nothing', () => {
  const c = strictCluster();
  c.client.create(R.deployments, deployment('web', 3));
  const ctl = new DeploymentController({ client: c.client, clock: c.clock, schedule: null });
  ctl.sync('default/web');
  const rv = c.store.resourceVersion;
  ctl.sync('default/web');
  assert.equal(c.store.resourceVersion, rv);
});

test('Recreate scales the old ReplicaSet to zero and waits for its pods before creating the new one', () => {
  const c = strictCluster();
  c.client.create(R.deployments, deployment('web', 2, 'nginx:1.27', { strategy: { type: 'Recreate' } }));
  const ctl = new DeploymentController({ client: c.client, clock: c.clock, schedule: null });
  ctl.sync('default/web');
  const [first] = c.client.list<ReplicaSet>(R.replicasets, 'default');
  // Pretend the ReplicaSet controller reported two running pods.
  c.client.updateStatus(R.replicasets, { ...first, status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 } });

  const d = structuredClone(get<Deployment>(c, R.deployments, 'web'));
  d.spec.template.spec.containers[0].image = 'nginx:1.28';
  c.client.update(R.deployments, d);
  ctl.sync('default/web');
  assert.equal(c.client.list<ReplicaSet>(R.replicasets, 'default').length, 1, 'no new ReplicaSet while old pods run');
  assert.equal(get<ReplicaSet>(c, R.replicasets, first.metadata.name ?? '').spec.replicas, 0);

  const old = get<ReplicaSet>(c, R.replicasets, first.metadata.name ?? '');
  c.client.updateStatus(R.replicasets, { ...old, status: { replicas: 0 } });
  ctl.sync('default/web');
  const rss = c.client.list<ReplicaSet>(R.replicasets, 'default');
  assert.equal(rss.length, 2);
  assert.equal(rss.find((r) => r.metadata.name !== first.metadata.name)?.spec.replicas, 2);
});

test('old ReplicaSets beyond revisionHistoryLimit are deleted once scaled to zero', () => {
  const c = strictCluster();
  c.client.create(R.deployments, deployment('web', 1, 'nginx:1', { revisionHistoryLimit: 1, strategy: { type: 'Recreate' } }));
  const ctl = new DeploymentController({ client: c.client, clock: c.clock, schedule: null });
  // Stands in for the ReplicaSet controller: every ReplicaSet reports its pods as running and available.
  const settle = () => {
    for (let i = 0; i < 6; i++) {
      ctl.sync('default/web');
      for (const rs of c.client.list<ReplicaSet>(R.replicasets, 'default')) {
        const n = rs.spec.replicas ?? 0;
        const status = n ? { replicas: n, readyReplicas: n, availableReplicas: n } : { replicas: 0 };
        c.client.updateStatus(R.replicasets, { ...rs, status: { ...status, observedGeneration: rs.metadata.generation } });
      }
    }
  };
  settle();
  for (const image of ['nginx:2', 'nginx:3']) {
    c.clock.advance(1000);
    const d = structuredClone(get<Deployment>(c, R.deployments, 'web'));
    d.spec.template.spec.containers[0].image = image;
    c.client.update(R.deployments, d);
    settle();
  }
  const images = c.client.list<ReplicaSet>(R.replicasets, 'default').map((r) => r.spec.template?.spec.containers[0].image).sort();
  assert.deepEqual(images, ['nginx:2', 'nginx:3']);
  assert.equal(get<Deployment>(c, R.deployments, 'web').status?.conditions?.find((x) => x.type === 'Progressing')?.reason, 'NewReplicaSetAvailable');
});
