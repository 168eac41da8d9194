// The sorted text pieces behind iptables-save's chain list, against a plain sorted map.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SortedChunks, sortKeys } from '../../../emulator/src/proxy/sortedChunks';
import { seededRandom as seeded } from '../helpers/seededRandom';

/** What the pieces should read as: every part of every key, in code-unit order of the keys. */
function expected(model: Map<string, string[]>, part: number): string {
  return [...model.keys()]
    .sort()
    .map((k) => (model.get(k) as string[])[part])
    .join('');
}

test('pieces read back in key order through inserts, replacements, removals and batches', () => {
  const rand = seeded(7);
  // Tiny buckets, so that splitting and emptying buckets happen all the time.
  const chunks = new SortedChunks(2, 4);
  const model = new Map<string, string[]>();
  const key = () => `KUBE-SEP-${String.fromCharCode(65 + Math.floor(rand() * 26))}${Math.floor(rand() * 40)}`;
  for (let step = 0; step < 3000; step++) {
    const op = rand();
    if (op < 0.5) {
      const k = key();
      const parts = [`:${k} - [0:0]\n`, `-A ${k} -j X${step}\n`];
      chunks.set(k, parts);
      model.set(k, parts);
    } else if (op < 0.85) {
      const k = key();
      assert.equal(chunks.delete(k), model.delete(k));
    } else {
      // A batch, large enough now and then to be sorted in one go.
      const changes = new Map<string, string[] | undefined>();
      const size = rand() < 0.3 ? 200 : 5;
      for (let i = 0; i < size; i++) {
        const k = key();
        const parts = rand() < 0.7 ? [`:${k} - [0:0]\n`, `-A ${k} -j B${step}\n`] : undefined;
        changes.set(k, parts);
      }
      chunks.update(changes);
      for (const [k, parts] of changes) {
        if (parts) model.set(k, parts);
        else model.delete(k);
      }
    }
    if (step % 50 === 0 || op >= 0.85) {
      assert.equal(chunks.size, model.size);
      assert.equal(chunks.text(0), expected(model, 0), `declarations after step ${step}`);
      assert.equal(chunks.text(1), expected(model, 1), `rules after step ${step}`);
    }
  }
});

test('setting a piece to the text it already has changes nothing', () => {
  const chunks = new SortedChunks(1);
  assert.equal(chunks.set('b', ['B']), true);
  assert.equal(chunks.set('a', ['A']), true);
  assert.equal(chunks.set('b', ['B']), false);
  assert.equal(chunks.update(new Map([['a', ['A']]])), false);
  assert.equal(chunks.update(new Map([['a', ['a']]])), true);
  assert.equal(chunks.text(0), 'aB');
});

test('a piece with the wrong number of parts is refused', () => {
  const chunks = new SortedChunks(2);
  assert.throws(() => chunks.set('a', ['only one']), /2 parts, not 1/);
  assert.equal(chunks.text(0), '');
});

test('many chain names sort exactly as the default string sort orders them', () => {
  const rand = seeded(11);
  const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const hash = (n: number) => Array.from({ length: n }, () => base32[Math.floor(rand() * 32)]).join('');
  const keys = new Set<string>();
  for (let i = 0; i < 3000; i++) keys.add(`KUBE-${['SEP', 'SVC', 'SVL', 'EXT', 'FW'][i % 5]}-${hash(16)}`);
  // Names sharing their first five hash characters, names shorter than that, names with
  // characters outside the packed range, and the fixed chains.
  for (let i = 0; i < 50; i++) keys.add(`KUBE-SEP-AAAAA${hash(11)}`);
  for (const k of ['KUBE-SEP-', 'KUBE-SEP-A', 'KUBE-SEP-AB-', 'KUBE-SERVICES', 'KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'x-y-lower', 'x-y-Ünïcode', 'nodash']) keys.add(k);
  const list = [...keys];
  assert.deepEqual(sortKeys([...list]), [...list].sort());
});
