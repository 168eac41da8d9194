// The extension under test and the test API its activate() returns.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KslExtensionApi } from '../../../../client/src/extension';

/** publisher.name from package.json. */
export const EXTENSION_ID = 'kube-service-lab.kube-service-lab';

export function kslExtension(): vscode.Extension<KslExtensionApi> {
  const extension = vscode.extensions.getExtension<KslExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded in this VS Code`);
  return extension;
}

/** The test API; activates the extension if nothing has yet. */
export async function kslApi(): Promise<KslExtensionApi> {
  const api = await kslExtension().activate();
  assert.ok(api?.clusterTree && api.emulator && api.languageClient, 'activate() did not return the test API');
  return api;
}
