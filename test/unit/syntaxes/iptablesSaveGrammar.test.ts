// The rules view's TextMate grammar, tokenized by the same engine VS Code uses
// (vscode-textmate with Oniguruma), on the kube-proxy golden files.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import oniguruma from 'vscode-oniguruma';
import textmate, { type IGrammar, type IRawGrammar } from 'vscode-textmate';

// Both packages are CommonJS; their named exports are reached through the default export.
const { INITIAL, Registry } = textmate;

const root = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(import.meta.url);
let grammar: IGrammar;

before(async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => JSON.parse(readFileSync(`${root}/syntaxes/iptables-save.tmLanguage.json`, 'utf8')) as IRawGrammar,
  });
  const g = await registry.loadGrammar('source.iptables-save');
  assert.ok(g, 'the grammar loads');
  grammar = g;
});

/** The scopes of each token whose text is `text` on the line. */
function scopesOf(line: string, text: string): string[] {
  const { tokens } = grammar.tokenizeLine(line, INITIAL);
  const hit = tokens.find((t) => line.slice(t.startIndex, t.endIndex) === text);
  assert.ok(hit, `no token "${text}" in: ${line}`);
  return hit.scopes;
}

describe('iptables-save grammar', () => {
  it('marks tables, chain declarations and COMMIT', () => {
    assert.ok(scopesOf('*nat', 'nat').includes('entity.name.section.table.iptables-save'));
    assert.ok(scopesOf(':KUBE-SERVICES - [0:0]', 'KUBE-SERVICES').includes('entity.name.type.chain.kube-proxy.iptables-save'));
    assert.ok(scopesOf('COMMIT', 'COMMIT').includes('keyword.control.commit.iptables-save'));
  });

  it('tells service and endpoint chains, targets, modules, comments and addresses apart', () => {
    const line =
      '-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.3:80" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-VPJCWIHGOZWNRC6B';
    assert.ok(scopesOf(line, 'KUBE-SVC-LOLE4ISW44XBNF3G').includes('entity.name.function.chain.kube-proxy.iptables-save'));
    assert.ok(scopesOf(line, '"default/web -> 10.244.0.3:80"').includes('string.quoted.double.comment.iptables-save'));
    assert.ok(scopesOf(line, 'statistic').includes('support.type.module.iptables-save'));
    assert.ok(scopesOf(line, 'KUBE-SEP-VPJCWIHGOZWNRC6B').includes('entity.name.function.chain.kube-proxy.iptables-save'));
    const reject = '-A KUBE-SERVICES -d 10.96.48.2/32 -p tcp -m comment --comment "default/nobody has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable';
    assert.ok(scopesOf(reject, 'REJECT').includes('support.function.target.iptables-save'));
    assert.ok(scopesOf(reject, '10.96.48.2/32').includes('constant.numeric.address.iptables-save'));
  });

  it('gives every line of the golden rules files a scope', () => {
    const dir = `${root}/test/fixtures/proxy`;
    const files = readdirSync(dir).filter((f) => f.endsWith('.rules'));
    assert.ok(files.length > 0);
    for (const name of files) {
      let state = INITIAL;
      for (const line of readFileSync(`${dir}/${name}`, 'utf8').split('\n')) {
        const r = grammar.tokenizeLine(line, state);
        state = r.ruleStack;
        if (line.trim()) assert.ok(r.tokens.some((t) => t.scopes.length > 1), `${name}: no scope on: ${line}`);
      }
    }
  });
});
