// The UI smoke test: the lesson done by hand in the VS Code workbench, through what a person
// sees and clicks. Open a manifest from the Explorer, run "Apply to Emulator" from the command
// palette, watch the Problems count, hover the Service's name, open the Cluster Explorer. The
// assertions read the screen (the hover's text, the tree's rows, the status bar's Problems
// item), and screenshots of the main moments go to the screenshots folder: the README shows
// them (scripts/vscode/copyScreenshots.mjs copies them to media/).
//
// The offline runner (scripts/vscode/runOffline.mjs) opens the workbench on a copy of
// examples/ with the extension loaded for development, and hands over the page.

import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

export interface SmokeCheck {
  name: string;
  passed: boolean;
  detail?: string;
}

export interface SmokeOptions {
  /** Where the screenshots go. */
  screenshots: string;
}

/** Long enough for the emulator's first start and the pods to become ready. */
const STEP_TIMEOUT_MS = 60_000;
const IPV4_PORT = /\b10\.244\.\d+\.\d+:80\b/g;

/** The text of an element as it reads on screen (non-breaking spaces as spaces). */
function screenText(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

/** Opens a manifest with a click in the Explorer, and waits until the editor shows it as YAML. */
async function openFromExplorer(page: Page, file: string): Promise<void> {
  await page.getByRole('treeitem', { name: file, exact: true }).click();
  await page.locator('.tabs-container .tab.active', { hasText: file }).waitFor({ timeout: STEP_TIMEOUT_MS });
  // The command palette offers "Apply to Emulator" only once the editor's language is known.
  await page.locator('[id="status.editor.mode"]', { hasText: 'YAML' }).waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** How long the palette may take to list a command before it is closed and opened again. */
const PALETTE_ATTEMPT_MS = 5_000;
const PALETTE_ATTEMPTS = 3;

/**
 * Runs a command as a person does: F1, type its title, click it in the list. A command whose
 * `when` clause has just become true (the extension activating) may be missing from a list
 * opened a moment too early; as a person would, the palette is then closed and opened again.
 */
async function runFromPalette(page: Page, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: STEP_TIMEOUT_MS });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: PALETTE_ATTEMPT_MS });
    } catch (err) {
      if (attempt >= PALETTE_ATTEMPTS) throw err;
      await page.keyboard.press('Escape');
      continue;
    }
    await row.click({ timeout: STEP_TIMEOUT_MS });
    return;
  }
}

async function waitForToast(page: Page, text: string): Promise<void> {
  await page.locator('.notification-toast', { hasText: text }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
}

async function clearNotifications(page: Page): Promise<void> {
  await runFromPalette(page, 'Notifications: Clear All Notifications');
  await page.locator('.notification-toast').first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
}

/** Waits until the status bar's Problems item reads `label` (its accessible name, e.g. "Warnings: 1"). */
async function waitForProblems(page: Page, label: string): Promise<void> {
  await page.locator(`[id="status.problems"][aria-label="${label}"]`).waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** The editor line holding `text`, with its inlay hints. */
function editorLine(page: Page, text: string): Locator {
  return page.locator('.editor-instance .view-line', { hasText: text }).first();
}

interface TreeRow {
  label: string;
  description: string;
}

/** The rows the Cluster Explorer shows, top to bottom. */
async function treeRows(page: Page): Promise<TreeRow[]> {
  const rows = page.locator('.pane', { hasText: 'Cluster Explorer' }).locator('.monaco-list-row');
  const out: TreeRow[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const description = row.locator('.label-description');
    out.push({
      label: screenText(await row.locator('.label-name').first().innerText()).trim(),
      description: (await description.count()) ? screenText(await description.first().innerText()).trim() : '',
    });
  }
  return out;
}

/** Drags the sash between the side bar and the editor `by` pixels to the right. */
async function widenSideBar(page: Page, by: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) throw new Error('the side bar is not on screen');
  const x = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + by, y, { steps: 5 });
  await page.mouse.up();
}

class Smoke {
  readonly checks: SmokeCheck[] = [];

  constructor(
    private readonly page: Page,
    private readonly screenshots: string,
  ) {}

  /** Runs one check; the first failure stops the test (later steps depend on earlier ones). */
  async check(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
      this.checks.push({ name, passed: true });
    } catch (err) {
      this.checks.push({ name, passed: false, detail: err instanceof Error ? err.message.split('\n')[0] : String(err) });
      await this.shot('failure');
      throw new SmokeStopped();
    }
  }

  assert(condition: boolean, message: string): void {
    if (!condition) throw new Error(message);
  }

  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(this.screenshots, `${name}.png`) });
  }
}

class SmokeStopped extends Error {}

export async function runWorkbenchSmoke(page: Page, options: SmokeOptions): Promise<{ checks: SmokeCheck[] }> {
  const smoke = new Smoke(page, options.screenshots);
  try {
    await steps(page, smoke);
  } catch (err) {
    if (!(err instanceof SmokeStopped)) throw err;
  }
  return { checks: smoke.checks };
}

async function steps(page: Page, smoke: Smoke): Promise<void> {
  await smoke.check('the workbench opens the examples folder, and the Explorer lists its manifests', async () => {
    await page.getByRole('treeitem', { name: 'service-clusterip.yaml', exact: true }).waitFor({ timeout: STEP_TIMEOUT_MS });
    for (const file of ['deployment-web.yaml', 'service-nodeport.yaml', 'service-headless.yaml', 'multi-port.yaml']) {
      smoke.assert(await page.getByRole('treeitem', { name: file, exact: true }).isVisible(), `the Explorer does not show ${file}`);
    }
  });

  await smoke.check('Apply to Emulator on the Service starts the emulator and creates it', async () => {
    await openFromExplorer(page, 'service-clusterip.yaml');
    await runFromPalette(page, 'Kube Service Lab: Apply to Emulator');
    await waitForToast(page, 'Applied service-clusterip.yaml: 1 created.');
  });

  let warning = '';
  await smoke.check('with no pod behind it, the Service has one warning in Problems, on its selector', async () => {
    await waitForProblems(page, 'Warnings: 1');
    await editorLine(page, 'port: 80').filter({ hasText: 'no endpoints' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.locator('[id="status.problems"]').click();
    // The cluster's own finding (the workspace-only check words it differently).
    const row = page.locator('.markers-panel .monaco-list-row').filter({ hasText: 'no pod has app=web' }).first();
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    warning = screenText(await row.innerText());
    await clearNotifications(page);
    await smoke.shot('problems');
  });

  await smoke.check('Apply to Emulator on the Deployment creates it, and the warning goes away', async () => {
    smoke.assert(warning.includes('namespace default has no pods'), `the warning reads "${warning}"`);
    await openFromExplorer(page, 'deployment-web.yaml');
    await runFromPalette(page, 'Kube Service Lab: Apply to Emulator');
    await waitForToast(page, 'Applied deployment-web.yaml: 1 created.');
    await waitForProblems(page, 'No Problems');
    await clearNotifications(page);
    // Room for the editor and the tree in the next screenshots, as a person would make it.
    await runFromPalette(page, 'View: Hide Panel');
    await widenSideBar(page, 160);
  });

  let clusterIP = '';
  let endpoints: string[] = [];
  await smoke.check('the inlay hints show the ClusterIP and the endpoints', async () => {
    await openFromExplorer(page, 'service-clusterip.yaml');
    const name = editorLine(page, 'name: web').filter({ hasText: /ClusterIP\s10\./ });
    await name.waitFor({ timeout: STEP_TIMEOUT_MS });
    clusterIP = /ClusterIP (\d+\.\d+\.\d+\.\d+)/.exec(screenText(await name.innerText()))?.[1] ?? '';
    await editorLine(page, 'port: 80').filter({ hasText: /10\.244\.\d+\.\d+:80,\s10\.244\.\d+\.\d+:80\s\+1/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
    smoke.assert(/^10\.\d+\.\d+\.\d+$/.test(clusterIP), `no ClusterIP in the hint: "${clusterIP}"`);
  });

  await smoke.check('hovering the Service\'s name shows its ClusterIP and its three ready endpoints', async () => {
    const token = editorLine(page, 'name: web').locator('span > span').filter({ hasText: /^web$/ }).first();
    const box = await token.boundingBox();
    smoke.assert(box !== null, 'the Service\'s name is not on screen');
    if (!box) return;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover').filter({ hasText: 'Endpoints 3/3 ready' }).first();
    await hover.waitFor({ timeout: STEP_TIMEOUT_MS });
    const text = screenText(await hover.innerText());
    smoke.assert(text.includes(`ClusterIP ${clusterIP}`), `the hover does not show ClusterIP ${clusterIP}: ${text}`);
    smoke.assert(text.includes('web.default.svc.cluster.local'), `the hover does not show the DNS name: ${text}`);
    endpoints = [...text.matchAll(IPV4_PORT)].map((m) => m[0]).sort();
    smoke.assert(endpoints.length === 3, `the hover shows ${endpoints.length} endpoints, not 3: ${text}`);
    await smoke.shot('hover');
  });

  await smoke.check('the Cluster Explorer shows the namespace, the Service and its endpoints', async () => {
    await page.mouse.move(5, 450);
    await page.locator('.activitybar a[aria-label^="Kube Service Lab"]').click();
    const serviceRow = page.locator('.pane', { hasText: 'Cluster Explorer' }).locator('.monaco-list-row', { hasText: `ClusterIP · ${clusterIP}` }).first();
    await serviceRow.waitFor({ timeout: STEP_TIMEOUT_MS });
    await serviceRow.click();
    const pane = page.locator('.pane', { hasText: 'Cluster Explorer' });
    await pane.locator('.monaco-list-row', { hasText: endpoints[0] ?? 'no endpoint' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    const rows = await treeRows(page);
    const labels = rows.map((r) => r.label);
    for (const label of ['default', 'Services', 'kubernetes', 'web', '80/TCP → 80', 'Deployments']) smoke.assert(labels.includes(label), `no "${label}" row in the tree: ${JSON.stringify(labels)}`);
    const service = rows.find((r) => r.label === 'web' && r.description.startsWith('ClusterIP'));
    smoke.assert(service?.description === `ClusterIP · ${clusterIP} · 80/TCP`, `the Service's row reads "${service?.description}"`);
    const shown = labels.filter((l) => /^10\.244\.\d+\.\d+:80$/.test(l)).sort();
    smoke.assert(JSON.stringify(shown) === JSON.stringify(endpoints), `the tree's endpoints ${shown.join(', ')} are not the hover's ${endpoints.join(', ')}`);
    await smoke.shot('cluster-explorer');
  });
}
