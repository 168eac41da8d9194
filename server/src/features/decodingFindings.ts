// What the apiserver's decoder says about a document before any validation rule runs, with
// kubectl's default `fieldValidation=Strict`: unknown fields and (for JSON input, which kubectl
// sends as written) duplicate fields are rejected, and so is every value whose JSON type its
// Go field cannot take. The apiserver stops at the first of these; the editor shows them all,
// each on its own key or value, with the decoder's wording.

import type { ManifestDocument } from '../manifest/manifestDocument';
import { splitStrictPath } from '../manifest/fieldPath';
import { decodeAgainstSchema, schemaFor, strictDecodingMessage } from '../validation/fields';
import type { Finding } from './finding';

export interface DecodingResult {
  findings: Finding[];
  /** False when some value does not fit its type: the apiserver would not get as far as validation. */
  decodes: boolean;
  /** True when the decoder would drop unknown fields. */
  unknownFields: boolean;
}

export function decodingFindings(doc: ManifestDocument): DecodingResult {
  const findings: Finding[] = [];
  if (doc.apiVersion === undefined || doc.kind === undefined) return { findings, decodes: true, unknownFields: false };
  const schema = schemaFor(doc.apiVersion, doc.kind);
  if (!schema) return { findings, decodes: true, unknownFields: false };
  // Read once: the document may build the tree at each read.
  const json = doc.json;
  if (!json || json.type !== 'object') return { findings, decodes: true, unknownFields: false };
  const report = decodeAgainstSchema(schema, json);
  for (const e of report.strictErrors) {
    findings.push({
      path: splitStrictPath(e.path, doc.value),
      on: 'key',
      severity: 'error',
      code: e.path,
      message: strictDecodingMessage([e]),
      data: { strictError: e.type },
    });
  }
  for (const t of report.typeErrors) {
    findings.push({
      path: t.path,
      on: 'value',
      severity: 'error',
      code: t.field,
      message: t.message,
      data: { expectedType: t.expected, actualType: t.actual },
    });
  }
  return { findings, decodes: report.typeErrors.length === 0, unknownFields: report.strictErrors.some((e) => e.type === 'unknown field') };
}
