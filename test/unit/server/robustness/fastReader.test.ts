// The language server reads most documents with its own block-YAML reader and leaves the rest
// to the YAML library (manifest/blockYamlReader.ts). Whatever hostile text it meets, the two
// must agree: the same value, the same problems, and the same findings in the same places.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkDocument } from '../../../../server/src/features/documentFindings';
import { ManifestDocument } from '../../../../server/src/manifest/manifestDocument';
import { splitDocuments } from '../../../../server/src/manifest/splitDocuments';
import { checkProperty } from './propertyRuns';
import { corruptedManifest } from './hostileYaml';
import { deployment, modelFields, service, toYaml, withValueAt, wrongField } from './manifestModel';

function reading(doc: ManifestDocument): unknown {
  const findings = checkDocument(doc).findings.map((f) => [f.severity, f.code, f.message, f.range]);
  return { value: doc.value, problems: doc.problems, identity: [doc.apiVersion, doc.kind, doc.name, doc.namespace], range: doc.range, findings };
}

function readersAgree(text: string): void {
  for (const chunk of splitDocuments(text)) {
    const fast = reading(new ManifestDocument(chunk.text));
    const library = reading(new ManifestDocument(chunk.text, { fastReader: false }));
    assert.deepEqual(fast, library, `the readers disagree on ${JSON.stringify(chunk.text)}`);
  }
}

it('the fast reader reads corrupted manifests as the library does', (t) => {
  checkProperty(t, corruptedManifest, readersAgree, { numRuns: 300 });
});

it('the fast reader reads every wrong type as the library does', (t) => {
  const kinds = [service, deployment].map((kind) => ({ kind, fields: modelFields(kind) }));
  const arb = fc.oneof(...kinds.map(({ kind, fields }) => fc.record({ kind: fc.constant(kind), wrongs: fc.array(wrongField(fields), { minLength: 1, maxLength: 6 }) })));
  checkProperty(t, arb, ({ kind, wrongs }) => readersAgree(toYaml(wrongs.reduce((o, { field, wrong }) => withValueAt(o, field.path, wrong.value), kind.base()))), { numRuns: 200 });
});
