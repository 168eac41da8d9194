// Golden files: test/fixtures/proxy/<case>.json holds Services and EndpointSlices (and, when
// the case needs it, kube-proxy settings); <case>.rules is the node's iptables-save output for
// them. A <case>.restore file, where present, is kube-proxy's own iptables-restore text copied
// verbatim from its tests, and the model must reproduce it exactly.
//
// UPDATE_GOLDEN=1 rewrites the .rules files from the current code. Read every rewritten file
// against pkg/proxy/iptables/proxier.go and proxier_test.go before keeping it. The .restore
// files are never rewritten: they are upstream's expectations, not ours.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EndpointSlice, Service } from '../../../emulator/src/api/types';
import { computeRules, type ProxyConfig } from '../../../emulator/src/proxy/rules';
import { renderIptablesSave, renderRestoreInput } from '../../../emulator/src/proxy/iptablesSave';

const FIXTURES = fileURLToPath(new URL('../../fixtures/proxy/', import.meta.url));
const NOW = Date.parse('2026-11-26T08:00:00Z');
const update = process.env.UPDATE_GOLDEN === '1';

interface GoldenCase {
  description: string;
  config?: Partial<ProxyConfig>;
  services: Service[];
  endpointSlices: EndpointSlice[];
}

const cases = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

test('there are golden cases to check', () => {
  assert.ok(cases.length >= 10, `only ${cases.length} cases in ${FIXTURES}`);
});

for (const name of cases) {
  test(`golden iptables-save: ${name}`, () => {
    const input = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as GoldenCase;
    const rules = computeRules(input.services, input.endpointSlices, input.config);
    const saved = renderIptablesSave(rules, { now: NOW });
    const rulesFile = join(FIXTURES, `${name}.rules`);
    if (update) writeFileSync(rulesFile, saved);
    assert.ok(existsSync(rulesFile), `missing ${rulesFile}; run with UPDATE_GOLDEN=1 and review it`);
    assert.equal(saved, readFileSync(rulesFile, 'utf8'));

    const restoreFile = join(FIXTURES, `${name}.restore`);
    if (existsSync(restoreFile)) assert.equal(renderRestoreInput(rules), readFileSync(restoreFile, 'utf8'));
  });
}
