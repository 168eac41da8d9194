// Runs "Apply to Emulator" or "Delete from Emulator" over manifests: one request per
// document, in file order (as kubectl goes through a file), with progress and cancellation,
// then a summary notification and kubectl-style lines in the output channel.

import * as vscode from 'vscode';
import type { RequestType } from 'vscode-languageserver-protocol';
import { ApplyDocumentsRequest, DeleteDocumentsRequest, type DocumentResult, type DocumentsParams } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';
import { clusterSource } from '../settings';
import { Cancelled } from '../userError';
import { failures, objectName, resultLines, summaryText } from './applySummary';
import type { ManifestSource } from './manifestSources';
import { notifyWithOutput } from './notify';

export type BatchVerb = 'apply' | 'delete';

const WORDS: Record<BatchVerb, { request: RequestType<DocumentsParams, DocumentResult[], void>; doing: string; done: string; button: string }> = {
  apply: { request: ApplyDocumentsRequest, doing: 'Applying', done: 'Applied', button: 'Apply' },
  delete: { request: DeleteDocumentsRequest, doing: 'Deleting', done: 'Deleted', button: 'Delete' },
};

/** Asks before writing to a real cluster; the emulator is a sandbox and needs no confirmation. */
async function confirmRealCluster(verb: BatchVerb, count: number): Promise<void> {
  const source = clusterSource();
  if (source.kind === 'emulator') return;
  const where = source.context ? `the kubeconfig context "${source.context}"` : 'the current kubeconfig context';
  const answer = await vscode.window.showWarningMessage(
    `The editor looks at ${where}, not the emulator. ${WORDS[verb].button} ${count} ${count === 1 ? 'document' : 'documents'} there?`,
    { modal: true },
    WORDS[verb].button,
  );
  if (answer !== WORDS[verb].button) throw new Cancelled();
}

function what(sources: readonly ManifestSource[]): string {
  return sources.length === 1 ? (sources[0]?.label ?? '') : `${sources.length} files`;
}

/** Sends every document and reports; resolves with the results of the documents that were sent. */
export async function runDocumentsBatch(ctx: Ctx, verb: BatchVerb, sources: readonly ManifestSource[]): Promise<DocumentResult[]> {
  const words = WORDS[verb];
  const total = sources.reduce((n, s) => n + s.documents.length, 0);
  if (total === 0) {
    void vscode.window.showInformationMessage(`Kube Service Lab: ${what(sources)} has no Kubernetes document to ${verb}.`);
    return [];
  }
  await confirmRealCluster(verb, total);

  const all: DocumentResult[] = [];
  let cancelled = false;
  let done = 0;
  ctx.output.info(`${words.doing} ${what(sources)} (${total} ${total === 1 ? 'document' : 'documents'})`);
  await vscode.window.withProgress(
    { location: total > 1 ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window, title: `Kube Service Lab: ${words.doing} ${what(sources)}`, cancellable: total > 1 },
    async (progress, token) => {
      progress.report({ message: 'connecting to the cluster…' });
      await ctx.cluster.connect();
      for (const source of sources) {
        const results: DocumentResult[] = [];
        try {
          for (const document of source.documents) {
            if (token.isCancellationRequested) throw new Cancelled();
            progress.report({ message: `${source.label} (${done + 1} of ${total})` });
            results.push(...(await ctx.cluster.request(words.request, { uri: source.uri.toString(), documents: [document], text: source.text }, token)));
            done++;
            progress.report({ increment: 100 / total });
          }
        } catch (err) {
          if (!(err instanceof Cancelled)) throw err;
          cancelled = true;
        } finally {
          // What was done before a failure or a cancellation is reported all the same.
          for (const line of resultLines(source.label, results)) ctx.output.info(line);
          all.push(...results);
        }
        if (cancelled) break;
      }
    },
  );
  report(ctx, `${words.done} ${what(sources)}`, all, cancelled ? `cancelled after ${done} of ${total} documents` : undefined);
  return all;
}

/** "Applied web.yaml: 3 created, 1 failed." with the first failure's message, and the same in the output. */
function report(ctx: Ctx, title: string, results: readonly DocumentResult[], note: string | undefined): void {
  const summary = `${title}: ${summaryText(results)}${note ? ` (${note})` : ''}.`;
  ctx.output.info(summary);
  const first = failures(results)[0];
  if (first) notifyWithOutput(ctx, 'error', `${summary}${first.message ? ` ${objectName(first.kind, first.name)}: ${first.message}` : ''}`);
  else notifyWithOutput(ctx, 'info', summary);
}
