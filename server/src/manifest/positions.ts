// Offsets and LSP positions. LSP counts characters in UTF-16 code units by default, which is
// exactly how JavaScript strings index, so a position's character is an offset within its
// line; only line starts need computing. Lines end at "\n", "\r\n" or a lone "\r", as LSP says.

/** A zero-based line and UTF-16 character, shaped like the LSP type so it can be sent as is. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A half-open span of UTF-16 offsets into some text. */
export interface OffsetRange {
  start: number;
  end: number;
}

export class LineIndex {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The offset where `line` starts; past the last line it is the text's length. */
  lineStart(line: number): number {
    if (line < 0) return 0;
    return line < this.starts.length ? this.starts[line]! : this.text.length;
  }

  /** The position of `offset`, clamped to the text; an offset inside a "\r\n" is the end of its line. */
  positionAt(offset: number): Position {
    let o = Math.max(0, Math.min(Math.floor(offset), this.text.length));
    // LSP has no position between the two characters of a line break.
    if (o > 0 && this.text.charCodeAt(o - 1) === 13 && this.text.charCodeAt(o) === 10) o--;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }

  /** The offset of `pos`, clamped to its line (a character past the line's end lands on the end). */
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line]!;
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1]! : this.text.length;
    let end = next;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return Math.min(start + Math.max(0, pos.character), end);
  }

  range(r: OffsetRange): Range {
    return { start: this.positionAt(r.start), end: this.positionAt(r.end) };
  }
}

/** The same range moved down by `lines` lines (documents start at line starts, so characters stay). */
export function shiftRange(r: Range, lines: number): Range {
  if (lines === 0) return r;
  return { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } };
}
