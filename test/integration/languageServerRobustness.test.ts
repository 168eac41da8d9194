// The language server as an editor drives it over stdio, fed hostile files: alias bombs,
// nested anchors, 10,000 levels of nesting, 10 MB files of several shapes, binary content,
// corrupted manifests and wrong types in every field, against a running emulator that holds
// the lesson. Each file is opened and asked everything an editor asks (hover, inlay hints,
// code lenses, completion, code actions, the outline), at once and again after its diagnostics
// arrive. Every request must be answered, without an error, within REQUEST_BOUND_MS: a bound
// on what a user waits for, not a benchmark. The server's peak resident memory stays under
// RSS_BOUND_MB across the hostile files, and under LARGEST_FILE_RSS_BOUND_MB once it has also
// checked the largest file it checks.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  HoverRequest,
  InlayHintRequest,
  type Diagnostic,
  type Position,
} from 'vscode-languageserver/node';
import { applyManifests } from '../../emulator/src/cli/applyManifests';
import { startEmulator, type Emulator } from '../../emulator/src/emulator';
import { aliasBomb, corruptedManifest, decodedBytes, nestedAnchors } from '../unit/server/robustness/hostileYaml';
import { deployment, modelFields, service, toYaml, withValueAt, wrongField } from '../unit/server/robustness/manifestModel';
import { SEED } from '../unit/server/robustness/propertyRuns';
import { LspClient, PublishedDiagnostics } from './lspClient';

/** The longest an editor request may take, whatever the file. */
const REQUEST_BOUND_MS = 2000;
/** The most resident memory the server may reach over the hostile files. */
const RSS_BOUND_MB = 400;
/**
 * The most it may reach once it has also checked the largest file it still checks, in one
 * document, whose YAML nodes (built for positions) take about 40 bytes per byte of text.
 */
const LARGEST_FILE_RSS_BOUND_MB = 1200;
const TEN_MB = 10 * 1000 * 1000;

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web-{i}\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: 8080\n';

function repeatTo(size: number, piece: (i: number) => string, separator = ''): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const p = piece(i) + separator;
    parts.push(p);
    length += p.length;
  }
  return parts.join('');
}

/** One Service whose port list makes it `size` characters long. */
function serviceWithPorts(size: number): string {
  const port = (i: number): string => `    - name: p${i}\n      port: ${1 + (i % 65535)}\n      targetPort: ${i % 3 === 0 ? 'http' : 8080}\n`;
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: big\nspec:\n  ports:\n${repeatTo(size, port)}`;
}

function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  return lines.join('\n') + '\n';
}

function wrongTypes(count: number): string[] {
  const kinds = [service, deployment].map((kind) => ({ kind, fields: modelFields(kind) }));
  const arb = fc.oneof(...kinds.map(({ kind, fields }) => fc.record({ kind: fc.constant(kind), wrongs: fc.array(wrongField(fields), { minLength: 1, maxLength: 6 }) })));
  return fc.sample(arb, { seed: SEED, numRuns: count }).map(({ kind, wrongs }) => toYaml(wrongs.reduce((o, { field, wrong }) => withValueAt(o, field.path, wrong.value), kind.base())));
}

/** Every hostile file the run opens, by name. */
function hostileFiles(): [string, string][] {
  const bytes = Buffer.alloc(TEN_MB);
  let x = SEED >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    // xorshift32: deterministic bytes, cheap enough for ten million of them.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return [
    ['billion laughs (9^12 nodes)', billionLaughs()],
    ['a 450 kB anchor aliased 99 times', `a: &a [${Array.from({ length: 50_000 }, (_, i) => `x${i}`).join(',')}]\n${Array.from({ length: 99 }, (_, i) => `b${i}: *a`).join('\n')}\n`],
    ...fc.sample(aliasBomb, { seed: SEED, numRuns: 4 }).map((b, i): [string, string] => [`alias bomb ${i} (${b.expansion} nodes)`, b.text]),
    ...fc.sample(nestedAnchors, { seed: SEED, numRuns: 4 }).map((n, i): [string, string] => [`nested anchors ${i}`, n.text]),
    ['10,000 levels of [', `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`],
    ['10,000 levels of "- "', `${'- '.repeat(10_000)}x\n`],
    ['10,000 levels of {a: (unclosed)', `a: ${'{a: '.repeat(10_000)}\n`],
    // Two files whose checks grew with the square of their size: each took seconds per request.
    ['a line of 40,000 spaces above the caret', `apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    a${' '.repeat(40_000)}\nspec:\n  type: `],
    ['8,000 invalid selector keys', `apiVersion: v1\nkind: Service\nmetadata:\n  name: bad-selector\nspec:\n  selector:\n${Array.from({ length: 8000 }, (_, i) => `    -bad${i}: web\n`).join('')}  ports:\n    - port: 80\n`],
    ['10 MB of Services', repeatTo(TEN_MB, (i) => SERVICE.replace('{i}', String(i)), '---\n')],
    ['10 MB in one Service', serviceWithPorts(TEN_MB)],
    ['10 MB in one scalar', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  a: "${'x'.repeat(TEN_MB)}"\n`],
    ['10 MB of binary read as UTF-8', bytes.toString('utf8')],
    ...fc.sample(decodedBytes, { seed: SEED, numRuns: 3 }).map((text, i): [string, string] => [`binary ${i}`, text]),
    ...fc.sample(corruptedManifest, { seed: SEED, numRuns: 12 }).map((text, i): [string, string] => [`corrupted manifest ${i}`, text]),
    ...wrongTypes(12).map((text, i): [string, string] => [`wrong types ${i}`, text]),
  ];
}

/** Where an editor asks: the file's corners, a middle, and places outside it. */
function positionsIn(text: string): Position[] {
  let lines = 1;
  let lastLineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    lines++;
    lastLineStart = i + 1;
  }
  return [
    { line: 0, character: 0 },
    { line: 3, character: 4 },
    { line: Math.floor(lines / 2), character: 2 },
    { line: lines - 1, character: text.length - lastLineStart },
    { line: lines + 10, character: 0 },
    { line: 0, character: 100_000 },
  ];
}

/** The server's peak resident set (VmHWM) in MB, from /proc: it is the child of this test process running dist/server.js. */
function serverPeakRssMB(): number {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid || !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server.js')) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) return Number(hwm[1]) / 1024;
    } catch {
      // The process ended while being read; it is not the server.
    }
  }
  throw new Error('the language server process was not found under /proc');
}

let emulator: Emulator;
let stateDir: string;
let client: LspClient;
let published: PublishedDiagnostics;
const slowest = { ms: 0, what: '' };
let requests = 0;

async function timed<T>(what: string, send: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const answer = await send();
  const ms = performance.now() - start;
  requests++;
  if (ms > slowest.ms) Object.assign(slowest, { ms, what });
  assert.ok(ms <= REQUEST_BOUND_MS, `${what} took ${Math.round(ms)} ms (bound ${REQUEST_BOUND_MS} ms)\nserver stderr: ${client.stderr}`);
  return answer;
}

/** Every editor request about `uri`, each timed; the code actions get the diagnostics given. */
async function askEverything(name: string, uri: string, text: string, diagnostics: Diagnostic[]): Promise<void> {
  const textDocument = { uri };
  const whole = { start: { line: 0, character: 0 }, end: { line: 1_000_000, character: 0 } };
  await timed(`${name}: inlay hints`, () => client.connection.sendRequest(InlayHintRequest.type, { textDocument, range: whole }));
  await timed(`${name}: code lenses`, () => client.connection.sendRequest(CodeLensRequest.type, { textDocument }));
  await timed(`${name}: outline`, () => client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument }));
  for (const position of positionsIn(text)) {
    const at = `${name} at ${position.line}:${position.character}`;
    await timed(`${at}: hover`, () => client.connection.sendRequest(HoverRequest.type, { textDocument, position }));
    await timed(`${at}: completion`, () => client.connection.sendRequest(CompletionRequest.type, { textDocument, position }));
    const range = { start: position, end: position };
    await timed(`${at}: code actions`, () => client.connection.sendRequest(CodeActionRequest.type, { textDocument, range, context: { diagnostics: diagnostics.slice(0, 50) } }));
  }
}

before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'ksl-lsp-robust-'));
  emulator = await startEmulator({ stateDir, podReadyDelayMs: 0, hostPorts: false, log: () => undefined });
  const examples = join(import.meta.dirname, '../../examples');
  for (const file of ['deployment-web.yaml', 'service-clusterip.yaml']) {
    const outcomes = applyManifests(emulator.registry, join(examples, file));
    assert.ok(outcomes.every((o) => o.ok), JSON.stringify(outcomes));
  }
  client = LspClient.spawn();
  published = new PublishedDiagnostics(client);
  await client.initialize({ initializationOptions: { cluster: { emulator: { stateDir } }, validationDelayMs: 0 } });
});

after(async () => {
  await client?.close();
  await emulator?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

/** Opens the file, asks everything at once and again after its diagnostics, and closes it. */
async function exercise(name: string, uri: string, text: string): Promise<void> {
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  await askEverything(`${name} (just opened)`, uri, text, []);
  const diagnostics = await published.waitFor(uri, () => true, `the diagnostics of ${name}`, 60_000);
  await askEverything(name, uri, text, diagnostics);
  await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
}

describe('the language server over stdio, fed hostile files', () => {
  it(`answers every request within ${REQUEST_BOUND_MS} ms, before and after each file's diagnostics, in under ${RSS_BOUND_MB} MB`, async (t) => {
    const files = hostileFiles();
    for (const [i, [name, text]] of files.entries()) await exercise(name, `file:///work/hostile-${i}.yaml`, text);
    const peak = serverPeakRssMB();
    t.diagnostic(`${files.length} files, ${requests} requests, seed ${SEED}; the slowest: ${slowest.what}, ${Math.round(slowest.ms)} ms; peak resident memory ${Math.round(peak)} MB`);
    assert.ok(peak < RSS_BOUND_MB, `the server reached ${Math.round(peak)} MB`);
  });

  it(`checks the largest file it checks (4 MB, one document) within the same bound, in under ${LARGEST_FILE_RSS_BOUND_MB} MB`, async (t) => {
    await exercise('4 MB in one Service', 'file:///work/largest.yaml', serviceWithPorts(4 * 1000 * 1000));
    const peak = serverPeakRssMB();
    t.diagnostic(`the slowest request so far: ${slowest.what}, ${Math.round(slowest.ms)} ms; peak resident memory ${Math.round(peak)} MB`);
    assert.ok(peak < LARGEST_FILE_RSS_BOUND_MB, `the server reached ${Math.round(peak)} MB`);
  });
});
