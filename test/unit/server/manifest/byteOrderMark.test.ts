// A byte order mark at the start of a later document, as concatenating files leaves it. kubectl
// cuts the stream at its `---` lines and go-yaml skips a mark at the start of each document it
// is given, so the document reads as if the mark were not there.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withDocumentByteOrderMarkSkipped } from '../../../../server/src/manifest/kubectlYaml';
import { ManifestDocument } from '../../../../server/src/manifest/manifestDocument';
import { check } from '../diagnostics/checkYaml';

const BOM = '\ufeff';
const service = (name: string, port: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  ports:\n    - port: ${port}\n`;

describe('a byte order mark after a document marker', () => {
  for (const fastReader of [true, false]) {
    it(`is read like the one at the start of a file (${fastReader ? 'fast reader' : 'YAML library'})`, () => {
      const doc = new ManifestDocument(`---\n${BOM}${service('web', '80')}`, { fastReader });
      assert.deepEqual(doc.problems, []);
      assert.equal(doc.apiVersion, 'v1');
      assert.deepEqual(doc.value, new ManifestDocument(`---\n${service('web', '80')}`, { fastReader }).value);
      assert.deepEqual(doc.range, { start: 5, end: 4 + 1 + service('web', '80').length - 1 });
    });
  }

  it('leaves no "apiVersion not set" in a file of concatenated ones, and underlines the right text', () => {
    const text = `${BOM}${service('a', '80')}---\n${BOM}${service('b', '70000')}---\r\n${BOM}apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: C_1\r\n`;
    assert.deepEqual(
      check(text).map((s) => [s.code, s.line, s.text]),
      [
        ['spec.ports[0].port', 15, '70000'],
        ['spec.ports[0].targetPort', 15, 'port'],
        ['metadata.name', 20, 'C_1'],
        ['spec.ports', 17, 'apiVersion'],
      ],
    );
  });

  it('is kept after comments and directives before the marker, and on a marker line with a comment', () => {
    const doc = new ManifestDocument(`# web\n%YAML 1.1\n--- # the Service\n${BOM}${service('web', '80')}`);
    assert.deepEqual(doc.problems, []);
    assert.equal(doc.apiVersion, 'v1');
  });

  it('is only skipped at the start of the line right after the marker, as kubectl skips it', () => {
    for (const text of [`---\n# web\n${BOM}a: 1\n`, `${BOM}---\na: 1\n`, `a: 1\n${BOM}b: 2\n`, `--- ${BOM}a\n`]) {
      assert.equal(withDocumentByteOrderMarkSkipped(text), text, JSON.stringify(text));
    }
  });

  it('keeps every offset after the mark', () => {
    for (const [text, readable] of [
      [`---\n${BOM}a: 1\n`, '--- \na: 1\n'],
      [`---\r\n${BOM}a: 1\n`, '--- \r\na: 1\n'],
      [`${BOM}---\t\n${BOM}a: 1`, `${BOM}---\t \na: 1`],
    ] as const) {
      assert.equal(withDocumentByteOrderMarkSkipped(text), readable);
    }
  });
});
