// The parsed-manifest cache. Each file is cut into documents (manifest/splitDocuments.ts) and
// each document is parsed from its own text; a new version of a file reuses the parse of
// every document whose text has not changed, wherever it moved, so an edit costs one
// document's parse however long the file is. Parsing waits until a document is first looked
// at, so the caller decides when the work happens (diagnostics does it in slices). Whatever features compute from a document's
// text alone (its static findings, say) is memoised on the cached entry and is reused with it.
// Positions inside an entry are relative to the document's first line; PlacedDocument says
// where the document sits in the current version of the file.
//
// Nothing here depends on LSP: `ksl lint` uses the same cache for its files.

import { ManifestDocument } from './manifest/manifestDocument';
import { shiftRange, type Position, type Range } from './manifest/positions';
import { splitDocumentsFrom } from './manifest/splitDocuments';

/** One document's text, parsed on first use, and what has been computed from it. */
export class CachedDocument {
  private parsed: ManifestDocument | undefined;
  /** Results computed from the document's text, keyed by who computed them. */
  readonly memo = new Map<string, unknown>();

  constructor(readonly text: string) {}

  get doc(): ManifestDocument {
    this.parsed ??= new ManifestDocument(this.text);
    return this.parsed;
  }
}

export interface PlacedDocument {
  readonly entry: CachedDocument;
  /** Offset of the document's text in the file. */
  readonly offset: number;
  /** Line of the document's first line in the file. */
  readonly line: number;
}

/** The value memoised under `key` on `entry`, computed on first use. */
export function memoised<T>(entry: CachedDocument, key: string, compute: () => T): T {
  if (entry.memo.has(key)) return entry.memo.get(key) as T;
  const value = compute();
  entry.memo.set(key, value);
  return value;
}

export class ManifestFile {
  constructor(
    readonly uri: string,
    readonly version: number,
    readonly documents: readonly PlacedDocument[],
  ) {}

  /** A range inside `placed`'s document, in file coordinates. */
  toFileRange(placed: PlacedDocument, range: Range): Range {
    return shiftRange(range, placed.line);
  }

  /** The document that holds `position`, with the position made relative to it. */
  documentAt(position: Position): { placed: PlacedDocument; position: Position } | undefined {
    const docs = this.documents;
    let lo = 0;
    let hi = docs.length - 1;
    if (hi < 0) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (docs[mid]!.line <= position.line) lo = mid;
      else hi = mid - 1;
    }
    const placed = docs[lo]!;
    return { placed, position: { line: Math.max(0, position.line - placed.line), character: position.character } };
  }
}

interface FileState {
  text: string;
  file: ManifestFile;
  byText: Map<string, CachedDocument>;
}

/**
 * A copy of `s` that shares no memory with the file it was cut from, so a cached document does
 * not keep every old version of a large file alive through a sliced string. Text without
 * characters past U+00FF (most manifests) is copied through Latin-1, which V8 stores in one
 * byte per character instead of two.
 */
function detached(s: string): string {
  const encoding = /[\u0100-\uffff]/.test(s) ? 'utf16le' : 'latin1';
  return Buffer.from(s, encoding).toString(encoding);
}

const BLOCK = 4096;

/** How many leading characters `a` and `b` share; compares in blocks, which V8 does natively. */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n) {
    const e = Math.min(n, i + BLOCK);
    if (a.slice(i, e) !== b.slice(i, e)) {
      while (i < e && a.charCodeAt(i) === b.charCodeAt(i)) i++;
      return i;
    }
    i = e;
  }
  return n;
}

/** How many trailing characters `a` and `b` share, at most `limit`. */
function commonSuffix(a: string, b: string, limit: number): number {
  let k = 0;
  while (k < limit) {
    const len = Math.min(BLOCK, limit - k);
    if (a.slice(a.length - k - len, a.length - k) !== b.slice(b.length - k - len, b.length - k)) {
      while (k < limit && a.charCodeAt(a.length - 1 - k) === b.charCodeAt(b.length - 1 - k)) k++;
      return k;
    }
    k += len;
  }
  return limit;
}

/** The index of the document whose text holds `offset` (the last one for the text's end). */
function documentIndexAt(docs: readonly PlacedDocument[], offset: number): number {
  let lo = 0;
  let hi = docs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (docs[mid]!.offset <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export class ManifestCache {
  private readonly files = new Map<string, FileState>();
  /** How many documents of the last update were new (the rest came from the cache). */
  newInLastUpdate = 0;

  /**
   * The file at `version`. Against the previous version, only the stretch of text that
   * differs is cut into documents again: the split restarts one document before the change
   * (a changed `---` line can merge a document into the one before it) and stops at the first
   * cut past the change that falls on an old boundary, where the rest is known to cut as before.
   */
  update(uri: string, version: number, text: string): ManifestFile {
    const prev = this.files.get(uri);
    let created = 0;
    const byText = new Map<string, CachedDocument>();
    const entryFor = (chunkText: string): CachedDocument => {
      let entry = byText.get(chunkText) ?? prev?.byText.get(chunkText);
      if (!entry) {
        entry = new CachedDocument(detached(chunkText));
        created++;
      }
      byText.set(entry.text, entry);
      return entry;
    };
    const placed: PlacedDocument[] = [];
    if (prev && prev.text === text) {
      for (const p of prev.file.documents) placed.push(p);
      this.newInLastUpdate = 0;
      const same = new ManifestFile(uri, version, placed);
      this.files.set(uri, { text, file: same, byText: prev.byText });
      return same;
    }
    if (!prev || prev.file.documents.length === 0) {
      for (const chunk of splitDocumentsFrom(text).chunks) placed.push({ entry: entryFor(chunk.text), offset: chunk.offset, line: chunk.line });
    } else {
      const oldText = prev.text;
      const oldDocs = prev.file.documents;
      const prefix = commonPrefix(oldText, text);
      const suffix = prefix === text.length && prefix === oldText.length ? 0 : commonSuffix(oldText, text, Math.min(oldText.length, text.length) - prefix);
      const delta = text.length - oldText.length;
      const changeEnd = text.length - suffix;
      const first = Math.max(0, documentIndexAt(oldDocs, Math.max(0, prefix - 1)) - 1);
      const oldStart = new Map(oldDocs.map((p, i) => [p.offset, i]));
      let stopLine = 0;
      const from = { offset: oldDocs[first]!.offset, line: oldDocs[first]!.line };
      const { chunks, stoppedAt } = splitDocumentsFrom(text, {
        from,
        stopAt: (offset) => offset >= changeEnd && offset < text.length && oldStart.has(offset - delta),
      });
      for (let i = 0; i < first; i++) {
        const p = oldDocs[i]!;
        byText.set(p.entry.text, p.entry);
        placed.push(p);
      }
      for (const chunk of chunks) {
        placed.push({ entry: entryFor(chunk.text), offset: chunk.offset, line: chunk.line });
        stopLine = chunk.line + lineCount(chunk.text);
      }
      if (stoppedAt !== undefined) {
        const k = oldStart.get(stoppedAt - delta)!;
        const lineDelta = stopLine - oldDocs[k]!.line;
        for (let i = k; i < oldDocs.length; i++) {
          const p = oldDocs[i]!;
          byText.set(p.entry.text, p.entry);
          placed.push(delta === 0 && lineDelta === 0 ? p : { entry: p.entry, offset: p.offset + delta, line: p.line + lineDelta });
        }
      }
    }
    this.newInLastUpdate = created;
    const file = new ManifestFile(uri, version, placed);
    this.files.set(uri, { text, file, byText });
    return file;
  }

  get(uri: string): ManifestFile | undefined {
    return this.files.get(uri)?.file;
  }

  delete(uri: string): void {
    this.files.delete(uri);
  }

  all(): ManifestFile[] {
    return [...this.files.values()].map((s) => s.file);
  }
}

/** The number of line breaks in `s` ("\r\n" counting once). */
function lineCount(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  if (s.indexOf('\r') >= 0) {
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 13 && s.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}
