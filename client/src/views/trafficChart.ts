// The traffic test's webview: one panel, reused for every run, showing the chart from
// trafficChartHtml.ts. The page runs no script and loads nothing.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { TrafficTestResult } from '../protocolTypes';
import { trafficChartHtml } from './trafficChartHtml';

/** What the panel shows now: one traffic test's result. */
export interface ShownTraffic {
  readonly result: TrafficTestResult;
  readonly requested: number;
}

export class TrafficChart implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private last: ShownTraffic | undefined;

  /** The result the open panel shows; undefined once the user closes it. */
  get shown(): ShownTraffic | undefined {
    return this.panel ? this.last : undefined;
  }

  show(result: TrafficTestResult, requested: number): void {
    this.last = { result, requested };
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
