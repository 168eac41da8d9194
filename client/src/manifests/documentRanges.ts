// Which YAML documents of a file a command is about. The file is cut with the language
// server's own splitter, so a document's index here is the index the server uses in
// `DocumentsParams.documents`.

import { splitDocuments } from '../../../server/src/manifest/splitDocuments';

export interface DocumentSpan {
  /** Zero-based index of the document in the file, as the language server counts. */
  index: number;
  /** Zero-based first line of the document (its leading comments and `---` included). */
  startLine: number;
  /** Zero-based last line of the document. */
  endLine: number;
  /** False for a piece that holds only comments, blank lines, markers or directives. */
  hasContent: boolean;
}

/** A selection in editor coordinates (zero-based), start before end as in vscode.Selection. */
export interface LineSelection {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

const LINE_BREAK = /\r\n|\r|\n/;

function isContentLine(line: string): boolean {
  if (/^\s*(#.*)?$/.test(line)) return false;
  if (line.startsWith('%')) return false;
  // A marker line is content only when something other than a comment follows the marker.
  const marker = /^(---|\.\.\.)(?=\s|$)(.*)$/.exec(line);
  if (marker) return marker[1] === '---' && !/^\s*(#.*)?$/.test(marker[2] ?? '');
  return true;
}

/** The documents of `text` with their line spans. A file always has at least one. */
export function documentSpans(text: string): DocumentSpan[] {
  const chunks = splitDocuments(text);
  const lastLine = text.split(LINE_BREAK).length - 1;
  return chunks.map((chunk, index) => {
    const next = chunks[index + 1];
    return {
      index,
      startLine: chunk.line,
      endLine: next ? next.line - 1 : lastLine,
      hasContent: chunk.text.split(LINE_BREAK).some(isContentLine),
    };
  });
}

/**
 * The indexes of the documents to send: those touched by a non-empty selection, or every
 * document when all selections are empty (a cursor means "this file"). Documents without
 * content are left out, as kubectl skips empty documents. A selection that ends at the start
 * of a line does not touch that line, so selecting whole lines takes exactly those documents.
 */
export function documentsForSelections(text: string, selections: readonly LineSelection[]): number[] {
  const spans = documentSpans(text);
  const ranges = selections
    .filter((s) => s.startLine !== s.endLine || s.startCharacter !== s.endCharacter)
    .map((s) => ({ start: s.startLine, end: s.endLine > s.startLine && s.endCharacter === 0 ? s.endLine - 1 : s.endLine }));
  const touched = ranges.length === 0 ? spans : spans.filter((d) => ranges.some((r) => r.start <= d.endLine && r.end >= d.startLine));
  return touched.filter((d) => d.hasContent).map((d) => d.index);
}

/** The document that holds `line`, or undefined outside the text. */
export function documentAtLine(spans: readonly DocumentSpan[], line: number): DocumentSpan | undefined {
  return spans.find((d) => d.startLine <= line && line <= d.endLine);
}
