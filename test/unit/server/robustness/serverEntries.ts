// Every module entry the language server calls for a file, called the way server.ts calls it
// but without its safety net (server.ts turns a feature that throws into an empty answer and a
// log line, and the checks turn a rule that throws into a `ksl/internal` diagnostic; here
// either fails the test). Each answer's ranges are checked against the text as the editor
// counts lines, because an editor drops or misplaces what points outside the file, and VS Code
// rejects a whole outline whose symbol has its selection outside its range.

import assert from 'node:assert/strict';
import type { CodeAction, CompletionItem, Diagnostic, DocumentSymbol, Hover, InlayHint, Range } from 'vscode-languageserver';
import { clusterFindings } from '../../../../server/src/cluster/clusterFindings';
import type { ClusterView } from '../../../../server/src/cluster/clusterView';
import { WorkspaceView } from '../../../../server/src/cluster/workspaceView';
import { ManifestCache, type ManifestFile } from '../../../../server/src/documents';
import { declaredObjects, podTemplateSignatures, type ClusterChecks } from '../../../../server/src/features/cachedFindings';
import { codeActions } from '../../../../server/src/features/codeActions';
import { codeLenses } from '../../../../server/src/features/codeLens';
import { completion } from '../../../../server/src/features/completion';
import { fileDiagnostics } from '../../../../server/src/features/diagnostics';
import { hover } from '../../../../server/src/features/hover';
import { inlayHints } from '../../../../server/src/features/inlayHints';
import { documentSymbols } from '../../../../server/src/features/symbols';
import type { Position } from '../../../../server/src/manifest/positions';
import { lessonView } from '../features/featureFixtures';

export const URI = 'file:///work/robust.yaml';

/** The cluster views a feature can meet: the lesson running in a cluster, and no cluster at all. */
export function views(): ClusterView[] {
  return [lessonView(), new WorkspaceView({ workspaceObjects: () => [], reason: () => 'no cluster configured' })];
}

/** The lengths of the text's lines as an editor counts them (LSP: "\n", "\r\n" or "\r" end a line). */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

/** Positions that are hard for a feature: the ends of the file, and places outside it. */
export function edgePositions(text: string): Position[] {
  const lengths = lineLengths(text);
  const last = lengths.length - 1;
  return [
    { line: 0, character: 0 },
    { line: last, character: lengths[last]! },
    { line: Math.floor(last / 2), character: Math.floor((lengths[Math.floor(last / 2)] ?? 0) / 2) },
    { line: last + 3, character: 0 },
    { line: 0, character: 1_000_000 },
    { line: -1, character: -1 },
    { line: 2 ** 31 - 1, character: 2 ** 31 - 1 },
  ];
}

function assertInside(range: Range, lengths: number[], what: string): void {
  for (const p of [range.start, range.end]) {
    assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line < lengths.length, `${what}: line ${p.line} is outside the file's ${lengths.length} lines`);
    assert.ok(Number.isInteger(p.character) && p.character >= 0 && p.character <= lengths[p.line]!, `${what}: character ${p.character} is outside line ${p.line} (length ${lengths[p.line]})`);
  }
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  assert.ok(ordered, `${what}: the range ends before it starts: ${JSON.stringify(range)}`);
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Position, b: Position): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

function checkSymbols(symbols: DocumentSymbol[], lengths: number[]): void {
  for (const s of symbols) {
    assertInside(s.range, lengths, `symbol ${s.name}`);
    assertInside(s.selectionRange, lengths, `symbol ${s.name} selection`);
    assert.ok(contains(s.range, s.selectionRange), `symbol ${s.name}: its selection ${JSON.stringify(s.selectionRange)} is outside its range ${JSON.stringify(s.range)}`);
    checkSymbols(s.children ?? [], lengths);
  }
}

function checkEdits(actions: CodeAction[], lengths: number[]): void {
  for (const a of actions) for (const edits of Object.values(a.edit?.changes ?? {})) for (const e of edits) assertInside(e.range, lengths, `code action "${a.title}"`);
}

function checkCompletions(items: CompletionItem[], lengths: number[]): void {
  for (const item of items) if (item.textEdit && 'range' in item.textEdit) assertInside(item.textEdit.range, lengths, `completion ${item.label}`);
}

function checkHover(h: Hover | null, lengths: number[]): void {
  if (h?.range) assertInside(h.range, lengths, 'hover');
}

function checkHints(hints: InlayHint[], lengths: number[]): void {
  for (const h of hints) assertInside({ start: h.position, end: h.position }, lengths, `inlay hint ${String(h.label)}`);
}

/** The server's cluster checks for a view, as server.ts builds them. */
function clusterChecks(view: ClusterView): ClusterChecks {
  return { generation: 0, findings: (service) => clusterFindings(service, view) };
}

export interface Answers {
  file: ManifestFile;
  diagnostics: Diagnostic[];
}

/**
 * Parses `text` as the server does, publishes its diagnostics, then asks every feature at
 * each of `positions` (and over the whole file) against each view. Throws when a module throws
 * or answers with a range outside the text. `positions` default to edgePositions(text).
 */
export function answerEverything(text: string, positions: readonly Position[] = edgePositions(text), allViews: readonly ClusterView[] = views()): Answers {
  const lengths = lineLengths(text);
  const cache = new ManifestCache();
  const file = cache.update(URI, 1, text);
  declaredObjects([file]);
  podTemplateSignatures(file);
  let diagnostics: Diagnostic[] = [];
  const whole: Range = { start: { line: 0, character: 0 }, end: { line: lengths.length, character: 0 } };
  for (const view of allViews) {
    diagnostics = fileDiagnostics(file, clusterChecks(view));
    for (const d of diagnostics) {
      assertInside(d.range, lengths, `diagnostic ${String(d.code)} "${d.message}"`);
      assert.notEqual(d.code, 'ksl/internal', `a check failed inside: ${d.message}`);
    }
    checkSymbols(documentSymbols(file), lengths);
    checkHints(inlayHints(file, whole, view), lengths);
    for (const lens of codeLenses(file, view)) assertInside(lens.range, lengths, `code lens ${lens.command?.title ?? ''}`);
    for (const position of positions) {
      const at: Range = { start: position, end: position };
      checkHover(hover(file, position, view), lengths);
      checkCompletions(completion(file, position, view, declaredObjects([file])), lengths);
      checkEdits(codeActions(file, at, diagnostics, view), lengths);
      checkHints(inlayHints(file, at, view), lengths);
    }
  }
  return { file, diagnostics };
}
