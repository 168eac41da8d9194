// Cuts a file into one piece of text per YAML document without parsing it, so each piece can
// be parsed, cached and validated on its own. This is sound because YAML document markers are
// line-based: a line that starts with `---` or `...` followed by a space or the line's end
// ends whatever came before it, even an unterminated scalar (YAML 1.2, "c-forbidden"). kubectl
// cuts its input the same way before converting each document.
//
// The pieces tile the file: every character belongs to exactly one piece. A `---` line opens
// a new piece only once the current piece holds content or its own `---`; comments, blank
// lines and directives before a document stay with that document. A `...` line closes the
// piece it ends.

export interface DocumentChunk {
  text: string;
  /** Offset of the chunk's first character in the file. */
  offset: number;
  /** Zero-based line of the chunk's first character in the file. */
  line: number;
}

const enum LineKind {
  Blank,
  Comment,
  Directive,
  Start,
  End,
  Content,
}

function classify(text: string, start: number, end: number): LineKind {
  const c = text.charCodeAt(start);
  if (start >= end) return LineKind.Blank;
  if (c === 0x2d /* - */ || c === 0x2e /* . */) {
    if (end - start >= 3 && text.charCodeAt(start + 1) === c && text.charCodeAt(start + 2) === c) {
      const after = start + 3 < end ? text.charCodeAt(start + 3) : -1;
      if (after === -1 || after === 0x20 || after === 0x09) return c === 0x2d ? LineKind.Start : LineKind.End;
    }
    return LineKind.Content;
  }
  if (c === 0x25 /* % */) return LineKind.Directive;
  let i = start;
  while (i < end && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  if (i === end) return LineKind.Blank;
  return text.charCodeAt(i) === 0x23 /* # */ ? LineKind.Comment : LineKind.Content;
}

export interface SplitOptions {
  /** Where to start: a chunk boundary of the text (an offset at a line start) and its line. */
  from?: { offset: number; line: number };
  /**
   * Asked at every cut after the first; returning true ends the split there (the rest of the
   * text is known to cut as before). The chunk that ends at the cut is included.
   */
  stopAt?: (offset: number) => boolean;
}

export interface SplitResult {
  chunks: DocumentChunk[];
  /** The offset where `stopAt` ended the split, or undefined when it ran to the end. */
  stoppedAt: number | undefined;
}

/** The pieces of `text` from `options.from` (default: the start) to the end or to an accepted stop. */
export function splitDocumentsFrom(text: string, options: SplitOptions = {}): SplitResult {
  const chunks: DocumentChunk[] = [];
  let chunkStart = options.from?.offset ?? 0;
  let chunkLine = options.from?.line ?? 0;
  let hasContent = false;
  let hasStart = false;
  let line = chunkLine;
  let pos = chunkStart;
  const crlf = text.indexOf('\r', pos) >= 0;
  const cut = (at: number, atLine: number): boolean => {
    chunks.push({ text: text.slice(chunkStart, at), offset: chunkStart, line: chunkLine });
    chunkStart = at;
    chunkLine = atLine;
    hasContent = false;
    hasStart = false;
    return options.stopAt?.(at) ?? false;
  };
  while (pos < text.length) {
    let end: number;
    let next: number;
    if (crlf) {
      end = pos;
      while (end < text.length) {
        const c = text.charCodeAt(end);
        if (c === 10 || c === 13) break;
        end++;
      }
      next = end;
      if (next < text.length) next += text.charCodeAt(next) === 13 && text.charCodeAt(next + 1) === 10 ? 2 : 1;
    } else {
      const nl = text.indexOf('\n', pos);
      end = nl < 0 ? text.length : nl;
      next = nl < 0 ? text.length : nl + 1;
    }
    const kind = classify(text, pos, end);
    if (kind === LineKind.Start) {
      if ((hasContent || hasStart) && cut(pos, line)) return { chunks, stoppedAt: pos };
      hasStart = true;
      // Content on the marker line itself (`--- !tag` or `--- {a: 1}`) belongs to the document.
      if (/\S/.test(text.slice(pos + 3, end))) hasContent = true;
    } else if (kind === LineKind.End) {
      line++;
      pos = next;
      if (cut(pos, line)) return { chunks, stoppedAt: pos };
      continue;
    } else if (kind === LineKind.Content) {
      hasContent = true;
    }
    line++;
    pos = next;
  }
  if (chunkStart < text.length || chunks.length === 0) chunks.push({ text: text.slice(chunkStart), offset: chunkStart, line: chunkLine });
  return { chunks, stoppedAt: undefined };
}

export function splitDocuments(text: string): DocumentChunk[] {
  return splitDocumentsFrom(text).chunks;
}
