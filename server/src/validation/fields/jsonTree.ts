// A JSON document as Go's decoder sees it: object members in the order written, duplicate
// keys kept, and numbers as their literal text (Go reports `number 80.5`, not a float).
// JSON.parse loses all three, so request bodies are read with this parser instead; plain
// values (already parsed, or built from YAML) convert with `jsonNodeFromValue`.

export type JsonNode =
  | { type: 'object'; entries: JsonEntry[] }
  | { type: 'array'; items: JsonNode[] }
  | { type: 'string'; value: string; /** The text between the quotes, escapes not decoded. */ raw: string }
  | { type: 'number'; text: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' };

export interface JsonEntry {
  key: string;
  value: JsonNode;
}

export type JsonParseResult = { ok: true; node: JsonNode } | { ok: false; offset: number; message: string };

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const whitespace = new Set([' ', '\t', '\n', '\r']);
const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const simpleEscapes: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Parses one JSON value (RFC 8259). Never throws: a syntax error comes back as a result. */
export function parseJsonNode(text: string): JsonParseResult {
  let pos = 0;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(pos, message);
  };
  const skipSpace = (): void => {
    while (pos < text.length && whitespace.has(text[pos]!)) pos++;
  };

  const parseString = (): { value: string; raw: string } => {
    const start = ++pos;
    let value = '';
    while (pos < text.length) {
      const c = text[pos]!;
      if (c === '"') {
        const raw = text.slice(start, pos);
        pos++;
        return { value, raw };
      }
      if (c < ' ') fail('invalid character in string literal');
      if (c === '\\') {
        const e = text[pos + 1] ?? '';
        if (e === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid escape in string literal');
          value += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
          continue;
        }
        const simple = simpleEscapes[e];
        if (simple === undefined) fail('invalid escape in string literal');
        value += simple;
        pos += 2;
        continue;
      }
      value += c;
      pos++;
    }
    return fail('unexpected end of JSON input');
  };

  const parseValue = (): JsonNode => {
    skipSpace();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const entries: JsonEntry[] = [];
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return { type: 'object', entries };
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail('expected a string object key');
        const key = parseString().value;
        skipSpace();
        if (text[pos] !== ':') fail("expected ':' after object key");
        pos++;
        entries.push({ key, value: parseValue() });
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return { type: 'object', entries };
        }
        fail("expected ',' or '}' after object value");
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return { type: 'array', items };
      }
      for (;;) {
        items.push(parseValue());
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return { type: 'array', items };
        }
        fail("expected ',' or ']' after array element");
      }
    }
    if (c === '"') return { type: 'string', ...parseString() };
    if (text.startsWith('true', pos)) {
      pos += 4;
      return { type: 'boolean', value: true };
    }
    if (text.startsWith('false', pos)) {
      pos += 5;
      return { type: 'boolean', value: false };
    }
    if (text.startsWith('null', pos)) {
      pos += 4;
      return { type: 'null' };
    }
    numberPattern.lastIndex = pos;
    const m = numberPattern.exec(text);
    if (m) {
      pos += m[0].length;
      return { type: 'number', text: m[0] };
    }
    return fail(pos >= text.length ? 'unexpected end of JSON input' : 'invalid character looking for beginning of value');
  };

  try {
    const node = parseValue();
    skipSpace();
    if (pos < text.length) fail('invalid character after top-level value');
    return { ok: true, node };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, offset: e.offset, message: e.message };
    throw e;
  }
}

/**
 * Converts an already-parsed value. Numbers get the text JavaScript prints for them, which
 * is what a JSON encoder would have sent; values JSON cannot carry (undefined, functions)
 * read as null, as JSON.stringify would write them.
 */
export function jsonNodeFromValue(value: unknown): JsonNode {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'string') return { type: 'string', value, raw: JSON.stringify(value).slice(1, -1) };
  if (typeof value === 'number') return { type: 'number', text: String(value) };
  if (typeof value === 'boolean') return { type: 'boolean', value };
  if (Array.isArray(value)) return { type: 'array', items: value.map(jsonNodeFromValue) };
  if (typeof value === 'object') {
    return {
      type: 'object',
      entries: Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: jsonNodeFromValue(v) })),
    };
  }
  return { type: 'null' };
}
