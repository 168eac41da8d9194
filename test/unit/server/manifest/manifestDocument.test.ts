import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestDocument } from '../../../../server/src/manifest/manifestDocument';
import type { FieldPathSegment } from '../../../../server/src/features/finding';

function text(doc: ManifestDocument, path: FieldPathSegment[], on: 'key' | 'value'): { text: string; exact: boolean } {
  const loc = doc.locate(path, on);
  return { text: doc.text.slice(loc.range.start, loc.range.end), exact: loc.exact };
}

const service = `# the lesson's Service
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: 8080
`;

describe('ManifestDocument identity', () => {
  it('reads apiVersion, kind, name and namespace of any kind', () => {
    const doc = new ManifestDocument(service);
    assert.equal(doc.apiVersion, 'v1');
    assert.equal(doc.kind, 'Service');
    assert.equal(doc.name, 'web');
    assert.equal(doc.namespace, 'shop');
    const crd = new ManifestDocument('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n');
    assert.equal(crd.kind, 'Widget');
    assert.deepEqual(crd.problems, []);
  });

  it('calls a comment-only document empty', () => {
    const doc = new ManifestDocument('---\n# nothing here\n');
    assert.equal(doc.empty, true);
    assert.equal(doc.object, undefined);
  });
});

describe("ManifestDocument reads YAML as kubectl's converter does", () => {
  it('takes yes/no/on/off/y/n as booleans (YAML 1.1)', () => {
    const doc = new ManifestDocument('a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: "yes"\n');
    assert.deepEqual(doc.value, { a: true, b: false, c: true, d: false, e: true, f: false, g: 'yes' });
  });

  it('reads octal and underscored integers, and keeps timestamps and sexagesimals as strings', () => {
    const doc = new ManifestDocument('a: 0755\nb: 1_000\nc: 2024-01-01\nd: 1:30\ne: 0x1F\n');
    assert.deepEqual(doc.value, { a: 493, b: 1000, c: '2024-01-01', d: '1:30', e: 31 });
  });

  it('follows merge keys and aliases', () => {
    const doc = new ManifestDocument('base: &b {app: web, tier: front}\nlabels:\n  <<: *b\n  tier: back\n');
    assert.deepEqual(doc.value, { base: { app: 'web', tier: 'front' }, labels: { app: 'web', tier: 'back' } });
  });

  it('warns on a repeated key, on the repeat, since kubectl keeps only the last value', () => {
    const yaml = 'spec:\n  ports:\n  - port: 80\n    port: 81\n';
    const doc = new ManifestDocument(yaml);
    assert.deepEqual(doc.value, { spec: { ports: [{ port: 81 }] } });
    assert.equal(doc.problems.length, 1);
    const p = doc.problems[0]!;
    assert.equal(p.severity, 'warning');
    assert.equal(p.code, 'ksl/duplicate-key');
    assert.equal(p.message, 'duplicate key "port": kubectl silently keeps only the last value');
    assert.equal(p.range.start, yaml.lastIndexOf('port'));
    assert.equal(doc.unreadable, false);
  });

  it('keeps JSON input as written, duplicate keys and number text included', () => {
    const doc = new ManifestDocument('{"kind": "Service", "spec": {"ports": [{"port": 80.0, "port": 81}]}}\n');
    assert.equal(doc.jsonInput, true);
    assert.equal(doc.json?.type, 'object');
    const spec = doc.json?.type === 'object' ? doc.json.entries.find((e) => e.key === 'spec')?.value : undefined;
    const port = spec?.type === 'object' && spec.entries[0]!.value.type === 'array' ? spec.entries[0]!.value.items[0] : undefined;
    assert.deepEqual(port?.type === 'object' ? port.entries.map((e) => [e.key, e.value]) : [], [
      ['port', { type: 'number', text: '80.0' }],
      ['port', { type: 'number', text: '81' }],
    ]);
    assert.deepEqual(doc.problems, [], 'duplicates in JSON are the decoder\'s to report');
  });
});

describe('ManifestDocument problems', () => {
  it('reports a syntax error where it is and gives no value', () => {
    const yaml = 'metadata:\n  name: web\n   labels: x\n';
    const doc = new ManifestDocument(yaml);
    assert.equal(doc.unreadable, true);
    assert.equal(doc.value, undefined);
    const err = doc.problems.find((p) => p.severity === 'error')!;
    assert.equal(err.code, 'ksl/yaml-syntax');
    assert.ok(doc.lines.positionAt(err.range.start).line >= 1, 'the error is on the bad line, not the first');
  });

  it('shows an error found at the end of the text on the last thing written', () => {
    const yaml = 'a: [unclosed\n\n\n';
    const doc = new ManifestDocument(yaml);
    const err = doc.problems.find((p) => p.severity === 'error')!;
    assert.ok(err.range.start <= yaml.indexOf('d') && err.range.end > err.range.start);
  });

  it('refuses a document that is not a mapping', () => {
    const doc = new ManifestDocument('- a\n- b\n');
    assert.deepEqual(
      doc.problems.map((p) => [p.code, p.severity]),
      [['ksl/not-an-object', 'error']],
    );
  });
});

describe('ManifestDocument.locate', () => {
  const doc = new ManifestDocument(service);

  it('finds keys and values by field path', () => {
    assert.deepEqual(text(doc, ['spec', 'ports', 0, 'targetPort'], 'key'), { text: 'targetPort', exact: true });
    assert.deepEqual(text(doc, ['spec', 'ports', 0, 'targetPort'], 'value'), { text: '8080', exact: true });
    assert.deepEqual(text(doc, ['spec', 'selector', 'app'], 'value'), { text: 'web', exact: true });
  });

  it('falls back to the nearest existing ancestor key for a missing field', () => {
    assert.deepEqual(text(doc, ['spec', 'ports', 0, 'nodePort'], 'value'), { text: 'name', exact: false });
    assert.deepEqual(text(doc, ['spec', 'type'], 'key'), { text: 'spec', exact: false });
    assert.deepEqual(text(doc, ['spec', 'ports', 3, 'port'], 'key'), { text: 'ports', exact: false });
  });

  it('puts a field missing at the top level on the first key', () => {
    const bare = new ManifestDocument('# c\nkind: Service\napiVersion: v1\n');
    assert.deepEqual(text(bare, ['metadata', 'name'], 'key'), { text: 'kind', exact: false });
  });

  it('puts an empty value on its key', () => {
    const d = new ManifestDocument('spec:\n  selector:\n  ports: []\n');
    assert.deepEqual(text(d, ['spec', 'selector'], 'value'), { text: 'selector', exact: true });
  });

  it('finds the last of repeated keys, the one kubectl keeps', () => {
    const d = new ManifestDocument('a: 1\na: 2\n');
    assert.deepEqual(text(d, ['a'], 'value'), { text: '2', exact: true });
  });

  it('finds keys merged in with <<, at the anchor that defines them', () => {
    const d = new ManifestDocument('defaults: &d\n  protocol: TCP\nport:\n  <<: *d\n  port: 80\n');
    const loc = d.locate(['port', 'protocol'], 'value');
    assert.equal(d.text.slice(loc.range.start, loc.range.end), 'TCP');
  });

  it('lists the entries of a mapping with their ranges', () => {
    const entries = doc.mapEntries(['spec', 'selector']);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.key, 'app');
    assert.equal(doc.text.slice(entries[0]!.valueRange.start, entries[0]!.valueRange.end), 'web');
  });
});

describe('ManifestDocument.nodeAt', () => {
  const doc = new ManifestDocument(service);
  it('names the field under an offset and whether it is the key or the value', () => {
    assert.deepEqual(
      (({ path, on }) => ({ path, on }))(doc.nodeAt(service.indexOf('8080') + 1)!),
      { path: ['spec', 'ports', 0, 'targetPort'], on: 'value' },
    );
    assert.deepEqual(
      (({ path, on }) => ({ path, on }))(doc.nodeAt(service.indexOf('selector') + 2)!),
      { path: ['spec', 'selector'], on: 'key' },
    );
    assert.equal(doc.nodeAt(0), undefined, 'a comment is no field');
  });
});
