// The words kube-apiserver uses for a request body it cannot read: Go's encoding/json syntax
// errors (scanner.go), and the create/update decoder's "the object provided is unrecognized"
// frame with its 30-byte summary of the body (handlers/rest.go, transformDecodeError).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../emulator/src/api/errors';
import { goJsonSyntaxError, goQuoteChar } from '../../../emulator/src/apiserver/goJsonSyntax';
import { decodeApplyBody, decodeObjectBody, summarizeBody } from '../../../emulator/src/apiserver/objectBody';

const GO_SYNTAX_ERRORS: [string, string | undefined][] = [
  ['{"a": [1, 2.5e-3, true, false, null, "\\u00e9\\n"]}', undefined],
  [' \t\r\n{}\n', undefined],
  ['', 'unexpected end of JSON input'],
  ['{"apiVersion":"v1",', 'unexpected end of JSON input'],
  ['"abc', 'unexpected end of JSON input'],
  ['{bad}', "invalid character 'b' looking for beginning of object key string"],
  ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
  ['{"a" 1}', "invalid character '1' after object key"],
  ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
  ['[1,]', "invalid character ']' looking for beginning of value"],
  ['[1 2]', "invalid character '2' after array element"],
  ['{"a":1}}', "invalid character '}' after top-level value"],
  ['01', "invalid character '1' after top-level value"],
  ['-x', "invalid character 'x' in numeric literal"],
  ['1.', "invalid character ' ' after decimal point in numeric literal"],
  ['1e+', "invalid character ' ' in exponent of numeric literal"],
  ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
  ['nul', "invalid character ' ' in literal null (expecting 'l')"],
  ['"a\u0001"', "invalid character '\\x01' in string literal"],
  ['"a\nb"', "invalid character '\\n' in string literal"],
  ['"\\q"', "invalid character 'q' in string escape code"],
  ['"\\u12x4"', "invalid character 'x' in \\u hexadecimal character escape"],
];

test('JSON syntax errors read exactly as Go\'s encoding/json words them', () => {
  for (const [text, expected] of GO_SYNTAX_ERRORS) assert.equal(goJsonSyntaxError(text), expected, JSON.stringify(text));
});

test('bytes are quoted as Go\'s quoteChar quotes them', () => {
  assert.equal(goQuoteChar(0x41), "'A'");
  assert.equal(goQuoteChar(0x09), "'\\t'");
  assert.equal(goQuoteChar(0x5c), "'\\\\'");
  assert.equal(goQuoteChar(0x7f), "'\\x7f'");
  assert.equal(goQuoteChar(0x85), "'\\u0085'");
  assert.equal(goQuoteChar(0xc3), "'Ã'");
  // A byte-order mark is three bytes; the first is what Go complains about.
  assert.equal(goJsonSyntaxError('\ufeff{}'), "invalid character 'ï' looking for beginning of value");
});

test('the body summary is its first 30 bytes, as text after a brace and in hex otherwise', () => {
  assert.equal(summarizeBody(''), '<empty>');
  assert.equal(summarizeBody('{"kind":"Service"'), '{"kind":"Service"');
  assert.equal(summarizeBody('{"apiVersion":"v1","kind":"Service","metadata":{}}'), '{"apiVersion":"v1","kind":"Ser ...');
  assert.equal(summarizeBody('[1,2]'), '5b312c325d');
  assert.equal(summarizeBody('kind: Service\nmetadata: {name: web}\n'), '6b696e643a20536572766963650a6d657461646174613a207b6e616d653a ...');
});

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) {
      assert.equal(err.code, 400);
      assert.equal(err.reason, 'BadRequest');
      return err.message;
    }
    throw err;
  }
  return assert.fail('expected a 400');
}

test('a create body that is not JSON is "the object provided is unrecognized", with the cause and the summary', () => {
  assert.equal(
    message(() => decodeObjectBody('Service', '{"apiVersion":"v1","kind":"Service",', false)),
    'the object provided is unrecognized (must be of type Service): couldn\'t get version/kind; json parse error: ' +
      'unexpected end of JSON input ({"apiVersion":"v1","kind":"Ser ...)',
  );
  assert.equal(
    message(() => decodeObjectBody('Service', '', false)),
    'the object provided is unrecognized (must be of type Service): couldn\'t get version/kind; json parse error: unexpected end of JSON input (<empty>)',
  );
  assert.equal(
    message(() => decodeObjectBody('Service', '[1,2]', false)),
    'the object provided is unrecognized (must be of type Service): couldn\'t get version/kind; json parse error: ' +
      'json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; ' +
      'Kind string "json:\\"kind,omitempty\\"" } (5b312c325d)',
  );
});

test('a YAML body that does not parse names goyaml\'s line and problem, and a null document reads as an empty object', () => {
  const body = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: app: web\n';
  assert.equal(
    message(() => decodeObjectBody('Service', body, true)),
    'the object provided is unrecognized (must be of type Service): error converting YAML to JSON: ' +
      'yaml: line 5: mapping values are not allowed in this context (61706956657273696f6e3a2076310a6b696e643a20536572766963650a6d ...)',
  );
  assert.match(message(() => decodeObjectBody('Service', 'a: 1\n\tb: 2\n', true)), /: yaml: line 2: found character that cannot start any token \(/);
  assert.deepEqual(decodeObjectBody('Service', '', true), {});
  assert.deepEqual(decodeObjectBody('Service', 'kind: Service\n---\nkind: Pod\n', true), { kind: 'Service' }, 'only the first document is read');
});

test('a server-side apply body is read as YAML, with the apply patcher\'s words when it cannot be', () => {
  assert.deepEqual(decodeApplyBody('{"kind":"Service","metadata":{"name":"web"}}'), { kind: 'Service', metadata: { name: 'web' } });
  assert.match(message(() => decodeApplyBody('a: b: c\n')), /^error decoding YAML: error converting YAML to JSON: yaml: line 1: mapping values are not allowed/);
  assert.equal(
    message(() => decodeApplyBody('- a\n- b\n')),
    'error decoding YAML: error unmarshaling JSON: json: cannot unmarshal array into Go value of type map[string]interface {}',
  );
});
