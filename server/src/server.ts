// The language server's entry point: wiring only. It owns the connection (stdio with
// `--stdio`, IPC when VS Code starts it with `--node-ipc`), the open documents, the parsed
// manifest cache and the cluster view; every answer comes from a feature in features/, which
// never sees the connection. Each feature has one section below: its capability and its
// handlers, a few lines each.

import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
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
import { systemClock } from './cluster/clock';
import { clusterFindings } from './cluster/clusterFindings';
import type { ClusterView } from './cluster/clusterView';
import { createClusterView } from './cluster/createClusterView';
import { ManifestCache, type ManifestFile } from './documents';
import { declaredObjects, podTemplateSignatures, type ClusterChecks } from './features/cachedFindings';
import { fileDiagnosticsInSlices } from './features/diagnostics';
import { DiagnosticsScheduler } from './features/diagnosticsScheduler';
import { fileTooLargeDiagnostic, fileTooLargeMessage, oversizedBytes } from './features/fileSizeLimit';
import { codeActions } from './features/codeActions';
import { codeLenses } from './features/codeLens';
import { completion } from './features/completion';
import { hover } from './features/hover';
import { inlayHints } from './features/inlayHints';
import { documentSymbols } from './features/symbols';
import { applyDocuments } from './requests/applyDocuments';
import { callService } from './requests/callService';
import { clusterSnapshot } from './requests/clusterSnapshot';
import { deleteDocuments } from './requests/deleteDocuments';
import { deletePod } from './requests/deletePod';
import { manifestFor, requestedIndexes } from './requests/manifestSource';
import { proxyRules } from './requests/proxyRules';
import { resolveName } from './requests/resolveName';
import { scaleDeployment } from './requests/scaleDeployment';
import { Throttle } from './requests/throttle';
import { trafficTest } from './requests/trafficTest';
import { toResponseError, UserError } from './requests/userError';
import type { KubeObject } from './validation/kubeTypes';
import {
  ApplyDocumentsRequest,
  CallServiceRequest,
  ClusterChangedNotification,
  ClusterSnapshotRequest,
  DEFAULT_VALIDATION_DELAY_MS,
  DeleteDocumentsRequest,
  DeletePodRequest,
  ProxyRulesRequest,
  ResolveNameRequest,
  ScaleDeploymentRequest,
  TrafficTestRequest,
  type InitializationOptions,
} from './protocol';

/** How soon after the cluster changes open documents are checked again (the issue allows 300 ms in all). */
const CLUSTER_REVALIDATION_DELAY_MS = 50;
/** The client hears of cluster changes (and refreshes hints and lenses) at most this often. */
const CLUSTER_NEWS_INTERVAL_MS = 100;

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
/** What the client can be asked to refresh, read once from its capabilities. */
let canRefreshInlayHints = false;
let canRefreshCodeLenses = false;

const workspaceObjects = (): readonly KubeObject[] => (declared ??= declaredObjects(manifests.all()));

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

/** The open documents over the size limit, with the version measured and the size found. */
const oversized = new Map<string, { version: number; bytes: number | undefined }>();

/** The open document's size in bytes when it is over the limit (fileSizeLimit.ts), else undefined. */
function oversizedDocument(uri: string): number | undefined {
  const textDocument = textDocuments.get(uri);
  if (!textDocument) return undefined;
  const known = oversized.get(uri);
  if (known?.version === textDocument.version) return known.bytes;
  const bytes = oversizedBytes(textDocument.getText());
  oversized.set(uri, { version: textDocument.version, bytes });
  return bytes;
}

/**
 * The parsed manifest for an open document, brought up to its current version. Whoever asks
 * first after an edit (diagnostics, hover, completion) parses it, and so also notices when
 * the edit changed the workspace's pod templates. A document over the size limit is never
 * parsed: it has no manifest, so every feature answers as for an empty file.
 */
function manifestFile(uri: string): ManifestFile | undefined {
  const textDocument = textDocuments.get(uri);
  if (!textDocument) return undefined;
  const cached = manifests.get(uri);
  if (cached && cached.version === textDocument.version) return cached;
  if (oversizedDocument(uri) !== undefined) {
    forget(uri);
    return undefined;
  }
  declared = undefined;
  // Without a cluster the selector checks read the workspace's pod templates: when an edit
  // changes those, every open document's cluster findings are out of date, this one's too.
  const readsWorkspace = clusterView?.source.kind === 'workspace';
  const before = readsWorkspace ? podTemplateSignatures(cached) : undefined;
  const file = manifests.update(uri, textDocument.version, textDocument.getText());
  if (before && !sameList(before, podTemplateSignatures(file))) {
    clusterGeneration++;
    for (const other of textDocuments.all()) if (other.uri !== uri) diagnostics.schedule(other.uri, validationDelay());
  }
  return file;
}

/** Drops a document's parse; when it had pod templates the workspace view reads, the other documents are checked again. */
function forget(uri: string): void {
  const cached = manifests.get(uri);
  if (!cached) return;
  const hadTemplates = podTemplateSignatures(cached).length > 0;
  manifests.delete(uri);
  declared = undefined;
  if (hadTemplates && clusterView?.source.kind === 'workspace') {
    clusterGeneration++;
    for (const other of textDocuments.all()) if (other.uri !== uri) diagnostics.schedule(other.uri, validationDelay());
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// Capabilities: one line per feature.
const capabilities: ServerCapabilities = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  hoverProvider: true,
  inlayHintProvider: true,
  codeLensProvider: { resolveProvider: false },
  completionProvider: { triggerCharacters: [':', ' '] },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
  documentSymbolProvider: true,
};

connection.onInitialize((params): InitializeResult => {
  initOptions = readInitializationOptions(params.initializationOptions);
  workspaceFolders = folderPaths(params);
  canRefreshInlayHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
  canRefreshCodeLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
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
      workspaceObjects,
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
    clusterNews.trigger();
  });
  for (const textDocument of textDocuments.all()) diagnostics.schedule(textDocument.uri, 0);
});

// Diagnostics: pushed with publishDiagnostics after each pause in a document's edits.
const diagnostics = new DiagnosticsScheduler<Diagnostic[]>({
  delayMs: DEFAULT_VALIDATION_DELAY_MS,
  compute: async (uri, cancelled) => {
    const bytes = oversizedDocument(uri);
    if (bytes !== undefined) return [fileTooLargeDiagnostic(textDocuments.get(uri)!.getText(), bytes)];
    const file = manifestFile(uri);
    if (!file) return undefined;
    return fileDiagnosticsInSlices(file, cancelled, clusterChecks);
  },
  publish: (uri, list) => void connection.sendDiagnostics({ uri, version: textDocuments.get(uri)?.version, diagnostics: list }),
  onError: (uri, err) => log(`diagnostics failed for ${uri}: ${(err as Error)?.stack ?? String(err)}`),
});

// A document just opened is checked at once; edits wait for a pause.
textDocuments.onDidChangeContent((e) => diagnostics.schedule(e.document.uri, manifests.get(e.document.uri) ? validationDelay() : 0));

textDocuments.onDidClose((e) => {
  diagnostics.cancel(e.document.uri);
  oversized.delete(e.document.uri);
  forget(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

// Cluster news: the client hears that the cluster changed (to redraw its tree) and is asked to
// refresh inlay hints and code lenses, at most every CLUSTER_NEWS_INTERVAL_MS.
const clusterNews = new Throttle(CLUSTER_NEWS_INTERVAL_MS, systemClock, () => {
  if (!clusterView) return;
  void connection.sendNotification(ClusterChangedNotification, { source: clusterView.describe(), connected: clusterView.connected });
  if (canRefreshInlayHints) connection.languages.inlayHint.refresh().catch((err: unknown) => log(`inlay hint refresh failed: ${String(err)}`));
  if (canRefreshCodeLenses) connection.sendRequest(CodeLensRefreshRequest.type).catch((err: unknown) => log(`code lens refresh failed: ${String(err)}`));
});

/** Runs a feature on the current version of an open document; a feature that throws answers `empty`. */
function withFile<T>(uri: string, empty: T, answer: (file: ManifestFile, view: ClusterView) => T): T {
  const file = manifestFile(uri);
  if (!file || !clusterView) return empty;
  try {
    return answer(file, clusterView);
  } catch (err) {
    log(`a feature failed on ${uri}: ${(err as Error)?.stack ?? String(err)}`);
    return empty;
  }
}

// Hover, inlay hints, code lenses, completion, code actions and the outline.
connection.onHover((p) => withFile(p.textDocument.uri, null, (file, view) => hover(file, p.position, view)));
connection.languages.inlayHint.on((p) => withFile(p.textDocument.uri, [], (file, view) => inlayHints(file, p.range, view)));
connection.onCodeLens((p) => withFile(p.textDocument.uri, [], (file, view) => codeLenses(file, view)));
connection.onCompletion((p) => withFile(p.textDocument.uri, [], (file, view) => completion(file, p.position, view, workspaceObjects())));
connection.onCodeAction((p) => withFile(p.textDocument.uri, [], (file, view) => codeActions(file, p.range, p.context.diagnostics, view)));
connection.onDocumentSymbol((p) => withFile(p.textDocument.uri, [], (file) => documentSymbols(file)));

// Custom requests (protocol.ts): each delegates to its file in requests/; a failure goes back
// as a ResponseError whose message says what to do.
function currentView(): ClusterView {
  if (!clusterView) throw new UserError('the language server is still starting; try again in a moment');
  return clusterView;
}

async function answer<T>(what: string, run: () => Promise<T> | T): Promise<T | ReturnType<typeof toResponseError>> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof UserError)) log(`${what} failed: ${(err as Error)?.stack ?? String(err)}`);
    return toResponseError(err, what);
  }
}

/** manifestFile for the requests that act on a file: an open file over the size limit is refused with the reason. */
function requestedFile(uri: string): ManifestFile | undefined {
  const bytes = oversizedDocument(uri);
  if (bytes !== undefined) throw new UserError(fileTooLargeMessage(bytes));
  return manifestFile(uri);
}

connection.onRequest(ApplyDocumentsRequest, (p) =>
  answer('Apply', async () => {
    const file = await manifestFor(p, requestedFile);
    return applyDocuments(file, requestedIndexes(p, file), currentView());
  }),
);
connection.onRequest(DeleteDocumentsRequest, (p) =>
  answer('Delete', async () => {
    const file = await manifestFor(p, requestedFile);
    return deleteDocuments(file, requestedIndexes(p, file), currentView());
  }),
);
connection.onRequest(ClusterSnapshotRequest, () => answer('The cluster snapshot', () => clusterSnapshot(currentView())));
connection.onRequest(ScaleDeploymentRequest, (p) => answer('Scaling', () => scaleDeployment(currentView(), p)));
connection.onRequest(DeletePodRequest, (p) => answer('Deleting the pod', () => deletePod(currentView(), p)));
connection.onRequest(ResolveNameRequest, (p) => answer('The DNS lookup', () => resolveName(currentView(), p)));
connection.onRequest(CallServiceRequest, (p) => answer('The call', () => callService(currentView(), p)));
connection.onRequest(TrafficTestRequest, (p) => answer('The traffic test', () => trafficTest(currentView(), p)));
connection.onRequest(ProxyRulesRequest, (p) => answer('Reading the proxy rules', () => proxyRules(currentView(), p)));

connection.onShutdown(() => {
  diagnostics.dispose();
  clusterNews.dispose();
  clusterView?.dispose();
});

textDocuments.listen(connection);
connection.listen();
