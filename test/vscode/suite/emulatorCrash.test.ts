// A crashed emulator is restarted by the extension, with every object it had acknowledged.

import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import type { EmulatorState } from '../../../client/src/emulatorProcess';
import { readyEndpoints, treeNodeAt, treeText } from './helpers/clusterTree';
import { kslApi } from './helpers/extensionApi';
import { done, seen, until } from './helpers/until';
import { messageMark, messagesSince } from './helpers/windowStubs';

suite('Emulator crash', () => {
  test('a killed emulator is restarted with its state, and the tree shows the same Service again', async () => {
    const api = await kslApi();
    const pid = api.emulator.pid;
    assert.ok(pid !== undefined && api.emulator.state.kind === 'running', 'the emulator should run after the previous suites');
    const web = treeNodeAt(api, 'default', 'Services', 'web');
    assert.ok(web?.data.kind === 'service', treeText(api));
    const clusterIP = web.data.service.clusterIP;
    const states: EmulatorState['kind'][] = [];
    const recording = api.emulator.onDidChangeState((s) => states.push(s.kind));
    const mark = messageMark();
    try {
      process.kill(pid, 'SIGKILL');
      await until('the emulator to run again under a new process', [api.emulator.onDidChangeState], () =>
        api.emulator.state.kind === 'running' && api.emulator.pid !== pid ? done(true) : seen(`${api.emulator.state.kind}, pid ${api.emulator.pid}; states since the kill: ${states.join(' → ') || 'none'}; warnings: ${JSON.stringify(messagesSince(mark, 'warning').map((m) => m.text))}`),
      );
    } finally {
      recording.dispose();
    }
    assert.ok(states.includes('starting') && states.at(-1) === 'running', `states after the crash: ${states.join(' → ')}`);
    const warnings = messagesSince(mark, 'warning').map((m) => m.text);
    assert.ok(warnings.some((w) => w.includes('was killed (SIGKILL); restarting it')), JSON.stringify(warnings));

    await until('the tree to show web again with its endpoints', [api.clusterTree.onDidChangeTreeData, vscode.languages.onDidChangeDiagnostics], () => {
      const again = treeNodeAt(api, 'default', 'Services', 'web');
      return again?.data.kind === 'service' && readyEndpoints(api, 'web').length === 3 ? done(again.data.service) : seen(treeText(api));
    }).then((service) => assert.equal(service.clusterIP, clusterIP, 'the ClusterIP changed across the restart'));
  });
});
