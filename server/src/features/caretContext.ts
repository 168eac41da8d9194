// Where the caret is in a block-style YAML document that is being typed, read from the text's
// indentation rather than from a parse: half-typed lines (`    ap`, `type: `) often do not
// parse, or parse as something else (a plain scalar where a mapping was meant), but their
// indentation already says which field they belong to. The walk goes up from the caret's line:
// - a line `key:` with nothing after the colon, indented less than the current column, is the
//   parent mapping's key;
// - a line starting with `- ` at a column less than the current one is an item of a sequence,
//   whose index is the number of `- ` lines at that column above it in the same sequence;
// - a sequence may sit at its parent key's own indentation (`ports:` then `- port: 80`).
// Flow collections and multi-line scalars are not followed; the caret there gets no context.
// Completion asks on every keystroke, so only the lines the walk reaches are read: upward from
// the caret to the key in column 0 that encloses it, each line shaped once.

import type { FieldPathSegment } from './finding';
import type { OffsetRange } from '../manifest/positions';

export interface CaretContext {
  /** The field whose key is being typed (its parent path plus the partial key) or whose value is. */
  path: FieldPathSegment[];
  on: 'key' | 'value';
  /** What is typed so far, which a completion replaces. */
  prefix: string;
  /** Where that text is, as offsets into the document. */
  range: OffsetRange;
}

interface LineShape {
  /** Column of the `- ` that starts a sequence item on this line. */
  dash?: number;
  /** Column and text of the mapping key on this line. */
  keyCol?: number;
  key?: string;
  /** True when something follows the key's colon (so the key is a leaf, not a parent). */
  hasValue: boolean;
}

// Keys are read by scanning each line once. Regular expressions with a lazy key followed by
// `\s*:` (or `\s+#` for a trailing comment) retry every space of a run from every start, which
// takes seconds on one long line of spaces, and completion runs on every keystroke.

/** White space as a regular expression's `\s` reads it, which is what trimStart and trimEnd remove. */
const SPACE = /\s/;
/** What `.` in a regular expression does not match. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;
/** The characters that cannot start a plain key on a line being shaped. */
const NOT_KEY_START = new Set(['#', "'", '"', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`', '-']);
/** The characters that cannot start the key of the caret's own line. */
const NOT_CARET_KEY_START = new Set(['#', "'", '"', '{', '}', '[', ']', ',', ':']);

interface KeyAndValue {
  /** The key as written, without the white space before its colon. */
  key: string;
  /** What follows the colon, without the white space that separates it from the colon. */
  value: string;
}

/**
 * What follows a key's colon at `colon`: the colon must end the text or be followed by white
 * space, and the value then runs to the end of the line (no line break inside it).
 */
function valueAfter(text: string, colon: number): string | undefined {
  if (text[colon] !== ':') return undefined;
  if (colon + 1 === text.length) return '';
  if (!SPACE.test(text[colon + 1]!)) return undefined;
  const value = text.slice(colon + 1).trimStart();
  return LINE_BREAK.test(value) ? undefined : value;
}

/**
 * The plain key that starts `text` and what follows its colon: the key runs to the first colon
 * after its first character and holds no `#`. The caller has checked the first character.
 */
function plainKey(text: string): KeyAndValue | undefined {
  const colon = text.indexOf(':', 1);
  if (colon < 0) return undefined;
  const hash = text.indexOf('#', 1);
  if (hash >= 0 && hash < colon) return undefined;
  const value = valueAfter(text, colon);
  return value === undefined ? undefined : { key: text.slice(0, colon).trimEnd(), value };
}

/** The index just past the quoted key that opens `text`, or -1 when the quote is not closed on the line. */
function quotedEnd(text: string): number {
  const quote = text[0];
  for (let i = 1; i < text.length; i++) {
    const ch = text[i];
    if (quote === '"' && ch === '\\') {
      // An escape takes the next character, which cannot be a line break.
      if (i + 1 >= text.length || LINE_BREAK.test(text[i + 1]!)) return -1;
      i++;
    } else if (ch === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return -1;
}

function unquote(key: string): string {
  if (key.startsWith('"') && key.endsWith('"')) return key.slice(1, -1);
  if (key.startsWith("'") && key.endsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key;
}

/** The mapping key a line's content (after its indentation and any `- `) starts with, unquoted. */
function keyOf(content: string): KeyAndValue | undefined {
  const first = content[0]!;
  if (first === '"' || first === "'") {
    const end = quotedEnd(content);
    if (end < 0) return undefined;
    let colon = end;
    while (colon < content.length && SPACE.test(content[colon]!)) colon++;
    const value = valueAfter(content, colon);
    return value === undefined ? undefined : { key: unquote(content.slice(0, end)), value };
  }
  // A key may start with `-` when the dash is not an item's (`-x: 1`).
  if (first === '-' ? content.length < 2 || SPACE.test(content[1]!) || content[1] === ':' || content[1] === '#' : NOT_KEY_START.has(first)) return undefined;
  return plainKey(content);
}

/**
 * `text` without a trailing comment: from the white space before the first ` #` on, where the
 * `#` stands after the last line break inside the text (a comment does not cross one).
 */
function withoutComment(text: string): string {
  let lastLine = text.length;
  while (lastLine > 0 && !LINE_BREAK.test(text[lastLine - 1]!)) lastLine--;
  const commentStart = /\s#/g;
  commentStart.lastIndex = Math.max(0, lastLine - 1);
  const hash = commentStart.exec(text);
  return hash ? text.slice(0, hash.index + 1).trimEnd() : text;
}

function shapeOf(line: string): LineShape | undefined {
  const indent = line.length - line.trimStart().length;
  let rest = line.slice(indent);
  if (rest === '' || rest.startsWith('#')) return undefined;
  const shape: LineShape = { hasValue: false };
  let col = indent;
  if (rest === '-' || rest.startsWith('- ')) {
    shape.dash = indent;
    const after = rest.slice(1);
    const pad = after.length - after.trimStart().length;
    col = indent + 1 + pad;
    rest = after.trimStart();
    if (rest === '' || rest.startsWith('#')) return shape;
  }
  const key = keyOf(withoutComment(rest));
  if (key) {
    shape.keyCol = col;
    shape.key = key.key;
    shape.hasValue = key.value !== '';
  }
  return shape;
}

/**
 * The lines above the caret's, read upward from it one at a time as the walk asks for them, so
 * that a completion reads only the block that encloses the caret. Line `up` is the one `up`
 * lines above the caret's; each is shaped once.
 */
class LinesAbove {
  private readonly shapes: (LineShape | undefined)[] = [];
  /** Where the line break that ends the next line to read stands, or -1 once the first line is read. */
  private nextEnd: number;

  constructor(
    private readonly text: string,
    caretLineStart: number,
  ) {
    this.nextEnd = caretLineStart - 1;
  }

  /** Whether the text has a line `up` lines above the caret's. */
  has(up: number): boolean {
    while (this.shapes.length < up) {
      if (this.nextEnd < 0) return false;
      const start = this.nextEnd === 0 ? 0 : this.text.lastIndexOf('\n', this.nextEnd - 1) + 1;
      let line = this.text.slice(start, this.nextEnd);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.shapes.push(shapeOf(line));
      this.nextEnd = start - 1;
    }
    return up >= 1;
  }

  /** The shape of line `up` (which `has` has confirmed), undefined for a blank or comment line. */
  shape(up: number): LineShape | undefined {
    return this.shapes[up - 1];
  }
}

/** How many items of the sequence whose dashes stand at column `dash` come before line `up`. */
function itemIndex(lines: LinesAbove, up: number, dash: number): number {
  let count = 0;
  for (let u = up + 1; lines.has(u); u++) {
    const s = lines.shape(u);
    if (!s) continue;
    const col = s.dash ?? s.keyCol;
    if (col === undefined) continue;
    if (s.dash === dash) count++;
    else if (col < dash || (col === dash && s.dash === undefined)) break;
  }
  return count;
}

/** The path of the mapping or sequence that holds a key written at `startCol` on the caret's line. */
function parentPath(lines: LinesAbove, startCol: number, startInItem: boolean): FieldPathSegment[] {
  const path: FieldPathSegment[] = [];
  let col = startCol;
  // Right after a sequence item, the parent key may stand at the dash's own column.
  let sameColumnParent = startInItem;
  for (let u = 1; col > 0 && lines.has(u); u++) {
    const s = lines.shape(u);
    if (!s) continue;
    if (s.key !== undefined && s.keyCol !== undefined && !s.hasValue && (s.keyCol < col || (sameColumnParent && s.keyCol === col && s.dash === undefined))) {
      path.unshift(s.key);
      col = s.keyCol;
      sameColumnParent = false;
    }
    if (s.dash !== undefined && s.dash < col) {
      path.unshift(itemIndex(lines, u, s.dash));
      col = s.dash;
      sameColumnParent = true;
    }
  }
  return path;
}

/** The key of the caret's line and the value typed after it so far, when the caret is past its colon. */
function caretKey(rest: string): KeyAndValue | undefined {
  if (rest === '' || SPACE.test(rest[0]!) || NOT_CARET_KEY_START.has(rest[0]!)) return undefined;
  return plainKey(rest);
}

/** The caret's context at `offset` of a document's text, or undefined where it cannot be told. */
export function caretContext(text: string, offset: number): CaretContext | undefined {
  const lineStart = offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', lineStart);
  let lineText = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
  const before = lineText.slice(0, Math.max(0, offset - lineStart));
  if (/(^|\s)#/.test(before)) return undefined;
  const lines = new LinesAbove(text, lineStart);

  const indent = before.length - before.trimStart().length;
  let col = indent;
  let rest = before.slice(indent);
  let inItem = false;
  const own: FieldPathSegment[] = [];
  if (rest.startsWith('- ')) {
    own.push(itemIndex(lines, 0, indent));
    const after = rest.slice(1);
    col = indent + 1 + (after.length - after.trimStart().length);
    rest = after.trimStart();
    inItem = true;
  }
  const parents = (): FieldPathSegment[] => (inItem ? [...parentPath(lines, indent, true), ...own] : parentPath(lines, col, false));
  const typed = caretKey(rest);
  if (typed) {
    // A flow collection or a second colon: the caret is not on a plain scalar value.
    if (/^[{[]|:(\s|$)/.test(typed.value)) return undefined;
    const prefix = typed.value.replace(/^["']/, '');
    return { path: [...parents(), typed.key], on: 'value', prefix, range: { start: offset - prefix.length, end: offset } };
  }
  if (/^[A-Za-z0-9_./-]*$/.test(rest)) {
    return { path: [...parents(), rest], on: 'key', prefix: rest, range: { start: offset - rest.length, end: offset } };
  }
  return undefined;
}
