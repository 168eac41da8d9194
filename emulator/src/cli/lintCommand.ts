// `ksl lint [--format text|json|sarif] [--kubeconfig P] [--context C] FILE...`: the language
// server's checks for CI. Directories are searched for *.yaml and *.yml files. With a
// kubeconfig or a context, the cluster-aware checks run too, against that cluster.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { clusterFindings } from '../../../server/src/cluster/clusterFindings';
import type { ClusterView } from '../../../server/src/cluster/clusterView';
import { defaultKubeconfigPath } from '../../../server/src/cluster/clusterOptions';
import { createClusterView } from '../../../server/src/cluster/createClusterView';
import { declaredObjects, type ClusterChecks } from '../../../server/src/features/cachedFindings';
import { clusterSettled } from '../../../server/src/lint/clusterReady';
import { hasErrors, lintManifests, loadManifests } from '../../../server/src/lint/lintFindings';
import { manifestFiles } from '../../../server/src/lint/manifestFiles';
import { formatJson, formatSarif, formatText, type LintFormat } from '../../../server/src/lint/reportFormats';
import { CliError, UsageError } from './options';

export const LINT_USAGE = `Usage: ksl lint [--format text|json|sarif] [--kubeconfig PATH] [--context NAME] FILE|DIR...

Checks Kubernetes manifests as the language server does: YAML syntax, unknown fields and
wrong types, the apiserver's validation of Services and workloads, and its warnings.
Directories are searched for *.yaml and *.yml files. Exits 1 when there is an error.

  --format FORMAT      text (default), json or sarif
  --kubeconfig PATH    also check against this cluster (selectors, ports, nodePorts in use)
  --context NAME       the kubeconfig context to use (default: the current one; the
                       kubeconfig defaults to $KUBECONFIG or ~/.kube/config)
`;

const formats: readonly LintFormat[] = ['text', 'json', 'sarif'];

async function connect(kubeconfig: string | undefined, context: string | undefined, objects: () => ReturnType<typeof declaredObjects>): Promise<ClusterView> {
  const cluster: Record<string, string> = { kubeconfig: kubeconfig ?? defaultKubeconfigPath() };
  if (context !== undefined) cluster['context'] = context;
  const view = createClusterView({
    initializationOptions: { cluster },
    workspaceFolders: [],
    log: () => undefined,
    workspaceObjects: objects,
  });
  if (!(await clusterSettled(view))) {
    view.dispose();
    throw new CliError(`cannot reach the cluster (${view.describe()}); run without --kubeconfig and --context to skip the cluster checks`);
  }
  return view;
}

export async function lintCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      format: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(LINT_USAGE);
    return 0;
  }
  const format = (values.format ?? 'text') as LintFormat;
  if (!formats.includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${values.format}"`);
  if (positionals.length === 0) throw new UsageError(`lint needs at least one file or directory\n\n${LINT_USAGE}`);
  const { files, missing } = manifestFiles(positionals);
  if (missing.length > 0) throw new CliError(`no such file or directory: ${missing.join(', ')}`);
  const cache = loadManifests(files.map((name) => ({ name, text: readFileSync(name, 'utf8') })));

  let view: ClusterView | undefined;
  let cluster: ClusterChecks | undefined;
  if (values.kubeconfig !== undefined || values.context !== undefined) {
    const v = await connect(values.kubeconfig, values.context, () => declaredObjects(cache.all()));
    view = v;
    cluster = { generation: 0, findings: (service) => clusterFindings(service, v) };
  }
  try {
    const findings = lintManifests(cache, cluster);
    const out = format === 'json' ? formatJson(findings) : format === 'sarif' ? formatSarif(findings) : formatText(findings, files.length);
    process.stdout.write(out);
    return hasErrors(findings) ? 1 : 0;
  } finally {
    view?.dispose();
  }
}
