// The bugs the robustness properties found, each kept as the smallest case that showed it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver';
import { ManifestCache } from '../../../../server/src/documents';
import { codeActions } from '../../../../server/src/features/codeActions';
import { completion } from '../../../../server/src/features/completion';
import { checkDocument } from '../../../../server/src/features/documentFindings';
import { workloadErrors } from '../../../../server/src/features/workloadFindings';
import { ManifestDocument } from '../../../../server/src/manifest/manifestDocument';
import type { KubeObject } from '../../../../server/src/validation/kubeTypes';
import { check } from '../diagnostics/checkYaml';
import { lessonView, manifest } from '../features/featureFixtures';
import { answerEverything } from './serverEntries';

const service = (spec: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n${spec}`;

describe('aliases are limited as kubectl limits them', () => {
  it('reads 101 aliases of one scalar, which kubectl reads (the YAML library alone refused them)', () => {
    const text = service(`  selector: {app: &app web}\n  ports:\n${Array.from({ length: 101 }, (_, i) => `    - {name: p${i}, port: ${1000 + i}, targetPort: *app}`).join('\n')}\n`);
    const doc = new ManifestDocument(text);
    assert.deepEqual(doc.problems, []);
    assert.equal((doc.object?.['spec'] as { ports: { targetPort: string }[] }).ports[100]!.targetPort, 'web');
  });

  it('refuses a large node aliased 100 times, at the alias where kubectl stops (it used to be expanded: 700 MB and 4 s for a 450 kB file)', () => {
    const anchor = `[${Array.from({ length: 50_000 }, (_, i) => `x${i}`).join(',')}]`;
    const text = `a: &a ${anchor}\n${Array.from({ length: 99 }, (_, i) => `b${i}: *a`).join('\n')}\n`;
    assert.deepEqual(
      check(text).map((s) => [s.code, s.line, s.text, s.message]),
      [['ksl/yaml-syntax', 14, '*a', 'kubectl cannot read the document: document contains excessive aliasing (kubectl copies every alias in full and refuses this much copying: alias smaller nodes, or fewer times)']],
    );
  });

  it('refuses an anchor that holds its own alias, in kubectl\'s words (it used to say "nests more than 500 levels")', () => {
    assert.deepEqual(
      check('a: &a [1, *a]\n').map((s) => [s.code, s.text, s.message]),
      [['ksl/yaml-syntax', '*a', "kubectl cannot read the document: anchor 'a' value contains itself (the alias would expand forever)"]],
    );
  });

  it('points at an alias without an anchor (it used to point at the first line)', () => {
    assert.deepEqual(
      check(service('  selector:\n    app: *web\n')).map((s) => [s.line, s.text, s.message]),
      [[7, '*web', "kubectl cannot read the document: unknown anchor 'web' referenced (an alias needs its anchor &web earlier in the same document)"]],
    );
  });

  it('locates the errors of 4,000 aliased ports on the anchored value (each lookup used to walk the whole document: 16 s in all)', () => {
    const text = service(`  ports:\n    - &p {port: 0, name: a}\n${'    - *p\n'.repeat(4000)}`);
    const { findings } = checkDocument(new ManifestDocument(text));
    const last = findings.find((f) => f.code === 'spec.ports[4000].port');
    assert.deepEqual(last?.range, { start: { line: 6, character: 16 }, end: { line: 6, character: 17 } });
  });
});

describe('line breaks as the editor counts them', () => {
  it('reads a file with CR line endings as it reads one with LF (the YAML library took the whole file for one line)', () => {
    const lf = service('  ports:\n    - port: 70000\n');
    const expected = [
      ['spec.ports[0].port', 7, '70000'],
      ['spec.ports[0].targetPort', 7, 'port'],
    ];
    assert.deepEqual(check(lf).map((s) => [s.code, s.line, s.text]), expected);
    assert.deepEqual(check(lf.replace(/\n/g, '\r')).map((s) => [s.code, s.line, s.text]), expected);
  });

  it('never puts a position between the CR and LF of a line break', () => {
    const { diagnostics } = answerEverything('a: 1\r\r\n- b\r\r\n', []);
    assert.deepEqual(diagnostics[0]?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } });
  });

  it('says that a document nests too deeply instead of "Maximum call stack size exceeded"', () => {
    const [finding] = check(`a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    assert.match(finding?.message ?? '', /^the document nests too deeply to read/);
  });
});

describe('long lists are checked to the end', () => {
  // Errors were gathered with `errors.push(...more)`, which throws a RangeError past about
  // 120,000 arguments: the checks stopped with "Maximum call stack size exceeded".
  it('130,000 errors from one Service document all reach the editor', () => {
    const finalizers = Array.from({ length: 65_000 }, (_, i) => `-bad${i}`).join(', ');
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  finalizers: [${finalizers}]\nspec:\n  ports: [{port: 80}]\n`;
    const { findings } = checkDocument(new ManifestDocument(text));
    assert.equal(findings.filter((f) => f.code === 'ksl/internal').length, 0);
    assert.ok(findings.some((f) => f.code === 'metadata.finalizers[64999]'), 'the last finalizer has its error');
  });

  it('130,000 bad container ports of a Deployment are all reported', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: Array.from({ length: 130_000 }, () => ({ containerPort: 0 })) }] } },
      },
    } as unknown as KubeObject;
    assert.equal(workloadErrors('apps/v1', 'Deployment', deployment).length, 130_000);
  });
});

describe('work that grew with the square of the input', () => {
  it('completes after a line of 40,000 spaces (the key reader backtracked over every space: 4.8 s per completion)', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    a${' '.repeat(40_000)}\nspec:\n  type: `;
    const file = new ManifestCache().update('file:///work/spaces.yaml', 1, text);
    const items = completion(file, { line: 6, character: 8 }, lessonView(), []);
    assert.deepEqual(items.map((i) => i.label), ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);
    assert.deepEqual(completion(file, { line: 4, character: 20_000 }, lessonView(), []), []);
  });

  it('underlines each of 8,000 invalid selector keys, and a bad value after them (each error scanned the whole selector: 27 s)', () => {
    const selector = Array.from({ length: 8000 }, (_, i) => `    -bad${i}: web`).join('\n');
    const seen = check(service(`  selector:\n${selector}\n    app: -web\n  ports:\n    - port: 80\n`)).filter((s) => s.code === 'spec.selector');
    assert.equal(seen.length, 8001);
    assert.deepEqual(
      seen.filter((s) => s.line >= 8006).map((s) => [s.line, s.text]),
      [
        [8006, '-bad7999'],
        [8007, '-web'],
      ],
    );
  });

  it('offers a fix for each of 3,000 selector diagnostics in one request (each decoded the Service and listed the selector again: 3.5 s)', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `ap${i}`);
    const file = manifest(service(`  selector:\n${keys.map((k) => `    ${k}: wbe\n`).join('')}`));
    const diagnostics: Diagnostic[] = keys.map((k, i) => ({
      range: { start: { line: 6 + i, character: 4 }, end: { line: 6 + i, character: 4 + k.length } },
      severity: 2,
      code: 'ksl/selector-matches-no-pod',
      message: `no pod has ${k}=wbe; 3 pods have app=web`,
      data: { path: ['spec', 'selector', k], suggestedKey: 'app', suggestedValue: 'web' },
    }));
    const actions = codeActions(file, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, diagnostics, lessonView());
    assert.equal(actions.length, 3000);
    const last = actions[2999]!;
    assert.deepEqual(last.diagnostics, [diagnostics[2999]]);
    assert.deepEqual(last.edit?.changes?.[file.uri], [
      { range: { start: { line: 3005, character: 4 }, end: { line: 3005, character: 10 } }, newText: 'app' },
      { range: { start: { line: 3005, character: 12 }, end: { line: 3005, character: 15 } }, newText: 'web' },
    ]);
  });
});
