// Prompts must not block the suite, and the notifications the extension shows are part of what
// it does. While the suite runs, the message functions of `vscode.window` record what they are
// asked to show and answer as a user who clicks nothing; a quick pick, an input box or a
// message button is answered by the test that expects one. `env.openExternal` records the URL
// instead of opening a browser tab. The extension shares this `vscode` object with the suite,
// so it sees the stubs.

import * as vscode from 'vscode';

export interface ShownMessage {
  severity: 'error' | 'warning' | 'info';
  text: string;
}

type PickItem = string | vscode.QuickPickItem;
type Writable<T> = { -readonly [K in keyof T]: T[K] };
type WindowFunctions = Pick<typeof vscode.window, 'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage' | 'showQuickPick' | 'showInputBox'>;

const win = vscode.window as Writable<typeof vscode.window>;
const env = vscode.env as Writable<typeof vscode.env>;
const shown: ShownMessage[] = [];
const opened: string[] = [];
let originals: (WindowFunctions & { openExternal: typeof vscode.env.openExternal }) | undefined;
let quickPickAnswer: ((items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined) | undefined;
let inputBoxAnswer: ((options: vscode.InputBoxOptions) => string | undefined) | undefined;
let messageAnswer: { severity: ShownMessage['severity']; choose: (text: string, items: string[]) => string | undefined } | undefined;

/** A message item is a string or `{ title }`; the recorder answers with the item itself. */
type MessageItem = string | vscode.MessageItem;

function recorder(severity: ShownMessage['severity']) {
  return (message: string, ...rest: unknown[]): Promise<MessageItem | undefined> => {
    shown.push({ severity, text: message });
    const answer = messageAnswer?.severity === severity ? messageAnswer : undefined;
    if (!answer) return Promise.resolve(undefined);
    messageAnswer = undefined;
    const items = rest.filter((r): r is MessageItem => typeof r === 'string' || (typeof r === 'object' && r !== null && 'title' in r));
    const titles = items.map((i) => (typeof i === 'string' ? i : i.title));
    const chosen = answer.choose(message, titles);
    return Promise.resolve(items.find((i) => (typeof i === 'string' ? i : i.title) === chosen));
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
    openExternal: env.openExternal,
  };
  win.showErrorMessage = recorder('error') as typeof vscode.window.showErrorMessage;
  win.showWarningMessage = recorder('warning') as typeof vscode.window.showWarningMessage;
  win.showInformationMessage = recorder('info') as typeof vscode.window.showInformationMessage;
  win.showInputBox = (options?: vscode.InputBoxOptions) => {
    const answer = inputBoxAnswer;
    inputBoxAnswer = undefined;
    return Promise.resolve(answer ? answer(options ?? {}) : undefined);
  };
  env.openExternal = (target: vscode.Uri) => {
    opened.push(target.toString(true));
    return Promise.resolve(true);
  };
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
  const { openExternal, ...windowFunctions } = originals;
  Object.assign(win, windowFunctions);
  env.openExternal = openExternal;
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

/**
 * The next input box is answered with what `answer` returns for its options (undefined:
 * dismissed with Escape). The answer must pass the box's own validation, as a user's would.
 */
export function answerNextInputBox(answer: (options: vscode.InputBoxOptions) => string | undefined): void {
  inputBoxAnswer = (options) => {
    const value = answer(options);
    const problem = value === undefined ? undefined : options.validateInput?.(value);
    if (problem && typeof problem === 'string') throw new Error(`the input box "${options.title ?? ''}" refused ${JSON.stringify(value)}: ${problem}`);
    return value;
  };
}

/** The next message of `severity` is answered with the button `choose` picks (undefined: closed). */
export function answerNextMessage(severity: ShownMessage['severity'], choose: (text: string, items: string[]) => string | undefined): void {
  messageAnswer = { severity, choose };
}

/** The URLs the extension asked `env.openExternal` to open, oldest first. */
export function openedExternally(): readonly string[] {
  return opened;
}
