// The traffic test's page: one bar per pod showing its share of the answers, against the even
// split kube-proxy's random choice tends to. Plain HTML and CSS: no script runs, and the
// Content-Security-Policy lets in only the page's own stylesheet (by nonce), which also holds
// each bar's width, since inline style attributes are blocked.

import type { TrafficTestResult } from '../protocolTypes';

export interface ChartPage {
  /** A fresh random value per render, named by the CSP and the <style> tag. */
  nonce: string;
  /** The number of requests the user asked for. */
  requested: number;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function percent(count: number, total: number): number {
  return total > 0 ? (count / total) * 100 : 0;
}

const fixed1 = (n: number): string => n.toFixed(1);

export function trafficChartHtml(result: TrafficTestResult, page: ChartPage): string {
  const rows = [...result.byPod].sort((a, b) => a.pod.localeCompare(b.pod));
  const answered = rows.reduce((sum, r) => sum + r.count, 0);
  const failed = result.failures.reduce((sum, f) => sum + f.count, 0);
  const total = result.total > 0 ? result.total : answered + failed;
  const even = rows.length ? 100 / rows.length : 0;
  const widths = rows.map((r, i) => `.bar-${i} { width: ${fixed1(percent(r.count, total))}%; }`).join('\n');
  const bars = rows
    .map(
      (r, i) => `<tr>
  <th scope="row"><span class="pod">${escapeHtml(r.pod)}</span><span class="ip">${escapeHtml(r.ip)}</span></th>
  <td class="track"><div class="bar bar-${i}"></div>${rows.length > 1 ? '<div class="even"></div>' : ''}</td>
  <td class="num">${r.count}</td>
  <td class="num">${fixed1(percent(r.count, total))} %</td>
</tr>`,
    )
    .join('\n');
  const failures = result.failures.length
    ? `<h2>Failed requests</h2>\n<ul>${result.failures.map((f) => `<li><span class="num">${f.count}×</span> ${escapeHtml(f.message)}</li>`).join('')}</ul>`
    : '';
  const spread = rows.length
    ? `<p>${rows.length} ${rows.length === 1 ? 'pod' : 'pods'} answered ${answered} of ${total} requests.${rows.length > 1 ? ` An even spread gives each ${fixed1(even)} % (the dashed line); kube-proxy picks an endpoint at random for every new connection, so the shares vary around it.` : ''}</p>`
    : '<p>No pod answered. A Service without ready endpoints refuses connections: check that its selector matches running pods.</p>';

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${page.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Traffic: ${escapeHtml(result.service)}</title>
<style nonce="${page.nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1.5em 1.5em; }
h1 { font-size: 1.3em; font-weight: 600; }
h2 { font-size: 1.1em; font-weight: 600; margin-top: 1.5em; }
.target { color: var(--vscode-descriptionForeground); }
table { border-collapse: collapse; width: 100%; max-width: 60em; }
th { text-align: left; font-weight: normal; padding: 0.3em 1em 0.3em 0; white-space: nowrap; }
.pod { display: block; }
.ip { display: block; font-size: 0.85em; color: var(--vscode-descriptionForeground); }
.track { position: relative; width: 100%; height: 1.4em; background: var(--vscode-editorWidget-background, rgba(128,128,128,0.1)); }
.bar { height: 100%; background: var(--vscode-charts-blue, #3794ff); }
.even { position: absolute; top: 0; bottom: 0; left: ${fixed1(even)}%; border-left: 1px dashed var(--vscode-charts-orange, #d18616); }
.num { text-align: right; padding-left: 1em; white-space: nowrap; font-variant-numeric: tabular-nums; }
ul { padding-left: 1.2em; }
${widths}
</style>
</head>
<body>
<h1>${escapeHtml(result.service)} <span class="target">→ ${escapeHtml(result.target)}</span></h1>
<p>${total} requests (${page.requested} asked for): ${answered} answered, ${failed} failed.</p>
${spread}
${rows.length ? `<table>\n<thead><tr><th scope="col">Pod</th><th scope="col">Share</th><th scope="col" class="num">Answers</th><th scope="col" class="num">%</th></tr></thead>\n<tbody>\n${bars}\n</tbody>\n</table>` : ''}
${failures}
</body>
</html>
`;
}
