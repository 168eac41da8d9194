// The manifests "Apply to Emulator" and "Delete from Emulator" work on: the active editor's
// file (only the documents a selection touches, if there is one), the files and folders
// picked in the Explorer, or the documents a code lens of the language server names. Folders
// are read recursively for *.yaml and *.yml files, in name order as kubectl reads a directory,
// skipping hidden folders and node_modules.

import * as vscode from 'vscode';
import type { DocumentsParams } from '../../../server/src/protocol';
import { documentSpans, documentsForSelections } from '../manifests/documentRanges';
import { UserError } from '../userError';

export interface ManifestSource {
  uri: vscode.Uri;
  /** The file as the user knows it: its workspace-relative path. */
  label: string;
  text: string;
  /** The documents to send, as the language server indexes them. */
  documents: number[];
}

/** A folder holding more YAML files than this is probably not a folder of manifests. */
const MAX_FILES = 1000;
const YAML_FILE = /\.ya?ml$/i;

function label(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri, false) : uri.toString(true);
}

/** The text the user sees: the editor's, unsaved edits included, else the file's. */
async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
}

async function yamlFilesUnder(folder: vscode.Uri, into: vscode.Uri[]): Promise<void> {
  const entries = (await vscode.workspace.fs.readDirectory(folder)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, type] of entries) {
    if (into.length > MAX_FILES) return;
    const child = vscode.Uri.joinPath(folder, name);
    if (type & vscode.FileType.Directory) {
      // Symbolic links to folders are not followed, so a link cycle cannot loop.
      if (!(type & vscode.FileType.SymbolicLink) && !name.startsWith('.') && name !== 'node_modules') await yamlFilesUnder(child, into);
    } else if (YAML_FILE.test(name)) {
      into.push(child);
    }
  }
}

function urisOf(args: readonly unknown[]): vscode.Uri[] {
  // The Explorer passes the clicked file and the whole selection; editor menus pass the file.
  if (Array.isArray(args[1]) && args[1].length > 0 && args[1].every((u) => u instanceof vscode.Uri)) return args[1] as vscode.Uri[];
  return args[0] instanceof vscode.Uri ? [args[0]] : [];
}

function fromEditor(editor: vscode.TextEditor): ManifestSource {
  const text = editor.document.getText();
  const selections = editor.selections.map((s) => ({ startLine: s.start.line, startCharacter: s.start.character, endLine: s.end.line, endCharacter: s.end.character }));
  return { uri: editor.document.uri, label: label(editor.document.uri), text, documents: documentsForSelections(text, selections) };
}

async function fromUris(uris: readonly vscode.Uri[]): Promise<ManifestSource[]> {
  const files: vscode.Uri[] = [];
  for (const uri of uris) {
    // An open document (an untitled one included) is read from the editor, whatever the disk says.
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) {
      files.push(uri);
      continue;
    }
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      throw new UserError(`Cannot read ${label(uri)}: it does not exist or is not accessible.`, []);
    }
    if (stat.type & vscode.FileType.Directory) await yamlFilesUnder(uri, files);
    else files.push(uri);
  }
  if (files.length > MAX_FILES) throw new UserError(`The selection holds more than ${MAX_FILES} YAML files; pick the folder with the manifests.`, []);
  const seen = new Set<string>();
  const sources: ManifestSource[] = [];
  for (const uri of files) {
    if (seen.has(uri.toString())) continue;
    seen.add(uri.toString());
    let text: string;
    try {
      text = await readText(uri);
    } catch (err) {
      throw new UserError(`Cannot read ${label(uri)}: ${err instanceof Error ? err.message : String(err)}`, []);
    }
    sources.push({ uri, label: label(uri), text, documents: documentsForSelections(text, []) });
  }
  return sources;
}

/** The server's code lens passes a DocumentsParams: a file's URI as a string and document indexes. */
function documentsParamsOf(arg: unknown): DocumentsParams | undefined {
  if (typeof arg !== 'object' || arg === null || arg instanceof vscode.Uri) return undefined;
  const { uri, documents } = arg as { uri?: unknown; documents?: unknown };
  if (typeof uri !== 'string') return undefined;
  const indexes = Array.isArray(documents) ? documents.filter((d): d is number => Number.isInteger(d) && d >= 0) : undefined;
  return { uri, ...(indexes ? { documents: indexes } : {}) };
}

async function fromParams(params: DocumentsParams): Promise<ManifestSource> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(params.uri, true);
  } catch {
    throw new UserError(`Cannot read ${params.uri}: it is not a valid URI.`, []);
  }
  const [source] = await fromUris([uri]);
  if (!source) throw new UserError(`Cannot read ${label(uri)}.`, []);
  const count = documentSpans(source.text).length;
  return params.documents ? { ...source, documents: params.documents.filter((d) => d < count) } : source;
}

/** The manifests a command invocation names. Throws a UserError when it names none. */
export async function manifestSources(args: readonly unknown[], verb: string): Promise<ManifestSource[]> {
  const params = documentsParamsOf(args[0]);
  if (params) return [await fromParams(params)];
  const uris = urisOf(args);
  const editor = vscode.window.activeTextEditor;
  // From the editor's own menus, the selection counts; from the Explorer, whole files do.
  if (editor && (uris.length === 0 || (uris.length === 1 && uris[0]?.toString() === editor.document.uri.toString() && !Array.isArray(args[1])))) {
    const doc = editor.document;
    if (doc.languageId !== 'yaml' && !YAML_FILE.test(doc.uri.path)) {
      throw new UserError(`${label(doc.uri)} is not a YAML file. Open a manifest, or pick files or folders in the Explorer, to ${verb} them.`, []);
    }
    return [fromEditor(editor)];
  }
  if (uris.length === 0) throw new UserError(`Open a YAML manifest, or pick files or folders in the Explorer, to ${verb} them.`, []);
  const sources = await fromUris(uris);
  if (sources.length === 0) throw new UserError(`No *.yaml or *.yml file in ${uris.map(label).join(', ')}.`, []);
  return sources;
}
