// Memory stays bounded while the server reads hostile text for a long time: the heap after
// hundreds of edits (alias bombs, corrupted manifests, binary, deep nesting) and after opening
// and closing hundreds of files is no larger than a stated bound over where it started. The
// cache keeps one version per open file, so what the earlier versions held must be collectable.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { ManifestCache } from '../../../../server/src/documents';
import { fileDiagnostics } from '../../../../server/src/features/diagnostics';
import { documentSymbols } from '../../../../server/src/features/symbols';
import { SEED } from './propertyRuns';
import { aliasBomb, corruptedManifest, decodedBytes, deepNesting, nestedAnchors } from './hostileYaml';
import { answerEverything } from './serverEntries';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** What the heap may grow by over a run, whatever the run's length: a few parsed documents' worth. */
const HEAP_GROWTH_BOUND_MB = 24;

function heapUsedMB(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed / 1e6;
}

const hostileText = fc.oneof(
  corruptedManifest,
  aliasBomb.map((b) => b.text),
  nestedAnchors.map((n) => n.text),
  decodedBytes,
  deepNesting.filter((d) => d.text.length < 100_000).map((d) => d.text),
);

describe('memory stays bounded', () => {
  it('one open file edited through hundreds of hostile versions', (t) => {
    const texts = fc.sample(hostileText, { seed: SEED, numRuns: 400 });
    const cache = new ManifestCache();
    const edit = (text: string, version: number): void => {
      const file = cache.update('file:///edited.yaml', version, text);
      fileDiagnostics(file);
      documentSymbols(file);
    };
    texts.slice(0, 40).forEach((text, i) => edit(text, i));
    const before = heapUsedMB();
    texts.forEach((text, i) => edit(text, 100 + i));
    const growth = heapUsedMB() - before;
    t.diagnostic(`${texts.length} versions, seed ${SEED}: the heap grew by ${growth.toFixed(1)} MB (bound ${HEAP_GROWTH_BOUND_MB} MB)`);
    assert.ok(growth < HEAP_GROWTH_BOUND_MB, `the heap grew by ${growth.toFixed(1)} MB over ${texts.length} versions`);
  });

  it('hundreds of hostile files opened, answered and closed', (t) => {
    const texts = fc.sample(hostileText, { seed: SEED + 1, numRuns: 200 });
    // Each file gets its own parse and every feature's answer, then nothing refers to it.
    const open = (text: string): void => void answerEverything(text, []);
    texts.slice(0, 20).forEach((text) => open(text));
    const before = heapUsedMB();
    texts.forEach((text) => open(text));
    const growth = heapUsedMB() - before;
    t.diagnostic(`${texts.length} files, seed ${SEED + 1}: the heap grew by ${growth.toFixed(1)} MB (bound ${HEAP_GROWTH_BOUND_MB} MB)`);
    assert.ok(growth < HEAP_GROWTH_BOUND_MB, `the heap grew by ${growth.toFixed(1)} MB over ${texts.length} files`);
  });
});
