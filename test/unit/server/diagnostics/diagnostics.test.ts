// Findings → LSP diagnostics, and the cluster's findings merged in through the ClusterChecks
// seam (a fake here; the real one is the cluster view's).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { ManifestCache } from '../../../../server/src/documents';
import type { ClusterChecks } from '../../../../server/src/features/cachedFindings';
import { DIAGNOSTIC_SOURCE, fileDiagnostics, fileDiagnosticsInSlices } from '../../../../server/src/features/diagnostics';
import type { Finding } from '../../../../server/src/features/finding';
import type { KubeObject } from '../../../../server/src/validation/kubeTypes';
import { service } from './checkYaml';

const bad = service('  selector:\n    app: wbe\n  ports:\n  - port: 70000\n');

function fakeCluster(found: (svc: KubeObject) => Finding[]): ClusterChecks & { generation: number; calls: number } {
  const fake = {
    generation: 1,
    calls: 0,
    findings(svc: KubeObject): Finding[] {
      fake.calls++;
      return found(svc);
    },
  };
  return fake;
}

const selectorWarning = (): Finding[] => [
  { path: ['spec', 'selector', 'app'], on: 'value', severity: 'warning', code: 'ksl/selector-matches-no-pod', message: 'no pod has app=wbe; 3 pods have app=web' },
];

describe('fileDiagnostics', () => {
  it('gives each finding its range, severity, code, message and source', () => {
    const file = new ManifestCache().update('file:///a.yaml', 3, '# header\n---\n' + bad);
    const [d] = fileDiagnostics(file);
    assert.deepEqual(d, {
      range: { start: { line: 10, character: 10 }, end: { line: 10, character: 15 } },
      severity: DiagnosticSeverity.Error,
      code: 'spec.ports[0].port',
      source: DIAGNOSTIC_SOURCE,
      message: 'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      data: { path: ['spec', 'ports', 0, 'port'], fieldErrorType: 'FieldValueInvalid', badValue: 70000 },
    });
  });

  it('adds the cluster findings of Services, on the text they name', () => {
    const cluster = fakeCluster(selectorWarning);
    const file = new ManifestCache().update('u', 1, bad);
    const warning = fileDiagnostics(file, cluster).find((d) => d.code === 'ksl/selector-matches-no-pod');
    assert.equal(warning?.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(warning?.range, { start: { line: 6, character: 9 }, end: { line: 6, character: 12 } });
  });

  it('passes the Service as written to the cluster checks, and only Services', () => {
    const seen: KubeObject[] = [];
    const cluster = fakeCluster((svc) => {
      seen.push(svc);
      return [];
    });
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx}]}\n';
    fileDiagnostics(new ManifestCache().update('u', 1, bad + '---\n' + deployment), cluster);
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0]!.metadata, { name: 'web' }, 'no namespace filled in: the cluster view knows its context namespace');
    assert.deepEqual((seen[0]!['spec'] as { ports: unknown }).ports, [{ port: 70000 }]);
  });

  it('re-runs the cluster checks only when the cluster generation moves', () => {
    const cluster = fakeCluster(selectorWarning);
    const cache = new ManifestCache();
    const file = cache.update('u', 1, bad);
    fileDiagnostics(file, cluster);
    fileDiagnostics(cache.update('u', 2, bad), cluster);
    assert.equal(cluster.calls, 1, 'same text, same cluster: memoised');
    cluster.generation++;
    fileDiagnostics(file, cluster);
    assert.equal(cluster.calls, 2);
  });

  it('keeps the document\'s own diagnostics when a cluster check throws', () => {
    const cluster = fakeCluster(() => {
      throw new Error('boom');
    });
    const diags = fileDiagnostics(new ManifestCache().update('u', 1, bad), cluster);
    assert.deepEqual(
      diags.map((d) => d.code),
      ['spec.ports[0].port', 'spec.ports[0].targetPort'],
    );
  });
});

describe('fileDiagnosticsInSlices', () => {
  const many = Array.from({ length: 400 }, (_, i) => service(`  ports:\n  - port: ${i === 399 ? 0 : 80}\n    targetPort: 80\n`, `  name: s${i}\n`)).join('---\n');

  it('gives the same diagnostics as the one-shot version', async () => {
    const file = new ManifestCache().update('u', 1, many);
    const sliced = await fileDiagnosticsInSlices(file, () => false, undefined, undefined, 0);
    assert.deepEqual(sliced, fileDiagnostics(file));
    assert.equal(sliced?.length, 1);
  });

  it('stops and gives undefined once cancelled', async () => {
    const file = new ManifestCache().update('u', 1, many);
    let turns = 0;
    const result = await fileDiagnosticsInSlices(file, () => ++turns > 2, undefined, undefined, 0);
    assert.equal(result, undefined);
    assert.equal(turns, 3, 'it checked for cancellation at each slice and stopped at the first "yes"');
  });
});
