// Hostile and broken text through every module the language server uses: no module throws,
// every answer stays inside the file, and what the server concludes is what kubectl would:
// an alias bomb, an anchor that contains itself and nesting no object has are refused with a
// diagnostic, a duplicated key is pointed at, and line endings change nothing.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ManifestCache } from '../../../../server/src/documents';
import { entryFindings } from '../../../../server/src/features/cachedFindings';
import { maxNestingDepth, type ManifestDocument } from '../../../../server/src/manifest/manifestDocument';
import { checkProperty } from './propertyRuns';
import { aliasBomb, applyMutation, corruptedManifest, decodedBytes, deepNesting, exampleManifests, loneSurrogate, mutation, nestedAnchors } from './hostileYaml';
import { answerEverything, edgePositions } from './serverEntries';

function documentsOf(text: string): ManifestDocument[] {
  return new ManifestCache().update('file:///hostile.yaml', 1, text).documents.map((p) => p.entry.doc);
}

function refusal(doc: ManifestDocument): string | undefined {
  return doc.value === undefined ? doc.problems.find((p) => p.severity === 'error')?.message : undefined;
}

const position = fc.record({ line: fc.integer({ min: -2, max: 80 }), character: fc.integer({ min: -2, max: 120 }) });

describe('hostile text never breaks a module', () => {
  it('the example manifests after random edits (tabs, BOMs, U+FFFD, lone surrogates, CR, CRLF, markers, anchors)', (t) => {
    checkProperty(t, fc.tuple(corruptedManifest, fc.array(position, { maxLength: 12 })), ([text, positions]) => void answerEverything(text, [...edgePositions(text), ...positions]), { numRuns: 300 });
  });

  it('binary content, decoded as UTF-8 (bad bytes become U+FFFD) and as Latin-1', (t) => {
    checkProperty(t, decodedBytes, (text) => void answerEverything(text), { numRuns: 120 });
  });

  it('lone surrogates anywhere in a manifest', (t) => {
    const arb = fc.record({ base: fc.constantFrom(...exampleManifests), at: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), loneSurrogate), { minLength: 1, maxLength: 10 }) });
    checkProperty(t, arb, ({ base, at }) => void answerEverything(at.reduce((text, [where, s]) => applyMutation(text, { op: 'insert', at: where, text: s }), base)), { numRuns: 100 });
  });
});

describe('what the server concludes from hostile text', () => {
  it('an alias bomb is refused with a diagnostic, as kubectl refuses it; a small one is read', (t) => {
    checkProperty(
      t,
      aliasBomb,
      ({ text, expansion }) => {
        const [doc] = documentsOf(text);
        const refused = refusal(doc!);
        if (expansion >= 1_000_000) assert.match(refused ?? 'read', /excessive aliasing/, `an alias expanding to ${expansion} nodes was not refused`);
        if (expansion <= 40) assert.equal(refused, undefined, `an alias expanding to only ${expansion} nodes was refused`);
        answerEverything(text);
      },
      { numRuns: 120 },
    );
  });

  it('nested anchors: an alias inside its own anchor is refused, anchors without aliases are read', (t) => {
    checkProperty(
      t,
      nestedAnchors,
      ({ text, selfContaining, aliases }) => {
        const [doc] = documentsOf(text);
        const refused = refusal(doc!);
        if (selfContaining) assert.match(refused ?? 'read', /contains itself|excessive aliasing/, 'an anchor that contains its own alias was not refused');
        if (aliases === 0) assert.equal(refused, undefined, 'anchors without aliases were refused');
        answerEverything(text);
      },
      { numRuns: 120 },
    );
  });

  it('nesting up to 10,000 levels: deeper than any object is refused with a diagnostic', (t) => {
    checkProperty(
      t,
      deepNesting,
      ({ text, depth }) => {
        const docs = documentsOf(text);
        if (depth > maxNestingDepth) {
          for (const doc of docs) assert.ok(doc.value === undefined && doc.problems.some((p) => p.severity === 'error'), `${depth} levels were read`);
        }
        answerEverything(text, edgePositions(text));
      },
      { numRuns: 60, noShrink: true },
    );
  });

  it('line endings (LF, CRLF, CR) change no diagnostic (but for the line breaks a syntax error quotes)', (t) => {
    const arb = fc.record({ base: fc.constantFrom(...exampleManifests), mutations: fc.array(mutation, { maxLength: 4 }) });
    checkProperty(
      t,
      arb,
      ({ base, mutations }) => {
        const text = mutations.reduce(applyMutation, base).replace(/\r\n?/g, '\n');
        // The YAML library quotes the text around a syntax error, line breaks and all (escaped).
        const quoted = (message: string): string => message.replace(/\\r\\n|\\r/g, '\\n');
        const said = (eol: string): string[] =>
          answerEverything(text.replace(/\n/g, eol), []).diagnostics.map((d) => `${JSON.stringify(d.range)} ${d.severity} ${String(d.code)} ${quoted(typeof d.message === 'string' ? d.message : d.message.value)}`);
        const lf = said('\n');
        assert.deepEqual(said('\r\n'), lf, 'CRLF');
        assert.deepEqual(said('\r'), lf, 'CR');
      },
      { numRuns: 150 },
    );
  });

  it('a key written twice in a mapping is pointed at where it is repeated', (t) => {
    const keyLines = exampleManifests.flatMap((text) => text.split('\n').flatMap((line, i) => (/^\s*[A-Za-z][\w.-]*: \S+$/.test(line) ? [{ text, line: i }] : [])));
    checkProperty(
      t,
      fc.constantFrom(...keyLines),
      ({ text, line }) => {
        const lines = text.split('\n');
        lines.splice(line + 1, 0, lines[line]!);
        const findings = new ManifestCache().update('file:///dup.yaml', 1, lines.join('\n')).documents.flatMap((placed) =>
          entryFindings(placed.entry).map((f) => ({ ...f, line: f.range.start.line + placed.line })),
        );
        const key = lines[line]!.trim().split(':')[0]!;
        assert.ok(
          findings.some((f) => f.code === 'ksl/duplicate-key' && f.line === line + 1 && f.message.includes(JSON.stringify(key))),
          `no duplicate-key warning on line ${line + 1} for ${key}: ${JSON.stringify(findings.map((f) => [f.code, f.line, f.message]))}`,
        );
      },
      { numRuns: 100 },
    );
  });
});
