// The traffic test's webview: one panel, reused for every run, showing the chart from
// trafficChartHtml.ts. The page runs no script and loads nothing.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { TrafficTestResult } from '../protocolTypes';
import { trafficChartHtml } from './trafficChartHtml';

export class TrafficChart implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  show(result: TrafficTestResult, requested: number): void {
    const title = `Traffic: ${result.service}`;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('ksl.trafficChart', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, { enableScripts: false, localResourceRoots: [] });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.panel.title = title;
    this.panel.webview.html = trafficChartHtml(result, { nonce: randomBytes(16).toString('base64'), requested });
    this.panel.reveal(undefined, false);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
