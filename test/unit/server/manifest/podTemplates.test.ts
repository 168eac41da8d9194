import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasPodTemplate, podTemplateOf } from '../../../../server/src/manifest/podTemplates';

describe('podTemplateOf', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  it('finds the template of every workload kind', () => {
    for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']) {
      assert.deepEqual(podTemplateOf({ kind, spec: { template } }), { path: ['spec', 'template'], template }, kind);
    }
    assert.deepEqual(podTemplateOf({ kind: 'CronJob', spec: { jobTemplate: { spec: { template } } } })?.path, [
      'spec',
      'jobTemplate',
      'spec',
      'template',
    ]);
  });
  it('takes a Pod as its own template', () => {
    const pod = { kind: 'Pod', metadata: { labels: { app: 'web' } }, spec: template.spec };
    assert.deepEqual(podTemplateOf(pod), { path: [], template: { metadata: pod.metadata, spec: pod.spec } });
  });
  it('gives nothing for other kinds and malformed objects', () => {
    assert.equal(podTemplateOf({ kind: 'Service', spec: { template } }), undefined);
    assert.equal(podTemplateOf({ kind: 'Deployment', spec: 'x' }), undefined);
    assert.equal(podTemplateOf(null), undefined);
    assert.equal(hasPodTemplate('Service'), false);
    assert.equal(hasPodTemplate('CronJob'), true);
  });
});
