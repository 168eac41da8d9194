// A watch response is a stream of JSON documents, one per line (the apiserver's JSON framing).
// Chunks split lines and multi-byte characters anywhere, so bytes are decoded incrementally and
// a line is parsed only once its newline arrived. A line longer than the cap means the peer is
// not an apiserver (or is broken); the caller aborts the stream rather than buffer forever.

import { StringDecoder } from 'node:string_decoder';

/** Far above any real object (etcd's limit is 1.5 MiB), far below what would hurt the editor. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

export class LineTooLongError extends Error {
  constructor(readonly length: number) {
    super(`a watch event line exceeded ${MAX_LINE_CHARS} characters`);
  }
}

export type ParsedLine = { ok: true; value: unknown } | { ok: false; error: string; line: string };

export class JsonLineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffered = '';

  constructor(private readonly maxLineChars = MAX_LINE_CHARS) {}

  /**
   * Feeds one chunk and returns the lines it completed, parsed, in order. A line that is not
   * JSON yields an error entry in its place, so one bad line does not hide the good ones.
   */
  push(chunk: Buffer | string): ParsedLine[] {
    this.buffered += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const out: ParsedLine[] = [];
    let start = 0;
    for (;;) {
      const nl = this.buffered.indexOf('\n', start);
      if (nl < 0) break;
      const line = this.buffered.slice(start, nl).trim();
      start = nl + 1;
      if (line) out.push(parseLine(line));
    }
    this.buffered = this.buffered.slice(start);
    if (this.buffered.length > this.maxLineChars) throw new LineTooLongError(this.buffered.length);
    return out;
  }

  /** The value of a last line that ended without a newline, if any. */
  end(): ParsedLine[] {
    const rest = (this.buffered + this.decoder.end()).trim();
    this.buffered = '';
    return rest ? [parseLine(rest)] : [];
  }
}

function parseLine(line: string): ParsedLine {
  try {
    return { ok: true, value: JSON.parse(line) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err), line: line.slice(0, 200) };
  }
}
