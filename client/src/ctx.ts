// Everything the extension's parts share for the lifetime of one window: the VS Code context,
// the output channel, the workspace's emulator and the language client. Parts register their
// disposables here; deactivation disposes them in reverse order.

import type * as vscode from 'vscode';
import type { EmulatorProcess } from './emulatorProcess';
import type { LanguageClientHandle } from './languageClient';

export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly emulator: EmulatorProcess;
  readonly languageClient: LanguageClientHandle;
  /** Registers something to dispose when the extension deactivates. */
  own<T extends vscode.Disposable>(d: T): T;
}
