// Kube Service Lab: Stop Emulator. The cluster's state is kept for the next start.

import type { Ctx } from '../ctx';

export function stopEmulator(ctx: Ctx) {
  return (): Promise<void> => ctx.emulator.stop();
}
