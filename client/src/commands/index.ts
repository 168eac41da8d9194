// Every command of the extension, by id. Each file holds one command's factory; the
// extension registers each through the failure guard (guarded.ts).

import type { Ctx } from '../ctx';
import { applyToEmulator } from './applyToEmulator';
import { callService } from './callService';
import { deleteFromEmulator } from './deleteFromEmulator';
import { deletePod } from './deletePod';
import { openLessonManifest } from './openLessonManifest';
import { openNodePort } from './openNodePort';
import { openTerminal } from './openTerminal';
import { refreshClusterExplorer } from './refreshClusterExplorer';
import { resetEmulator } from './resetEmulator';
import { resolveName } from './resolveName';
import { revealInExplorer } from './revealInExplorer';
import { revealManifest } from './revealManifest';
import { scaleDeployment } from './scaleDeployment';
import { selectCluster } from './selectCluster';
import { showOutput } from './showOutput';
import { showProxyRules } from './showProxyRules';
import { startEmulator } from './startEmulator';
import { stopEmulator } from './stopEmulator';
import { trafficTest } from './trafficTest';

export const COMMANDS: Record<string, (ctx: Ctx) => (...args: unknown[]) => unknown> = {
  'ksl.applyToEmulator': applyToEmulator,
  'ksl.deleteFromEmulator': deleteFromEmulator,
  'ksl.startEmulator': startEmulator,
  'ksl.stopEmulator': stopEmulator,
  'ksl.resetEmulator': resetEmulator,
  'ksl.scaleDeployment': scaleDeployment,
  'ksl.deletePod': deletePod,
  'ksl.showProxyRules': showProxyRules,
  'ksl.resolveName': resolveName,
  'ksl.callService': callService,
  'ksl.trafficTest': trafficTest,
  'ksl.openNodePort': openNodePort,
  'ksl.openTerminal': openTerminal,
  'ksl.selectCluster': selectCluster,
  'ksl.revealManifest': revealManifest,
  'ksl.revealInExplorer': revealInExplorer,
  'ksl.refreshClusterExplorer': refreshClusterExplorer,
  'ksl.openLessonManifest': openLessonManifest,
  'ksl.showOutput': showOutput,
};
