// Kube Service Lab: Delete from Emulator. Deletes the objects the manifests declare, like
// `kubectl delete -f`.

import type { Ctx } from '../ctx';
import { runDocumentsBatch } from './documentsBatch';
import { manifestSources } from './manifestSources';

export function deleteFromEmulator(ctx: Ctx) {
  return async (...args: unknown[]): Promise<void> => {
    await runDocumentsBatch(ctx, 'delete', await manifestSources(args, 'delete'));
  };
}
