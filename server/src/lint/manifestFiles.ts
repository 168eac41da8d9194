// Which files `ksl lint` reads: the files named, and every *.yaml and *.yml file under the
// directories named (hidden directories and node_modules left out), each directory's files in
// name order so the output is stable.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ManifestFileList {
  files: string[];
  /** Arguments that name nothing readable. */
  missing: string[];
}

function walk(dir: string, out: string[], depth: number): void {
  if (depth > 64) return;
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const p = join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      if (!name.startsWith('.') && name !== 'node_modules') walk(p, out, depth + 1);
    } else if (st.isFile() && /\.ya?ml$/i.test(name)) {
      out.push(p);
    }
  }
}

export function manifestFiles(args: readonly string[]): ManifestFileList {
  const files: string[] = [];
  const missing: string[] = [];
  for (const arg of args) {
    let st;
    try {
      st = statSync(arg);
    } catch {
      missing.push(arg);
      continue;
    }
    if (st.isDirectory()) walk(arg, files, 0);
    else files.push(arg);
  }
  return { files: [...new Set(files)], missing };
}
