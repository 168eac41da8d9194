// HTTP plumbing for the API: reading bodies under the apiserver's size limit, answering with
// JSON or a Status, and the Warning headers kubectl prints as "Warning: …".

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAllDocuments } from 'yaml';
import { warningHeaderValue } from '../../../server/src/validation/fields';
import { ApiError, badRequest, tooLarge } from '../api/errors';
import { yamlDocumentToValue } from './objectBody';
import { yamlNestingProblem } from './yamlLimits';

/** kube-apiserver's default request body limit (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * Reads a request body as bytes, up to `limit` (413 beyond it, whether announced by
 * Content-Length or streamed). Binary bodies (protobuf) must stay bytes.
 */
export function readBodyBytes(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

/** Reads a text (JSON or YAML) body as UTF-8, with the same limit. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return (await readBodyBytes(req, limit)).toString('utf8');
}

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Decodes a request body as JSON, or as YAML when the content type says so (server-side apply
 * sends application/apply-patch+yaml; curl users send application/yaml). A body that is not one
 * object is a 400, as the apiserver's decoder reports it.
 */
export function decodeBody(text: string, contentType: string): unknown {
  const type = mediaType(contentType);
  const yamlish = type.endsWith('yaml');
  if (!text.trim()) throw badRequest('the request body is empty; send the object as JSON');
  if (!yamlish) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw badRequest(`error decoding request body as JSON: ${(e as Error).message}`);
    }
  }
  const tooDeep = yamlNestingProblem(text);
  if (tooDeep) throw badRequest(`error converting YAML to JSON: yaml: line ${tooDeep.line}: ${tooDeep.message}`);
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length !== 1) throw badRequest('the request body must hold exactly one YAML document');
  const converted = yamlDocumentToValue(list[0]);
  if ('error' in converted) throw badRequest(converted.error);
  return converted.value;
}

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  // Sent as bytes: with a string body Node writes the header block in the body's encoding
  // (UTF-8), which would mangle the Latin-1 characters setWarnings hands it.
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': bytes.length });
  res.end(bytes);
}

export function sendError(res: ServerResponse, err: ApiError): void {
  sendJson(res, err.code, err.toStatus());
}

/**
 * Adds the Warning headers kubectl prints as `Warning: text`, each as apimachinery's
 * NewWarningHeader makes it: `299 - "text"` with only `"` and `\` escaped, and the text's
 * UTF-8 bytes sent as they are. Node takes a header value as Latin-1 and refuses control
 * characters, so the bytes are handed over one per character and control characters (which Go
 * writes raw, CR and LF as spaces) become spaces: a warning that quotes a field name with
 * U+FFFD or an emoji in it is a header, not an exception after the write was made.
 */
export function setWarnings(res: ServerResponse, warnings: readonly string[]): void {
  if (!warnings.length) return;
  res.setHeader('Warning', warnings.map((w) => Buffer.from(withoutControlCharacters(warningHeaderValue(w)), 'utf8').toString('latin1')));
}

function withoutControlCharacters(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out += (c < 0x20 && c !== 0x09) || c === 0x7f ? ' ' : ch;
  }
  return out;
}

export interface AcceptInfo {
  table: boolean;
  /** PartialObjectMetadata / full object / none in each Table row. */
  includeObject: 'None' | 'Metadata' | 'Object';
}

export function acceptsTable(accept: string | undefined, includeObject: string | null): AcceptInfo {
  const table = (accept ?? '').split(',').some((part) => {
    const p = part.replace(/\s+/g, '');
    return p.startsWith('application/json') && p.includes('as=Table') && p.includes('g=meta.k8s.io');
  });
  const inc = includeObject === 'Object' || includeObject === 'None' ? includeObject : 'Metadata';
  return { table, includeObject: inc };
}
