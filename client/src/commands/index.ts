// Every command of the extension, by id. Each file holds one command's factory.

import type { Ctx } from '../ctx';
import { openTerminal } from './openTerminal';
import { resetEmulator } from './resetEmulator';
import { selectCluster } from './selectCluster';
import { startEmulator } from './startEmulator';
import { stopEmulator } from './stopEmulator';

export const COMMANDS: Record<string, (ctx: Ctx) => (...args: unknown[]) => unknown> = {
  'ksl.startEmulator': startEmulator,
  'ksl.stopEmulator': stopEmulator,
  'ksl.resetEmulator': resetEmulator,
  'ksl.openTerminal': openTerminal,
  'ksl.selectCluster': selectCluster,
};
