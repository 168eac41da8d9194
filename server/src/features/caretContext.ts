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

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+(.*))?$/;

function unquote(key: string): string {
  if (key.startsWith('"') && key.endsWith('"')) return key.slice(1, -1);
  if (key.startsWith("'") && key.endsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key;
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
  const m = KEY.exec(rest.replace(/\s+#.*$/, ''));
  if (m) {
    shape.keyCol = col;
    shape.key = unquote(m[1]!.trim());
    shape.hasValue = (m[2] ?? '').trim() !== '';
  }
  return shape;
}

/** The lines of `text` with the offset each starts at. */
function splitLines(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    out.push({ text: text.slice(start, end).replace(/\r$/, ''), start });
    if (nl < 0) return out;
    start = nl + 1;
  }
}

/** How many items of the sequence whose dashes stand at column `dash` come before line `line`. */
function itemIndex(shapes: (LineShape | undefined)[], line: number, dash: number): number {
  let count = 0;
  for (let j = line - 1; j >= 0; j--) {
    const s = shapes[j];
    if (!s) continue;
    const col = s.dash ?? s.keyCol;
    if (col === undefined) continue;
    if (s.dash === dash) count++;
    else if (col < dash || (col === dash && s.dash === undefined)) break;
  }
  return count;
}

/** The path of the mapping or sequence that holds a key written at `col` on line `line`. */
function parentPath(shapes: (LineShape | undefined)[], line: number, startCol: number, startInItem: boolean): FieldPathSegment[] {
  const path: FieldPathSegment[] = [];
  let col = startCol;
  // Right after a sequence item, the parent key may stand at the dash's own column.
  let sameColumnParent = startInItem;
  for (let j = line - 1; j >= 0 && col > 0; j--) {
    const s = shapes[j];
    if (!s) continue;
    if (s.key !== undefined && s.keyCol !== undefined && !s.hasValue && (s.keyCol < col || (sameColumnParent && s.keyCol === col && s.dash === undefined))) {
      path.unshift(s.key);
      col = s.keyCol;
      sameColumnParent = false;
    }
    if (s.dash !== undefined && s.dash < col) {
      path.unshift(itemIndex(shapes, j, s.dash));
      col = s.dash;
      sameColumnParent = true;
    }
  }
  return path;
}

/** The caret's context at `offset` of a document's text, or undefined where it cannot be told. */
export function caretContext(text: string, offset: number): CaretContext | undefined {
  const lines = splitLines(text);
  let lineNo = lines.length - 1;
  while (lineNo > 0 && lines[lineNo]!.start > offset) lineNo--;
  const line = lines[lineNo]!;
  const before = line.text.slice(0, Math.max(0, offset - line.start));
  if (/(^|\s)#/.test(before)) return undefined;
  const shapes = lines.map((l, i) => (i === lineNo ? undefined : shapeOf(l.text)));

  const indent = before.length - before.trimStart().length;
  let col = indent;
  let rest = before.slice(indent);
  let inItem = false;
  const own: FieldPathSegment[] = [];
  if (rest.startsWith('- ')) {
    own.push(itemIndex(shapes, lineNo, indent));
    const after = rest.slice(1);
    col = indent + 1 + (after.length - after.trimStart().length);
    rest = after.trimStart();
    inItem = true;
  }
  const valueMatch = /^([^\s#'"{}[\],:][^:#]*?)\s*:\s+(.*)$/.exec(rest) ?? /^([^\s#'"{}[\],:][^:#]*?):()$/.exec(rest);
  if (valueMatch) {
    // A flow collection or a second colon: the caret is not on a plain scalar value.
    if (/^[{[]|:(\s|$)/.test(valueMatch[2]!)) return undefined;
    const prefix = valueMatch[2]!.replace(/^["']/, '');
    const parents = inItem ? [...parentPath(shapes, lineNo, indent, true), ...own] : parentPath(shapes, lineNo, col, false);
    return { path: [...parents, valueMatch[1]!], on: 'value', prefix, range: { start: offset - prefix.length, end: offset } };
  }
  if (/^[A-Za-z0-9_./-]*$/.test(rest)) {
    const parents = inItem ? [...parentPath(shapes, lineNo, indent, true), ...own] : parentPath(shapes, lineNo, col, false);
    return { path: [...parents, rest], on: 'key', prefix: rest, range: { start: offset - rest.length, end: offset } };
  }
  return undefined;
}
