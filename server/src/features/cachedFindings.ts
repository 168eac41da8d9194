// Findings memoised on the document cache. A document's own findings depend only on its text
// and are computed once per text; the cluster's findings for a Service depend on the cluster
// too and are kept against the cluster's generation, so an edit re-checks one document and a
// cluster change re-runs only the cluster checks. No LSP types here: `ksl lint` uses it too.

import { memoised, type CachedDocument, type ManifestFile } from '../documents';
import { podTemplateOf } from '../manifest/podTemplates';
import type { KubeObject } from '../validation/kubeTypes';
import { checkDocument, defaultCheckOptions, locateFindings, type CheckOptions, type DocumentCheck } from './documentFindings';
import type { Finding } from './finding';
import type { LocatedFinding } from './findingRanges';

/** The cluster-aware checks as the cache sees them: a generation that moves on every cluster change. */
export interface ClusterChecks {
  readonly generation: number;
  findings(service: KubeObject): Finding[];
}

const STATIC_KEY = 'findings/static';
const CLUSTER_KEY = 'findings/cluster';

/** The document's own findings. The memo does not key on `options`: use one value per process. */
export function staticCheck(entry: CachedDocument, options: CheckOptions = defaultCheckOptions): DocumentCheck {
  return memoised(entry, STATIC_KEY, () => checkDocument(entry.doc, options));
}

function clusterFindingsOf(entry: CachedDocument, check: DocumentCheck, cluster: ClusterChecks): LocatedFinding[] {
  const doc = entry.doc;
  if (!check.object || doc.apiVersion !== 'v1' || doc.kind !== 'Service') return [];
  const cached = entry.memo.get(CLUSTER_KEY) as { generation: number; findings: LocatedFinding[] } | undefined;
  if (cached && cached.generation === cluster.generation) return cached.findings;
  let findings: LocatedFinding[];
  try {
    findings = locateFindings(doc, cluster.findings(check.object));
  } catch {
    // A failing cluster check leaves the document's own findings standing.
    findings = [];
  }
  entry.memo.set(CLUSTER_KEY, { generation: cluster.generation, findings });
  return findings;
}

/** Every finding of one cached document: its own, then the cluster's for a Service. */
export function entryFindings(entry: CachedDocument, cluster?: ClusterChecks, options?: CheckOptions): LocatedFinding[] {
  const check = staticCheck(entry, options);
  if (!cluster) return check.findings;
  const fromCluster = clusterFindingsOf(entry, check, cluster);
  return fromCluster.length === 0 ? check.findings : [...check.findings, ...fromCluster];
}

/**
 * The objects the files declare, as written (the workspace's view of the cluster). Every
 * readable object document counts, even one with a wrong value somewhere: its pod template
 * still says which pods it would make.
 */
export function declaredObjects(files: readonly ManifestFile[]): KubeObject[] {
  const out: KubeObject[] = [];
  for (const file of files) {
    for (const placed of file.documents) {
      const doc = placed.entry.doc;
      if (!doc.unreadable && doc.object && doc.kind) out.push(doc.object as KubeObject);
    }
  }
  return out;
}

/**
 * What a workload document tells the workspace's cluster view: its namespace and pod
 * template, as one string; undefined for a document without a pod template. Two versions of a
 * file whose signatures agree give the workspace view the same pods.
 */
export function podTemplateSignature(entry: CachedDocument): string | undefined {
  return memoised(entry, 'findings/podTemplateSignature', () => {
    const doc = entry.doc;
    if (doc.unreadable) return undefined;
    const ref = podTemplateOf(doc.object);
    return ref ? JSON.stringify([doc.namespace ?? '', ref.template]) : undefined;
  });
}

/** The pod template signatures of a file, sorted, for comparing two versions of it. */
export function podTemplateSignatures(file: ManifestFile | undefined): string[] {
  if (!file) return [];
  const out: string[] = [];
  for (const placed of file.documents) {
    const sig = podTemplateSignature(placed.entry);
    if (sig !== undefined) out.push(sig);
  }
  return out.sort();
}
