// Kube Service Lab: Apply to Emulator. The active file (or the documents the selection
// touches), or the files and folders picked in the Explorer, applied like `kubectl apply -f`.
// It also marks the walkthrough's apply steps done once a Deployment or a Service went in.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { runDocumentsBatch } from './documentsBatch';
import { manifestSources } from './manifestSources';

const APPLIED = new Set(['created', 'configured', 'unchanged']);

export function applyToEmulator(ctx: Ctx) {
  return async (...args: unknown[]): Promise<void> => {
    const results = await runDocumentsBatch(ctx, 'apply', await manifestSources(args, 'apply'));
    for (const kind of ['Deployment', 'Service']) {
      if (results.some((r) => r.kind === kind && APPLIED.has(r.outcome))) {
        await vscode.commands.executeCommand('setContext', `ksl.lesson.applied${kind}`, true);
      }
    }
  };
}
