// The syntax check Go's encoding/json runs before it decodes anything (scanner.go, checkValid),
// so a malformed body gets the apiserver's own words: `invalid character '}' after object key`,
// `unexpected end of JSON input`. kube-apiserver quotes these texts inside its 400 answers, and
// the JSON-based decoders it uses (sigs.k8s.io/json, json-patch) share the scanner.
//
// The scanner works on bytes, one state per position: which value may start, which byte may
// follow an object key, and so on. An error names the byte (quoted as Go's quoteChar quotes it)
// and the state it was met in.

// Go's scanner allows 10,000 levels. The emulator's tree walkers (field validation, the patch
// engines, structuredClone) recurse once per level and meet the end of V8's stack between
// 1,000 and 2,000 levels, which made a deep but well-formed body a 500. Bodies here nest at
// most 500 levels, refused in Go's words; the built-in kinds nest fewer than 20.
const MAX_NESTING_DEPTH = 500;

type Container = 'objectKey' | 'objectValue' | 'arrayValue';
type Step = (c: number) => void;

class SyntaxFailure extends Error {}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

const GO_ESCAPES: Readonly<Record<number, string>> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };

/**
 * Go's quoteChar: one byte as a character literal. The byte is read as the code point of the
 * same value (Go's `string(c)` on a byte), so 0xC3 prints as 'Ã'; what strconv.Quote would
 * escape is escaped the same way.
 */
export function goQuoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  const escaped = GO_ESCAPES[c];
  if (escaped) return `'${escaped}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  // Latin-1 code points strconv.IsPrint rejects: the C1 controls, no-break space, soft hyphen.
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u${c.toString(16).padStart(4, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

/**
 * The error encoding/json reports for `data`, or undefined when it is one well-formed JSON
 * value (surrounding white space allowed).
 */
export function goJsonSyntaxError(data: string | Uint8Array): string | undefined {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const stack: Container[] = [];
  let endTop = false;
  let step: Step;

  const fail = (c: number, context: string): never => {
    throw new SyntaxFailure(`invalid character ${goQuoteChar(c)} ${context}`);
  };
  const push = (container: Container): void => {
    stack.push(container);
    if (stack.length > MAX_NESTING_DEPTH) throw new SyntaxFailure('exceeded max depth');
  };
  const pop = (): void => {
    stack.pop();
    if (stack.length === 0) {
      step = endOfTop;
      endTop = true;
    } else {
      step = endOfValue;
    }
  };

  const beginValue: Step = (c) => {
    if (isSpace(c)) return;
    if (c === 0x7b) {
      push('objectKey');
      step = beginKeyOrEmpty;
    } else if (c === 0x5b) {
      push('arrayValue');
      step = beginValueOrEmpty;
    } else if (c === 0x22) {
      step = inString;
    } else if (c === 0x2d) {
      step = afterMinus;
    } else if (c === 0x30) {
      step = afterZero;
    } else if (c >= 0x31 && c <= 0x39) {
      step = inInteger;
    } else if (c === 0x74) {
      step = literal('true', 1);
    } else if (c === 0x66) {
      step = literal('false', 1);
    } else if (c === 0x6e) {
      step = literal('null', 1);
    } else {
      fail(c, 'looking for beginning of value');
    }
  };
  const beginValueOrEmpty: Step = (c) => {
    if (isSpace(c)) return;
    if (c === 0x5d) return endOfValue(c);
    beginValue(c);
  };
  const beginKeyOrEmpty: Step = (c) => {
    if (isSpace(c)) return;
    if (c === 0x7d) {
      stack[stack.length - 1] = 'objectValue';
      return endOfValue(c);
    }
    beginKey(c);
  };
  const beginKey: Step = (c) => {
    if (isSpace(c)) return;
    if (c === 0x22) step = inString;
    else fail(c, 'looking for beginning of object key string');
  };
  const endOfValue: Step = (c) => {
    if (stack.length === 0) {
      step = endOfTop;
      endTop = true;
      return endOfTop(c);
    }
    if (isSpace(c)) {
      step = endOfValue;
      return;
    }
    switch (stack[stack.length - 1]) {
      case 'objectKey':
        if (c !== 0x3a) fail(c, 'after object key');
        stack[stack.length - 1] = 'objectValue';
        step = beginValue;
        return;
      case 'objectValue':
        if (c === 0x2c) {
          stack[stack.length - 1] = 'objectKey';
          step = beginKey;
          return;
        }
        if (c === 0x7d) return pop();
        return fail(c, 'after object key:value pair');
      case 'arrayValue':
        if (c === 0x2c) {
          step = beginValue;
          return;
        }
        if (c === 0x5d) return pop();
        return fail(c, 'after array element');
    }
  };
  const endOfTop: Step = (c) => {
    if (!isSpace(c)) fail(c, 'after top-level value');
  };
  const inString: Step = (c) => {
    if (c === 0x22) step = endOfValue;
    else if (c === 0x5c) step = inEscape;
    else if (c < 0x20) fail(c, 'in string literal');
  };
  const inEscape: Step = (c) => {
    if ([0x62, 0x66, 0x6e, 0x72, 0x74, 0x5c, 0x2f, 0x22].includes(c)) step = inString;
    else if (c === 0x75) step = unicodeEscape(4);
    else fail(c, 'in string escape code');
  };
  const unicodeEscape =
    (left: number): Step =>
    (c) => {
      if (!isHex(c)) fail(c, 'in \\u hexadecimal character escape');
      step = left > 1 ? unicodeEscape(left - 1) : inString;
    };
  const afterMinus: Step = (c) => {
    if (c === 0x30) step = afterZero;
    else if (c >= 0x31 && c <= 0x39) step = inInteger;
    else fail(c, 'in numeric literal');
  };
  const inInteger: Step = (c) => {
    if (isDigit(c)) return;
    afterZero(c);
  };
  const afterZero: Step = (c) => {
    if (c === 0x2e) step = afterDot;
    else if (c === 0x65 || c === 0x45) step = afterE;
    else endOfValue(c);
  };
  const afterDot: Step = (c) => {
    if (isDigit(c)) step = inFraction;
    else fail(c, 'after decimal point in numeric literal');
  };
  const inFraction: Step = (c) => {
    if (isDigit(c)) return;
    if (c === 0x65 || c === 0x45) step = afterE;
    else endOfValue(c);
  };
  const afterE: Step = (c) => {
    if (c === 0x2b || c === 0x2d) step = afterESign;
    else afterESign(c);
  };
  const afterESign: Step = (c) => {
    if (isDigit(c)) step = inExponent;
    else fail(c, 'in exponent of numeric literal');
  };
  const inExponent: Step = (c) => {
    if (!isDigit(c)) endOfValue(c);
  };
  const literal =
    (word: string, at: number): Step =>
    (c) => {
      if (c !== word.charCodeAt(at)) fail(c, `in literal ${word} (expecting '${word[at]}')`);
      step = at + 1 < word.length ? literal(word, at + 1) : endOfValue;
    };

  step = beginValue;
  try {
    for (const c of bytes) step(c);
    // End of input: a pending number or literal ends here, as if a space followed.
    if (!endTop) step(0x20);
    return endTop ? undefined : 'unexpected end of JSON input';
  } catch (err) {
    if (err instanceof SyntaxFailure) return err.message;
    throw err;
  }
}

/** The JSON type of a well-formed document, as Go names it in an UnmarshalTypeError. */
export function goJsonValueKind(text: string): 'object' | 'array' | 'string' | 'number' | 'bool' | 'null' {
  const first = text.trimStart()[0];
  if (first === '{') return 'object';
  if (first === '[') return 'array';
  if (first === '"') return 'string';
  if (first === 't' || first === 'f') return 'bool';
  if (first === 'n') return 'null';
  return 'number';
}
