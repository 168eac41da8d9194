// Prompts must not block the suite, and the notifications the extension shows are part of what
// it does. While the suite runs, the message functions of `vscode.window` record what they are
// asked to show and answer as a user who clicks nothing; a quick pick is answered by the test
// that expects one. The extension shares this `vscode` object with the suite, so it sees the
// stubs.

import * as vscode from 'vscode';

export interface ShownMessage {
  severity: 'error' | 'warning' | 'info';
  text: string;
}

type PickItem = string | vscode.QuickPickItem;
type Writable<T> = { -readonly [K in keyof T]: T[K] };
type WindowFunctions = Pick<typeof vscode.window, 'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage' | 'showQuickPick' | 'showInputBox'>;

const win = vscode.window as Writable<typeof vscode.window>;
const shown: ShownMessage[] = [];
let originals: WindowFunctions | undefined;
let quickPickAnswer: ((items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined) | undefined;

function recorder(severity: ShownMessage['severity']) {
  return (message: string): Promise<undefined> => {
    shown.push({ severity, text: message });
    return Promise.resolve(undefined);
  };
}

/** Replaces the prompts with recorders; `restoreWindow` puts the originals back. */
export function stubWindow(): void {
  if (originals) return;
  originals = {
    showErrorMessage: win.showErrorMessage,
    showWarningMessage: win.showWarningMessage,
    showInformationMessage: win.showInformationMessage,
    showQuickPick: win.showQuickPick,
    showInputBox: win.showInputBox,
  };
  win.showErrorMessage = recorder('error');
  win.showWarningMessage = recorder('warning');
  win.showInformationMessage = recorder('info');
  win.showInputBox = () => Promise.resolve(undefined);
  const pickStub = async (items: readonly PickItem[] | Thenable<readonly PickItem[]>): Promise<PickItem | undefined> => {
    const answer = quickPickAnswer;
    quickPickAnswer = undefined;
    if (!answer) return undefined;
    const given = await items;
    const chosen = answer(given.map((i) => (typeof i === 'string' ? { label: i } : i)));
    return chosen && given.find((i) => (typeof i === 'string' ? i === chosen.label : i === chosen));
  };
  win.showQuickPick = pickStub as typeof vscode.window.showQuickPick;
}

export function restoreWindow(): void {
  if (!originals) return;
  Object.assign(win, originals);
  originals = undefined;
}

/** A position in the message log, for `messagesSince`. */
export function messageMark(): number {
  return shown.length;
}

export function messagesSince(mark: number, severity?: ShownMessage['severity']): ShownMessage[] {
  return shown.slice(mark).filter((m) => !severity || m.severity === severity);
}

/** The next quick pick is answered with the item `choose` returns (undefined: dismissed). */
export function answerNextQuickPick(choose: (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined): void {
  quickPickAnswer = choose;
}
