// What "Apply to Emulator" and "Delete from Emulator" report: the summary line and the
// kubectl-style lines with the apiserver's messages.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DocumentResult } from '../../../server/src/protocol';
import { failures, objectName, resultLines, summaryText } from '../../../client/src/commands/applySummary';

const invalid = 'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767';

const results: DocumentResult[] = [
  { document: 0, kind: 'Deployment', name: 'web', namespace: 'default', outcome: 'created' },
  { document: 1, kind: 'Service', name: 'web', namespace: 'default', outcome: 'unchanged' },
  { document: 2, kind: 'Service', name: 'web-nodeport', namespace: 'default', outcome: 'failed', message: invalid },
  { document: 3, kind: 'Service', name: 'api', namespace: 'shop', outcome: 'created' },
  { document: 4, kind: 'ConfigMap', name: 'settings', outcome: 'configured' },
];

describe('summaryText', () => {
  it('counts each outcome, changes first and failures last', () => {
    assert.equal(summaryText(results), '2 created, 1 configured, 1 unchanged, 1 failed');
    assert.equal(summaryText([{ document: 0, kind: 'Service', name: 'web', outcome: 'deleted' }, { document: 1, kind: 'Pod', name: 'x', outcome: 'not found' }]), '1 deleted, 1 not found');
    assert.equal(summaryText([]), 'no documents');
  });
});

describe('resultLines', () => {
  it('prints lines as kubectl does, with the file and the apiserver’s message for failures', () => {
    assert.deepEqual(resultLines('examples/web.yaml', results), [
      'deployment.apps/web created',
      'service/web unchanged',
      `examples/web.yaml (document 3): service/web-nodeport: ${invalid}`,
      'service/api created (namespace shop)',
      'configmap/settings configured',
    ]);
  });

  it('prints deletions as kubectl delete does, and why a document was skipped', () => {
    assert.deepEqual(
      resultLines('web.yaml', [
        { document: 0, kind: 'Service', name: 'web', outcome: 'deleted' },
        { document: 1, kind: 'Deployment', name: 'web', outcome: 'not found' },
        { document: 2, kind: '', name: '', outcome: 'skipped', message: 'the document has no kind' },
      ]),
      ['service "web" deleted', 'deployment.apps "web" not found', 'web.yaml (document 3): skipped: the document has no kind'],
    );
  });
});

describe('objectName and failures', () => {
  it('names objects with their API group where kubectl does', () => {
    assert.equal(objectName('EndpointSlice', 'web-abc'), 'endpointslice.discovery.k8s.io/web-abc');
    assert.equal(objectName('Service', ''), 'service/(no name)');
  });

  it('picks the failed documents', () => {
    assert.deepEqual(
      failures(results).map((r) => r.name),
      ['web-nodeport'],
    );
  });
});
