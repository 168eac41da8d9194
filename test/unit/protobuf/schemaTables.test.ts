// The protobuf tables against the JSON schema the strict decoder uses (server/src/validation/
// fields): every field the tables can produce must be one the JSON path knows, with the same
// type, or a protobuf body would carry something a JSON body cannot. And within a message,
// field numbers and JSON names must be unique, since a duplicate would silently shadow.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaFor, type FieldSchema } from '../../../server/src/validation/fields';
import { messageFor, modelledKinds } from '../../../emulator/src/apiserver/protobuf/kinds';
import { isMessage, type FieldSpec, type MessageSchema } from '../../../emulator/src/apiserver/protobuf/schemaTypes';

function typeProblem(field: FieldSpec, json: FieldSchema): string | undefined {
  const { type } = field;
  if (isMessage(type)) return json.kind === 'object' || json.kind === 'open' ? undefined : `message ${type.name} where JSON has ${json.kind}`;
  const expected: Record<string, (s: FieldSchema) => boolean> = {
    string: (s) => s.kind === 'string',
    int32: (s) => s.kind === 'integer' && s.bits === 32,
    int64: (s) => s.kind === 'integer' && s.bits === 64,
    bool: (s) => s.kind === 'boolean',
    bytes: (s) => s.kind === 'bytes',
    time: (s) => s.kind === 'time' && !s.micro,
    microTime: (s) => s.kind === 'time' && s.micro === true,
    quantity: (s) => s.kind === 'quantity',
    intOrString: (s) => s.kind === 'intOrString',
  };
  return expected[type](json) ? undefined : `${type} where JSON has ${json.kind}`;
}

/** Walks a message and the JSON schema of the same Go type side by side, collecting mismatches. */
function compare(message: MessageSchema, json: FieldSchema, path: string, problems: string[], seen: Set<MessageSchema>): void {
  if (!seen.has(message)) {
    seen.add(message);
    if (message.byNumber.size !== message.fields.length) problems.push(`${message.name}: a field number is used twice`);
    const names = message.fields.filter((f) => f.shape !== 'inline').map((f) => f.json);
    if (new Set(names).size !== names.length) problems.push(`${message.name}: a JSON name is used twice`);
  }
  if (json.kind === 'open') return;
  if (json.kind !== 'object') {
    problems.push(`${path}: message ${message.name} where JSON has ${json.kind}`);
    return;
  }
  for (const field of message.fields) {
    if (field.shape === 'inline') {
      if (isMessage(field.type)) compare(field.type, json, path, problems, seen);
      continue;
    }
    const where = `${path}.${field.json}`;
    let value = json.fields[field.json];
    if (!value) {
      problems.push(`${where}: not in the JSON schema`);
      continue;
    }
    if (field.shape === 'slice' && field.type !== 'bytes') {
      if (value.kind !== 'array') {
        problems.push(`${where}: repeated where JSON has ${value.kind}`);
        continue;
      }
      value = value.items;
    } else if (field.shape === 'map') {
      if (value.kind !== 'map') {
        problems.push(`${where}: map where JSON has ${value.kind}`);
        continue;
      }
      value = value.values;
    }
    const problem = typeProblem(field, value);
    if (problem) problems.push(`${where}: ${problem}`);
    else if (isMessage(field.type)) compare(field.type, value, where, problems, seen);
  }
}

test('every field the protobuf tables decode is a field of the same type in the JSON schema', () => {
  const problems: string[] = [];
  const seen = new Set<MessageSchema>();
  for (const gvk of modelledKinds()) {
    const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
    const json = schemaFor(apiVersion, gvk.kind);
    const message = messageFor(gvk);
    assert.ok(json, `no JSON schema for ${apiVersion} ${gvk.kind}`);
    assert.ok(message);
    compare(message, json, `${apiVersion} ${gvk.kind}`, problems, seen);
  }
  assert.deepEqual(problems, []);
  assert.ok(seen.size > 100, `only ${seen.size} messages were walked`);
});
