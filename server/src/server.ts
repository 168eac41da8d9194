// The language server's entry point: wiring only. It owns the connection (stdio with
// `--stdio`, IPC when VS Code starts it with `--node-ipc`), the open documents, the parsed
// manifest cache and the cluster view; every answer comes from a feature in features/, which
// never sees the connection. Each feature has one section below: its capability and its
// handlers, a few lines each.

import { fileURLToPath } from 'node:url';
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { clusterFindings } from './cluster/clusterFindings';
import type { ClusterView } from './cluster/clusterView';
import { createClusterView } from './cluster/createClusterView';
import { ManifestCache, type ManifestFile } from './documents';
import { declaredObjects, podTemplateSignatures, type ClusterChecks } from './features/cachedFindings';
import { fileDiagnosticsInSlices } from './features/diagnostics';
import { DiagnosticsScheduler } from './features/diagnosticsScheduler';
import type { KubeObject } from './validation/kubeTypes';
import { DEFAULT_VALIDATION_DELAY_MS, type InitializationOptions } from './protocol';

/** How soon after the cluster changes open documents are checked again (the issue allows 300 ms in all). */
const CLUSTER_REVALIDATION_DELAY_MS = 50;

const connection = createConnection(ProposedFeatures.all);
const textDocuments = new TextDocuments(TextDocument);
const manifests = new ManifestCache();
const log = (message: string): void => connection.console.log(message);

let initOptions: InitializationOptions = {};
let workspaceFolders: string[] = [];
let clusterView: ClusterView | undefined;
let clusterGeneration = 0;
/** The open files' objects for the workspace view, rebuilt only after a file changes. */
let declared: readonly KubeObject[] | undefined;

const clusterChecks: ClusterChecks = {
  get generation() {
    return clusterGeneration;
  },
  findings: (service) => (clusterView ? clusterFindings(service, clusterView) : []),
};

function validationDelay(): number {
  const ms = initOptions.validationDelayMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_VALIDATION_DELAY_MS;
}

function readInitializationOptions(raw: unknown): InitializationOptions {
  return raw !== null && typeof raw === 'object' ? (raw as InitializationOptions) : {};
}

function folderPaths(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  return uris.flatMap((uri) => {
    try {
      return [fileURLToPath(uri)];
    } catch {
      return [];
    }
  });
}

/** The parsed manifest for an open document, brought up to its current version. */
function manifestFile(uri: string): ManifestFile | undefined {
  const textDocument = textDocuments.get(uri);
  if (!textDocument) return undefined;
  const cached = manifests.get(uri);
  if (cached && cached.version === textDocument.version) return cached;
  declared = undefined;
  return manifests.update(uri, textDocument.version, textDocument.getText());
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// Capabilities: one line per feature.
const capabilities: ServerCapabilities = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
};

connection.onInitialize((params): InitializeResult => {
  initOptions = readInitializationOptions(params.initializationOptions);
  workspaceFolders = folderPaths(params);
  return { capabilities, serverInfo: { name: 'kube-service-lab' } };
});

// The cluster view: created once the client is ready, so its log lines reach the client.
connection.onInitialized(() => {
  let view: ClusterView;
  try {
    view = createClusterView({
      initializationOptions: initOptions,
      workspaceFolders,
      log,
      workspaceObjects: () => (declared ??= declaredObjects(manifests.all())),
    });
  } catch (err) {
    log(`cluster: none (the cluster view could not start: ${(err as Error)?.message ?? String(err)})`);
    return;
  }
  clusterView = view;
  log(`cluster: ${view.describe()}`);
  view.onDidChange((change) => {
    clusterGeneration++;
    if (change.connectionChanged) log(`cluster: ${view.describe()}`);
    for (const textDocument of textDocuments.all()) diagnostics.schedule(textDocument.uri, CLUSTER_REVALIDATION_DELAY_MS);
  });
  for (const textDocument of textDocuments.all()) diagnostics.schedule(textDocument.uri, 0);
});

// Diagnostics: pushed with publishDiagnostics after each pause in a document's edits.
const diagnostics = new DiagnosticsScheduler<Diagnostic[]>({
  delayMs: DEFAULT_VALIDATION_DELAY_MS,
  compute: async (uri, cancelled) => {
    // Without a cluster the selector checks read the workspace's pod templates: when an edit
    // changes those, every open document's cluster findings are out of date, this one's too.
    const readsWorkspace = clusterView?.source.kind === 'workspace';
    const before = readsWorkspace ? podTemplateSignatures(manifests.get(uri)) : undefined;
    const file = manifestFile(uri);
    if (!file) return undefined;
    if (before && !sameList(before, podTemplateSignatures(file))) {
      clusterGeneration++;
      for (const other of textDocuments.all()) if (other.uri !== uri) diagnostics.schedule(other.uri, validationDelay());
    }
    return fileDiagnosticsInSlices(file, cancelled, clusterChecks);
  },
  publish: (uri, list) => void connection.sendDiagnostics({ uri, version: textDocuments.get(uri)?.version, diagnostics: list }),
  onError: (uri, err) => log(`diagnostics failed for ${uri}: ${(err as Error)?.stack ?? String(err)}`),
});

// A document just opened is checked at once; edits wait for a pause.
textDocuments.onDidChangeContent((e) => diagnostics.schedule(e.document.uri, manifests.get(e.document.uri) ? validationDelay() : 0));

textDocuments.onDidClose((e) => {
  const hadTemplates = podTemplateSignatures(manifests.get(e.document.uri)).length > 0;
  diagnostics.cancel(e.document.uri);
  manifests.delete(e.document.uri);
  declared = undefined;
  if (hadTemplates && clusterView?.source.kind === 'workspace') {
    clusterGeneration++;
    for (const other of textDocuments.all()) diagnostics.schedule(other.uri, validationDelay());
  }
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onShutdown(() => {
  diagnostics.dispose();
  clusterView?.dispose();
});

textDocuments.listen(connection);
connection.listen();
