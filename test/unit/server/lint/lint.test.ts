// `ksl lint`: the engine's findings in compiler coordinates, the files it picks, its three
// output formats, and the command's exit status.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasErrors, lintManifests, loadManifests, type LintFinding } from '../../../../server/src/lint/lintFindings';
import { manifestFiles } from '../../../../server/src/lint/manifestFiles';
import { formatJson, formatSarif, formatText } from '../../../../server/src/lint/reportFormats';

const badService = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    tragetPort: 8080\n    nodePort: 8080\n';
const warnOnly = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\nspec:\n  externalIPs: [192.0.2.1]\n  ports:\n  - port: 80\n';
const good = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ok\nspec:\n  ports:\n  - port: 80\n';

describe('lintManifests', () => {
  it('reports 1-based lines and columns, with an exclusive end column', () => {
    const findings = lintManifests(loadManifests([{ name: 'svc.yaml', text: badService }]));
    assert.deepEqual(findings, [
      {
        file: 'svc.yaml',
        line: 8,
        column: 5,
        endLine: 8,
        endColumn: 15,
        severity: 'error',
        code: 'spec.ports[0].tragetPort',
        message: 'strict decoding error: unknown field "spec.ports[0].tragetPort"',
      },
      {
        file: 'svc.yaml',
        line: 9,
        column: 5,
        endLine: 9,
        endColumn: 13,
        severity: 'error',
        code: 'spec.ports[0].nodePort',
        message: "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
      },
    ]);
    assert.equal(hasErrors(findings), true);
  });

  it('maps information to "info" and has no error for warnings only', () => {
    const findings = lintManifests(loadManifests([{ name: 'w.yaml', text: warnOnly }]), {
      generation: 0,
      findings: () => [{ path: ['spec', 'ports', 0, 'port'], on: 'value', severity: 'information', code: 'ksl/x', message: 'fyi' }],
    });
    assert.deepEqual(
      findings.map((f) => [f.severity, f.code]),
      [
        ['warning', 'spec.externalIPs'],
        ['info', 'ksl/x'],
      ],
    );
    assert.equal(hasErrors(findings), false);
  });
});

describe('formats', () => {
  const findings: LintFinding[] = lintManifests(loadManifests([{ name: 'dir/svc.yaml', text: badService }]));

  it('text reads like a compiler', () => {
    assert.equal(
      formatText(findings, 1),
      'dir/svc.yaml:8:5: error: strict decoding error: unknown field "spec.ports[0].tragetPort" [spec.ports[0].tragetPort]\n' +
        "dir/svc.yaml:9:5: error: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP' [spec.ports[0].nodePort]\n" +
        '1 file checked: 2 errors, 0 warnings, 0 info\n',
    );
  });

  it('json is the findings array', () => {
    assert.deepEqual(JSON.parse(formatJson(findings)), findings);
  });

  it('sarif is a SARIF 2.1.0 log with one rule per code and a region per result', () => {
    const log = JSON.parse(formatSarif(findings));
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.deepEqual(
      run.tool.driver.rules.map((r: { id: string }) => r.id),
      ['spec.ports[0].nodePort', 'spec.ports[0].tragetPort'],
    );
    assert.deepEqual(run.results[0], {
      ruleId: 'spec.ports[0].tragetPort',
      ruleIndex: 1,
      level: 'error',
      message: { text: 'strict decoding error: unknown field "spec.ports[0].tragetPort"' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'dir/svc.yaml' }, region: { startLine: 8, startColumn: 5, endLine: 8, endColumn: 15 } } }],
    });
  });
});

describe('manifestFiles and the ksl lint command', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ksl-lint-'));
    mkdirSync(join(dir, 'nested'));
    mkdirSync(join(dir, '.hidden'));
    writeFileSync(join(dir, 'bad.yaml'), badService);
    writeFileSync(join(dir, 'nested', 'good.yml'), good);
    writeFileSync(join(dir, 'nested', 'notes.txt'), 'not yaml');
    writeFileSync(join(dir, '.hidden', 'skip.yaml'), badService);
    writeFileSync(join(dir, 'warn.yaml'), warnOnly);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds *.yaml and *.yml files in directories, in name order, skipping hidden ones', () => {
    assert.deepEqual(manifestFiles([dir, join(dir, 'missing.yaml')]), {
      files: [join(dir, 'bad.yaml'), join(dir, 'nested', 'good.yml'), join(dir, 'warn.yaml')],
      missing: [join(dir, 'missing.yaml')],
    });
  });

  function ksl(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'emulator/src/cli/main.ts', 'lint', ...args], { encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('exits 1 when there is an error, 0 otherwise, 2 on bad usage', () => {
    const failing = ksl('--format', 'json', dir);
    assert.equal(failing.status, 1, failing.stderr);
    const findings = JSON.parse(failing.stdout) as LintFinding[];
    assert.deepEqual([...new Set(findings.map((f) => f.file))], [join(dir, 'bad.yaml'), join(dir, 'warn.yaml')]);

    const passing = ksl(join(dir, 'warn.yaml'), join(dir, 'nested'));
    assert.equal(passing.status, 0, passing.stderr);
    assert.match(passing.stdout, /warn\.yaml:6:3: warning: spec\.externalIPs is deprecated/);
    assert.match(passing.stdout, /2 files checked: 0 errors, 1 warning, 0 info\n$/);

    assert.equal(ksl('--format', 'xml', dir).status, 2);
    assert.equal(ksl().status, 2);
  });
});
