// Kube Service Lab: Show Output. The channel where the emulator, the language server and the
// commands write what happened.

import type { Ctx } from '../ctx';

export function showOutput(ctx: Ctx) {
  return (): void => ctx.output.show(true);
}
