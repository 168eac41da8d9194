// Every field of a Service and of a Deployment, with every wrong shape of value: the checks
// finish, none of them fails inside (which the user would see as `ksl/internal`), and a value
// the apiserver's decoder cannot take is reported on that very field, as kubectl would reject
// it. The fields come from the schema model, so a new field is covered without a new test.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ManifestDocument } from '../../../../server/src/manifest/manifestDocument';
import { checkDocument } from '../../../../server/src/features/documentFindings';
import { formatFieldPath } from '../../../../server/src/features/finding';
import { checkProperty, reportCases } from './propertyRuns';
import { decodesInto, deployment, modelFields, service, toYaml, withValueAt, wrongField, wrongValues, type FieldPath, type ModelField, type ModelledKind, type WrongField, type WrongValue } from './manifestModel';
import { answerEverything, edgePositions } from './serverEntries';

function samePath(a: readonly (string | number)[], b: FieldPath): boolean {
  return a.length === b.length && a.every((seg, i) => seg === b[i]);
}

function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => seg === path[i]);
}

/** apiVersion and kind: the fields that say which schema the others follow. */
function isIdentity(field: ModelField): boolean {
  return field.path.length === 1 && (field.path[0] === 'apiVersion' || field.path[0] === 'kind');
}

/** How the document is written: YAML, or JSON (which kubectl sends as written, duplicates and all). */
type Format = 'yaml' | 'json';
const formats: readonly Format[] = ['yaml', 'json'];

/**
 * Checks one document with `wrongs` set: no check fails inside, and each value the decoder
 * cannot take has an error on its own field. Returns the document's text.
 */
function checkWrongFields(kind: ModelledKind, wrongs: readonly WrongField[], format: Format): string {
  let object = kind.base();
  for (const { field, wrong } of wrongs) object = withValueAt(object, field.path, wrong.value);
  const text = format === 'yaml' ? toYaml(object) : JSON.stringify(object, null, 2);
  const { findings } = checkDocument(new ManifestDocument(text));
  const internal = findings.find((f) => f.code === 'ksl/internal');
  assert.equal(internal, undefined, `a check failed inside: ${internal?.message}\n${text}`);
  // A wrong apiVersion or kind takes the document out of the kind's schema, and its fields
  // with it; a field written above or below another loses its value to the later write.
  const identityChanged = wrongs.some(({ field }) => isIdentity(field));
  const overwritten = (i: number): boolean => wrongs.some(({ field }, j) => j !== i && (startsWith(field.path, wrongs[i]!.field.path) || startsWith(wrongs[i]!.field.path, field.path)));
  for (const [i, { field, wrong }] of wrongs.entries()) {
    if (decodesInto(field.schema, wrong.value) || (identityChanged && !isIdentity(field)) || overwritten(i)) continue;
    const onField = findings.some((f) => f.severity === 'error' && samePath(f.path, field.path));
    const what = `${kind.kind} ${formatFieldPath(field.path)} set to ${wrong.name}`;
    assert.ok(onField, `${what}: the decoder cannot take it, but no error is on the field; found ${JSON.stringify(findings.map((f) => [f.code, f.message]))}\n${text}`);
  }
  return text;
}

/**
 * The same wrong value in many fields at once, in documents of fields that cannot hide each
 * other: fields at one depth are never each other's parents. Values that decode go apart from
 * values that do not, so the first documents still reach validation.
 */
function batches(fields: readonly ModelField[], wrong: WrongValue): WrongField[][] {
  const groups = new Map<string, WrongField[]>();
  for (const field of fields) {
    // apiVersion and kind say which schema applies, so a wrong one goes alone.
    const key = isIdentity(field) ? String(field.path[0]) : `${field.path.length}/${decodesInto(field.schema, wrong.value)}`;
    groups.set(key, [...(groups.get(key) ?? []), { field, wrong }]);
  }
  return [...groups.values()];
}

describe('every field with every wrong type, in YAML and in JSON', () => {
  for (const kind of [service, deployment]) {
    it(`${kind.kind}: every field with every wrong value checks cleanly and errors on the field`, (t) => {
      const fields = modelFields(kind);
      let documents = 0;
      for (const format of formats) {
        for (const wrong of wrongValues) {
          // The Service is small enough to try one wrong field per document.
          for (const wrongs of kind === service ? fields.map((field) => [{ field, wrong }]) : batches(fields, wrong)) {
            checkWrongFields(kind, wrongs, format);
            documents++;
          }
        }
      }
      const values = fields.length * wrongValues.length;
      reportCases(t, values * formats.length, `${kind.kind} field values (${fields.length} fields × ${wrongValues.length} wrong values, in YAML and JSON, in ${documents} documents)`);
    });
  }

  it('several wrong fields in one document: every feature answers, anywhere, inside the file', (t) => {
    const kinds = [service, deployment].map((kind) => ({ kind, fields: modelFields(kind) }));
    const position = fc.record({ line: fc.nat({ max: 60 }), character: fc.nat({ max: 40 }) });
    const arb = fc.oneof(
      ...kinds.map(({ kind, fields }) =>
        fc.record({
          kind: fc.constant(kind),
          wrongs: fc.array(wrongField(fields), { minLength: 1, maxLength: 6 }),
          format: fc.constantFrom(...formats),
          positions: fc.array(position, { maxLength: 8 }),
        }),
      ),
    );
    checkProperty(
      t,
      arb,
      ({ kind, wrongs, format, positions }) => {
        const text = checkWrongFields(kind, wrongs, format);
        answerEverything(text, [...edgePositions(text), ...positions]);
      },
      { numRuns: 150 },
    );
  });
});
