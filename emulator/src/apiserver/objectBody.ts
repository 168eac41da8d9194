// Reading the object a POST or PUT carries, with kube-apiserver's answers when it cannot be
// read. Its serializer (apimachinery runtime/serializer/json, Decode) converts YAML to JSON,
// then reads apiVersion and kind with encoding/json (SimpleMetaFactory.Interpret); either step
// failing is a 400 that transformDecodeError (endpoints/handlers/rest.go) words as
//   the object provided is unrecognized (must be of type Service): <cause> (<summary>)
// where the summary is the body's first 30 bytes: as text when it starts with `{`, in hex
// otherwise (summarizeData).

import { parseAllDocuments, type Document } from 'yaml';
import { badRequest } from '../api/errors';
import { goJsonSyntaxError, goJsonValueKind } from './goJsonSyntax';
import { goyamlAliasProblem, yamlNestingProblem } from './yamlLimits';

const SUMMARY_BYTES = 30;

// The Go type SimpleMetaFactory.Interpret decodes into, as reflect prints it.
const INTERPRET_TARGET = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** summarizeData: the body as the apiserver quotes it in a decoding error. */
export function summarizeBody(body: string): string {
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length === 0) return '<empty>';
  const head = bytes.subarray(0, SUMMARY_BYTES);
  const more = bytes.length > SUMMARY_BYTES ? ' ...' : '';
  return bytes[0] === 0x7b ? head.toString('utf8') + more : head.toString('hex') + more;
}

function unrecognized(kind: string, cause: string, body: string): Error {
  return badRequest(`the object provided is unrecognized (must be of type ${kind}): ${cause} (${summarizeBody(body)})`);
}

/**
 * What Interpret says about JSON text: a syntax error, or a document that is not an object
 * (a JSON null is fine: it decodes to an empty object).
 */
function interpretError(json: string): string | undefined {
  const syntax = goJsonSyntaxError(json);
  if (syntax) return `couldn't get version/kind; json parse error: ${syntax}`;
  const kind = goJsonValueKind(json);
  if (kind === 'object' || kind === 'null') return undefined;
  return `couldn't get version/kind; json parse error: json: cannot unmarshal ${kind} into Go value of type ${INTERPRET_TARGET}`;
}

// libyaml's words for the two mistakes hand-written YAML makes most often; any other problem
// keeps the parser's own description, in goyaml's `yaml: line N: …` frame.
const LIBYAML_PROBLEMS: Readonly<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: 'mapping values are not allowed in this context',
  TAB_AS_INDENT: 'found character that cannot start any token',
};

/** sigs.k8s.io/yaml's YAMLToJSON: the first document as a plain value, or goyaml's error text. */
function yamlToValue(text: string): { value: unknown } | { error: string } {
  const tooDeep = yamlNestingProblem(text);
  // goyaml names no line for a problem on the first one.
  if (tooDeep) return { error: `error converting YAML to JSON: yaml: ${tooDeep.line > 1 ? `line ${tooDeep.line}: ` : ''}${tooDeep.message}` };
  const [doc] = parseAllDocuments(text, { uniqueKeys: false });
  // Like goyaml, only the first document is read; an empty body reads as null.
  if (!doc || !('errors' in doc)) return { value: null };
  return yamlDocumentToValue(doc);
}

/**
 * One parsed YAML body document as sigs.k8s.io/yaml turns it into JSON: goyaml's words for a
 * syntax error or an alias problem, or the plain value. Every YAML body the API reads goes
 * through here.
 */
export function yamlDocumentToValue(doc: Document.Parsed): { value: unknown } | { error: string } {
  const problem = doc.errors[0];
  if (problem) {
    const line = problem.linePos?.[0].line;
    const words = LIBYAML_PROBLEMS[problem.code] ?? problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return { error: `error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${words}` };
  }
  const aliasing = goyamlAliasProblem(doc.contents);
  if (aliasing) return { error: `error converting YAML to JSON: yaml: ${aliasing}` };
  // The check above is goyaml's limit on aliases; the library's own (which refuses 101
  // aliases of one scalar) is lifted so that it does not refuse what goyaml reads.
  return { value: doc.toJS({ maxAliasCount: -1 }) as unknown };
}

/**
 * Decodes a create or update body for an object of `kind`, sent as JSON, or as YAML when
 * `yaml` is set. Returns the decoded value (an empty object for a null document); throws the
 * apiserver's 400 otherwise.
 */
export function decodeObjectBody(kind: string, body: string, yaml: boolean): unknown {
  if (!yaml) {
    const problem = interpretError(body);
    if (problem) throw unrecognized(kind, problem, body);
    return JSON.parse(body) ?? {};
  }
  const converted = yamlToValue(body);
  if ('error' in converted) throw unrecognized(kind, converted.error, body);
  const problem = interpretError(JSON.stringify(converted.value ?? null));
  if (problem) throw unrecognized(kind, problem, body);
  return converted.value ?? {};
}

/**
 * Decodes a server-side apply body (application/apply-patch+yaml, which JSON also is): the
 * apply patcher reads it with sigs.k8s.io/yaml into a map and reports failures as
 * `error decoding YAML: …` (endpoints/handlers/patch.go, applyPatcher).
 */
export function decodeApplyBody(body: string): unknown {
  const converted = yamlToValue(body);
  if ('error' in converted) throw badRequest(`error decoding YAML: ${converted.error}`);
  const value = converted.value ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const kind = goJsonValueKind(JSON.stringify(value));
    throw badRequest(`error decoding YAML: error unmarshaling JSON: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  return value;
}
