// Every command runs inside this guard, so a failure always ends in a message the user can act
// on: a UserError's own sentence with its buttons, or for anything unexpected the command's
// name and the error's message, with the stack in the output channel. A cancellation shows
// nothing.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { Cancelled, UserError, type FailureAction } from '../userError';

const ACTION_COMMANDS: Record<FailureAction, string> = {
  'Show Output': 'ksl.showOutput',
  'Select Cluster': 'ksl.selectCluster',
  'Start Emulator': 'ksl.startEmulator',
};

/** The command's title as package.json declares it ("Apply to Emulator"), or its id. */
function commandTitle(ctx: Ctx, id: string): string {
  const manifest = ctx.extension.extension.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } };
  return manifest.contributes?.commands?.find((c) => c.command === id)?.title ?? id;
}

/** Shows a failure with its action buttons and runs the one the user clicks. */
export async function reportFailure(ctx: Ctx, id: string, err: unknown): Promise<void> {
  if (err instanceof Cancelled) return;
  let message: string;
  let actions: readonly FailureAction[];
  if (err instanceof UserError) {
    message = err.message;
    actions = err.actions;
    ctx.output.warn(`${id}: ${message}`);
  } else {
    const e = err instanceof Error ? err : new Error(String(err));
    ctx.output.error(`${id} failed: ${e.stack ?? e.message}`);
    message = `${commandTitle(ctx, id)} failed: ${e.message}`;
    actions = ['Show Output'];
  }
  const chosen = await vscode.window.showErrorMessage(`Kube Service Lab: ${message}`, ...actions);
  if (chosen) await vscode.commands.executeCommand(ACTION_COMMANDS[chosen]);
}

export function guarded(ctx: Ctx, id: string, handler: (...args: unknown[]) => unknown): (...args: unknown[]) => Promise<unknown> {
  return async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      // The message is not awaited: a command's promise should not wait for a notification.
      void reportFailure(ctx, id, err);
      return undefined;
    }
  };
}
