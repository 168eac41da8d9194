// Read-only documents with kube-proxy's rules in iptables-save format (`ksl-rules:` URIs),
// coloured by the grammar in syntaxes/. An open rules document follows the cluster: when the
// snapshot changes, its text is fetched again.

import * as vscode from 'vscode';
import { ProxyRulesRequest } from '../../../server/src/protocol';
import type { ClusterSession } from '../clusterSession';

export const RULES_SCHEME = 'ksl-rules';
export const RULES_LANGUAGE = 'iptables-save';

export interface RulesTarget {
  namespace: string;
  name: string;
}

/** `ksl-rules:/all-services.rules`, or `ksl-rules:/<namespace>/<name>.rules` for one Service. */
export function rulesUri(target?: RulesTarget): vscode.Uri {
  const path = target ? `/${encodeURIComponent(target.namespace)}/${encodeURIComponent(target.name)}.rules` : '/all-services.rules';
  return vscode.Uri.from({ scheme: RULES_SCHEME, path });
}

function targetOf(uri: vscode.Uri): RulesTarget | undefined {
  const m = /^\/([^/]+)\/([^/]+)\.rules$/.exec(uri.path);
  return m?.[1] && m[2] ? { namespace: decodeURIComponent(m[1]), name: decodeURIComponent(m[2]) } : undefined;
}

export class ProxyRulesDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private lastSnapshot: unknown;

  constructor(private readonly session: ClusterSession) {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(RULES_SCHEME, this),
      session.onDidChange(() => this.follow()),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === RULES_SCHEME) this.texts.delete(d.uri.toString());
      }),
    ];
  }

  /** Fetches the rules for `uri`; throws a UserError when the server cannot give them. */
  async load(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<void> {
    const { text } = await this.session.request(ProxyRulesRequest, targetOf(uri) ?? {}, token);
    this.set(uri, text);
  }

  private set(uri: vscode.Uri, text: string): void {
    const key = uri.toString();
    if (this.texts.get(key) === text) return;
    this.texts.set(key, text);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '# The rules are not loaded yet: run "Kube Service Lab: Show kube-proxy Rules".\n';
  }

  /**
   * Refetches the open rules documents after the cluster changed. It starts nothing, and a
   * failure keeps the old text (the session logs it).
   */
  private follow(): void {
    const snapshot = this.session.current;
    if (!snapshot?.connected || !snapshot.emulator || snapshot === this.lastSnapshot) return;
    this.lastSnapshot = snapshot;
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== RULES_SCHEME) continue;
      void this.session.requestIfRunning(ProxyRulesRequest, targetOf(doc.uri) ?? {}).then((rules) => {
        if (rules) this.set(doc.uri, rules.text);
      });
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
