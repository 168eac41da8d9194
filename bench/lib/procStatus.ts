// Memory of another process as the kernel counts it (Linux /proc/<pid>/status): the resident
// set now (VmRSS) and its peak since the process started (VmHWM).

import { readFileSync } from 'node:fs';

export interface ProcMemory {
  rssBytes: number;
  peakRssBytes: number;
}

function kbField(status: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** Undefined when the process is gone or the platform has no /proc. */
export function readProcMemory(pid: number): ProcMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const rss = kbField(status, 'VmRSS');
  const hwm = kbField(status, 'VmHWM');
  if (rss === undefined || hwm === undefined) return undefined;
  return { rssBytes: rss, peakRssBytes: hwm };
}
