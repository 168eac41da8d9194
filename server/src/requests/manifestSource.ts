// The manifest a document request is about: the open document (as the editor has it, saved
// or not), the text the client sent, or the file on disk, in that order.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ManifestCache, type ManifestFile } from '../documents';
import type { DocumentsParams } from '../protocol';
import { UserError } from './userError';

export async function manifestFor(params: DocumentsParams, open: (uri: string) => ManifestFile | undefined): Promise<ManifestFile> {
  if (typeof params?.uri !== 'string') throw new UserError('the request names no document (uri is missing)');
  const file = open(params.uri);
  if (file) return file;
  if (typeof params.text === 'string') return new ManifestCache().update(params.uri, 0, params.text);
  let path: string;
  try {
    path = fileURLToPath(params.uri);
  } catch {
    throw new UserError(`${params.uri} is neither open in the editor nor a file; send its text with the request`);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return new ManifestCache().update(params.uri, 0, text);
}

/** The documents a request names, in file order; all of them when it names none. Indexes out of range are ignored. */
export function requestedIndexes(params: DocumentsParams, file: ManifestFile): number[] {
  const count = file.documents.length;
  if (!Array.isArray(params.documents)) return Array.from({ length: count }, (_, i) => i);
  const wanted = new Set(params.documents.filter((i) => Number.isInteger(i) && i >= 0 && i < count));
  return [...wanted].sort((a, b) => a - b);
}
