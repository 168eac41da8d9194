// Headless Chromium from the system (Debian's `chromium` package), driven by playwright-core,
// which downloads no browser of its own.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';

/** The Chromium binary: $KSL_CHROMIUM, else the real binary behind Debian's launcher script, else one on PATH. */
export function findChromium() {
  if (process.env.KSL_CHROMIUM) return process.env.KSL_CHROMIUM;
  if (existsSync('/usr/lib/chromium/chromium')) return '/usr/lib/chromium/chromium';
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

/** Launches headless Chromium; playwright kills it when this process exits, whatever the cause. */
export async function launchChromium() {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium was not found; on Debian: apt-get install chromium (or set KSL_CHROMIUM to a Chromium binary)');
  return chromium.launch({
    executablePath,
    headless: true,
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}
