// Label and field selectors as kube-apiserver understands them.
//
// Label selectors follow k8s.io/apimachinery/pkg/labels (selector.go): the same lexer, the same
// recursive-descent parser, the same error strings, requirements sorted by key. Accepted forms:
//   1. `key` (exists) and `!key` (does not exist);
//   2. `key=value`, `key==value`, `key!=value` (an empty value is allowed: `key=`);
//   3. `key in (a,b)` and `key notin (a,b)` (empty members are allowed: `key in (,a)`);
//   4. `key>1` and `key<1` (integers only);
//   5. any of these joined by ",".
// Field selectors follow k8s.io/apimachinery/pkg/fields: `field=value`, `field==value`,
// `field!=value` joined by ",", with `\,`, `\=` and `\\` escapes in values. Each resource
// accepts only the field labels its scheme registers; anything else is the apiserver's 400.
//
// Parse errors are thrown as ApiError 400 BadRequest, whose Status the list and watch handlers
// send as is: that is how a real apiserver answers a bad `labelSelector` or `fieldSelector`.

import { badRequest } from './errors';
import type { KubeObject, LabelSelector } from './types';

// ---------------------------------------------------------------------------------------------
// Label selectors

export type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and free of duplicates when the requirement came from a parsed string. */
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>> | null | undefined;

export interface LabelMatcher {
  readonly requirements: readonly LabelRequirement[];
  matches(labels: Labels): boolean;
  /** True when the selector places no restriction (it matches every object). */
  empty(): boolean;
  /** The canonical text: `app=web,tier in (a,b)`; empty for "everything" and for "nothing". */
  toString(): string;
}

function requirementMatches(r: LabelRequirement, labels: Labels): boolean {
  const has = labels != null && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value as string);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const actual = parseGoInt(value as string);
      const bound = parseGoInt(r.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** strconv.ParseInt(s, 10, 64), without the 64-bit range check JavaScript numbers cannot make. */
function parseGoInt(s: string): number | undefined {
  return /^[+-]?[0-9]+$/.test(s) ? Number(s) : undefined;
}

function requirementString(r: LabelRequirement): string {
  const values = [...r.values].sort().join(',');
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return '!' + r.key;
    case 'in':
      return `${r.key} in (${values})`;
    case 'notin':
      return `${r.key} notin (${values})`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    default:
      return r.key + r.operator + values;
  }
}

class RequirementsSelector implements LabelMatcher {
  constructor(readonly requirements: readonly LabelRequirement[]) {}
  matches(labels: Labels): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels));
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** labels.Nothing(): what a nil metav1.LabelSelector means. */
const nothing: LabelMatcher = {
  requirements: [],
  matches: () => false,
  empty: () => false,
  toString: () => '',
};

/** Requirements in key order; equal keys keep their order (Go's sort is unstable there). */
function sortedByKey(reqs: LabelRequirement[]): LabelRequirement[] {
  return reqs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : a.i - b.i))
    .map((x) => x.r);
}

// Go's validation.IsQualifiedName and IsValidLabelValue, with their exact messages.

const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameRegexp = new RegExp('^' + qualifiedNameFmt + '$');
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueFmt = '(' + qualifiedNameFmt + ')?';
const labelValueRegexp = new RegExp('^' + labelValueFmt + '$');
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = dns1123LabelFmt + '(\\.' + dns1123LabelFmt + ')*';
const dns1123SubdomainRegexp = new RegExp('^' + dns1123SubdomainFmt + '$');
const dns1123SubdomainErrMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/** validation.RegexError, including its doubled space before each " or ". */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

const maxLenError = (n: number): string => `must be no more than ${n} characters`;

function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRegexp.test(value)) errs.push(regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => 'prefix part ' + m));
  } else {
    return [
      'a qualified name ' +
        regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc') +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part ' + maxLenError(63));
  if (!qualifiedNameRegexp.test(name)) errs.push('name part ' + regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc'));
  return errs;
}

function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!labelValueRegexp.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

/**
 * field.Invalid(...).Error(): `<path>: Invalid value: <value>: <detail>`. A nil path prints as
 * `<nil>` (what labels.Parse reports for keys); a string value is Go-quoted and a list of values
 * prints as Go's `%#v` of a []string.
 */
function invalidValue(path: string, value: string | readonly string[], detail: string): string {
  const rendered = typeof value === 'string' ? JSON.stringify(value) : `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
  return `${path}: Invalid value: ${rendered}: ${detail}`;
}

/** utilerrors.NewAggregate(...).Error(): one message bare, several de-duplicated inside brackets. */
function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/** labels.NewRequirement without a path option: the requirement, or the aggregated error message. */
function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement | string {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(invalidValue('key', key, keyErrs.join('; ')));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(invalidValue('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(invalidValue('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(invalidValue('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(invalidValue('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseGoInt(v) === undefined) errs.push(invalidValue(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length) errs.push(invalidValue(`values[${i}][${key}]`, v, valueErrs.join('; ')));
  });
  if (errs.length) return aggregate(errs);
  return { key, operator, values };
}

// The lexer. Tokens are what labels.Lexer produces; `in`/`notin` are keywords only where an
// operator may stand, and plain identifiers where a key or value is expected.

type Token =
  | 'error'
  | 'end'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

interface ScannedItem {
  tok: Token;
  literal: string;
}

const keywordTokens: Readonly<Record<string, Token>> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch);

function lex(s: string): ScannedItem[] {
  const items: ScannedItem[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'end', literal: '' });
      return items;
    }
    if (isSpecialSymbol(s[pos])) {
      // The longest run of special symbols that is still a token wins: `!=` over `!`.
      let buffer = '';
      let last: ScannedItem | undefined;
      while (pos < s.length && isSpecialSymbol(s[pos])) {
        buffer += s[pos];
        const tok = Object.prototype.hasOwnProperty.call(keywordTokens, buffer) ? keywordTokens[buffer] : undefined;
        if (tok) {
          last = { tok, literal: buffer };
          pos++;
        } else if (last) {
          break;
        } else {
          pos++;
        }
      }
      items.push(last ?? { tok: 'error', literal: `error expected: keyword found '${buffer}'` });
      continue;
    }
    let word = '';
    while (pos < s.length && !isSpecialSymbol(s[pos]) && !isWhitespace(s[pos])) word += s[pos++];
    const tok = word === 'in' || word === 'notin' ? keywordTokens[word] : 'identifier';
    items.push({ tok, literal: word });
  }
}

class LabelParser {
  private position = 0;
  constructor(private readonly items: ScannedItem[]) {}

  /** In a values context `in` and `notin` are ordinary identifiers. */
  private lookahead(values: boolean): ScannedItem {
    return this.asContext(this.items[this.position], values);
  }
  private consume(values: boolean): ScannedItem {
    return this.asContext(this.items[this.position++], values);
  }
  private asContext(item: ScannedItem, values: boolean): ScannedItem {
    if (values && (item.tok === 'in' || item.tok === 'notin')) return { tok: 'identifier', literal: item.literal };
    return item;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { tok, literal } = this.lookahead(true);
      switch (tok) {
        case 'identifier':
        case '!': {
          requirements.push(this.parseRequirementOrThrow());
          const next = this.consume(true);
          if (next.tok === 'end') return requirements;
          if (next.tok === ',') {
            const after = this.lookahead(true);
            if (after.tok !== 'identifier' && after.tok !== '!') throw new Error(`found '${after.literal}', expected: identifier after ','`);
            break;
          }
          throw new Error(`found '${next.literal}', expected: ',' or 'end of string'`);
        }
        case 'end':
          return requirements;
        default:
          throw new Error(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirementOrThrow(): LabelRequirement {
    const r = this.parseRequirement();
    if (typeof r === 'string') throw new Error(`unable to parse requirement: ${r}`);
    return r;
  }

  private parseRequirement(): LabelRequirement | string {
    let operator: LabelOperator | undefined;
    let { tok, literal } = this.consume(true);
    if (tok === '!') {
      operator = '!';
      ({ tok, literal } = this.consume(true));
    }
    if (tok !== 'identifier') return `found '${literal}', expected: identifier`;
    const key = literal;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) return invalidValue('<nil>', key, keyErrs.join('; '));
    const next = this.lookahead(true).tok;
    if (next === 'end' || next === ',') {
      if (operator !== '!') operator = 'exists';
    }
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, []);

    const op = this.consume(false);
    let binary: LabelOperator;
    switch (op.tok) {
      case 'in':
        binary = 'in';
        break;
      case '=':
        binary = '=';
        break;
      case '==':
        binary = '==';
        break;
      case '>':
        binary = 'gt';
        break;
      case '<':
        binary = 'lt';
        break;
      case 'notin':
        binary = 'notin';
        break;
      case '!=':
        binary = '!=';
        break;
      default:
        return `found '${op.literal}', expected: in, notin, =, ==, !=, gt, lt`;
    }
    const values = binary === 'in' || binary === 'notin' ? this.parseValues() : this.parseExactValue();
    if (typeof values === 'string') return values;
    return newRequirement(key, binary, [...new Set(values)].sort());
  }

  private parseValues(): string[] | string {
    const open = this.consume(true);
    if (open.tok !== '(') return `found '${open.literal}' expected: '('`;
    const { tok, literal } = this.lookahead(true);
    switch (tok) {
      case 'identifier':
      case ',': {
        const list = this.parseIdentifiersList();
        if (typeof list === 'string') return list;
        if (this.consume(true).tok !== ')') return `found '${literal}', expected: ')'`;
        return list;
      }
      case ')':
        this.consume(true);
        return [''];
      default:
        return `found '${literal}', expected: ',', ')' or identifier`;
    }
  }

  private parseIdentifiersList(): string[] | string {
    const values = new Set<string>();
    for (;;) {
      const { tok, literal } = this.consume(true);
      switch (tok) {
        case 'identifier': {
          values.add(literal);
          const next = this.lookahead(true);
          if (next.tok === ',') continue;
          if (next.tok === ')') return [...values];
          return `found '${next.literal}', expected: ',' or ')'`;
        }
        case ',': {
          if (values.size === 0) values.add('');
          const next = this.lookahead(true).tok;
          if (next === ')') {
            values.add('');
            return [...values];
          }
          if (next === ',') values.add('');
          continue;
        }
        default:
          return `found '${literal}', expected: ',', or identifier`;
      }
    }
  }

  private parseExactValue(): string[] | string {
    const next = this.lookahead(true).tok;
    if (next === 'end' || next === ',') return [''];
    const { tok, literal } = this.consume(true);
    if (tok === 'identifier') return [literal];
    return `found '${literal}', expected: identifier`;
  }
}

/**
 * labels.Parse. Throws ApiError 400 BadRequest carrying the parser's message, which is what a
 * list or watch with a bad `labelSelector` answers.
 */
export function parseLabelSelector(text: string): LabelMatcher {
  let requirements: LabelRequirement[];
  try {
    requirements = new LabelParser(lex(text)).parse();
  } catch (e) {
    throw badRequest(e instanceof Error ? e.message : String(e));
  }
  return new RequirementsSelector(sortedByKey(requirements));
}

/** labels.SelectorFromSet: `k=v` for each entry; a missing or empty set matches everything. */
export function labelMatcherFromSet(set: Labels): LabelMatcher {
  const reqs = Object.entries(set ?? {}).map(([key, v]): LabelRequirement => ({ key, operator: '=', values: [v] }));
  return new RequirementsSelector(sortedByKey(reqs));
}

const expressionOperators: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * metav1.LabelSelectorAsSelector: a nil selector matches nothing, an empty one everything.
 * Throws an Error with Go's message when an operator, key or value is invalid.
 */
export function labelSelectorAsMatcher(selector: LabelSelector | null | undefined): LabelMatcher {
  if (selector == null) return nothing;
  const reqs: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const r = newRequirement(key, '=', [value]);
    if (typeof r === 'string') throw new Error(r);
    reqs.push(r);
  }
  for (const expr of selector.matchExpressions ?? []) {
    const op = Object.prototype.hasOwnProperty.call(expressionOperators, expr.operator) ? expressionOperators[expr.operator] : undefined;
    if (!op) throw new Error(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    const r = newRequirement(expr.key, op, [...(expr.values ?? [])]);
    if (typeof r === 'string') throw new Error(r);
    reqs.push(r);
  }
  return new RequirementsSelector(sortedByKey(reqs));
}

/**
 * LabelSelectorAsSelector(sel).String(): what a Scale's `status.selector` and the Deployment
 * printer's SELECTOR cell show (`app=web`). Empty for a nil or empty selector.
 */
export function labelSelectorString(selector: LabelSelector | null | undefined): string {
  return labelSelectorAsMatcher(selector).toString();
}

/** metav1.FormatLabelSelector: like labelSelectorString, but `<none>` when empty and `<error>` when invalid. */
export function formatLabelSelector(selector: LabelSelector | null | undefined): string {
  let text: string;
  try {
    text = labelSelectorString(selector);
  } catch {
    return '<error>';
  }
  return text === '' ? '<none>' : text;
}

/** labels.FormatLabels: `k=v` pairs sorted by key and joined by ",", or `<none>`. */
export function formatLabels(set: Labels): string {
  const text = Object.keys(set ?? {})
    .sort()
    .map((k) => `${k}=${(set ?? {})[k]}`)
    .join(',');
  return text === '' ? '<none>' : text;
}

// ---------------------------------------------------------------------------------------------
// Field selectors

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

export interface FieldMatcher {
  readonly requirements: readonly FieldRequirement[];
  matches(obj: KubeObject): boolean;
  empty(): boolean;
  toString(): string;
}

/** fields.splitTerms: split on commas that are not escaped by a backslash. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** fields.splitTerm: the first operator wins, `!=` and `==` before `=`. */
function splitTerm(term: string): [string, FieldOperator, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** fields.UnescapeValue. */
function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new Error(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw new Error(`invalid field selector: unescaped character in value: ${c}`);
    else out += c;
  }
  if (inSlash) throw new Error('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.EscapeValue, for toString. */
function escapeValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => '\\' + c);
}

// The field labels each resource's scheme accepts (its AddFieldLabelConversionFunc), keyed by
// store key. Resources not listed get runtime.DefaultMetaV1FieldSelectorConversion.
const podFields = [
  'metadata.name',
  'metadata.namespace',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.podIPs',
  'status.nominatedNodeName',
];
const eventFields = [
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
  'metadata.namespace',
  'metadata.name',
];
const acceptedFieldLabels: Readonly<Record<string, readonly string[]>> = {
  pods: podFields,
  events: eventFields,
  services: ['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'],
  namespaces: ['status.phase', 'metadata.name'],
  nodes: ['metadata.name', 'spec.unschedulable'],
  secrets: ['type', 'metadata.namespace', 'metadata.name'],
  replicationcontrollers: ['metadata.name', 'metadata.namespace', 'status.replicas'],
};

/** The scheme's ConvertFieldLabel for `resource`: the label to match on, or Go's error. */
function convertFieldLabel(resource: string, label: string): string {
  const accepted = acceptedFieldLabels[resource];
  if (!accepted) {
    if (label === 'metadata.name' || label === 'metadata.namespace') return label;
    throw new Error(`${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
  }
  // Old v1 clients send spec.host; the pod conversion renames it.
  if (resource === 'pods' && label === 'spec.host') return 'spec.nodeName';
  if (!accepted.includes(label)) throw new Error(`field label not supported: ${label}`);
  return label;
}

class FieldSelector implements FieldMatcher {
  constructor(
    readonly requirements: readonly FieldRequirement[],
    private readonly resource: string,
  ) {}
  matches(obj: KubeObject): boolean {
    if (this.requirements.length === 0) return true;
    const set = selectableFields(this.resource, obj);
    return this.requirements.every((r) => {
      const actual = set[r.field] ?? '';
      return r.operator === '!=' ? actual !== r.value : actual === r.value;
    });
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeValue(r.value)}`).join(',');
  }
}

/**
 * fields.ParseSelector followed by the apiserver's field label conversion for `resource` (a store
 * key such as `pods` or `apps/deployments`). Throws ApiError 400 BadRequest with the apiserver's
 * message, e.g. `field label not supported: foo`. Terms are checked in sorted order, so the
 * reported label is the one a real apiserver reports.
 */
export function parseFieldSelector(text: string, resource: string): FieldMatcher {
  try {
    const requirements: FieldRequirement[] = [];
    const terms = splitTerms(text).sort();
    for (const term of terms) {
      if (term === '') continue;
      const split = splitTerm(term);
      if (!split) throw new Error(`invalid selector: '${text}'; can't understand '${term}'`);
      const [field, operator, raw] = split;
      requirements.push({ field, operator, value: unescapeValue(raw) });
    }
    const converted = requirements.map((r) => ({ ...r, field: convertFieldLabel(resource, r.field) }));
    return new FieldSelector(converted, resource);
  } catch (e) {
    throw badRequest(e instanceof Error ? e.message : String(e));
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const clusterScoped: ReadonlySet<string> = new Set(['namespaces', 'nodes']);

/**
 * The fields a resource's registry exposes to field selectors (its ToSelectableFields), as
 * strings. Fields the registry does not expose are absent, and match as "".
 */
export function selectableFields(resource: string, obj: KubeObject): Record<string, string> {
  const meta: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (!clusterScoped.has(resource)) meta['metadata.namespace'] = obj.metadata.namespace ?? '';
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  switch (resource) {
    case 'pods': {
      const podIPs = Array.isArray(status.podIPs) ? status.podIPs.map((p) => str(rec(p).ip)) : [];
      return {
        ...meta,
        'spec.nodeName': str(spec.nodeName),
        'spec.restartPolicy': str(spec.restartPolicy),
        'spec.schedulerName': str(spec.schedulerName),
        'spec.serviceAccountName': str(spec.serviceAccountName),
        'spec.hostNetwork': String(spec.hostNetwork === true),
        'status.phase': str(status.phase),
        // The v1 to internal conversion fills podIPs from podIP when only the latter is set.
        'status.podIP': podIPs[0] ?? str(status.podIP),
        'status.nominatedNodeName': str(status.nominatedNodeName),
      };
    }
    case 'events': {
      const involved = rec(obj.involvedObject);
      const source = rec(obj.source);
      return {
        ...meta,
        'involvedObject.kind': str(involved.kind),
        'involvedObject.namespace': str(involved.namespace),
        'involvedObject.name': str(involved.name),
        'involvedObject.uid': str(involved.uid),
        'involvedObject.apiVersion': str(involved.apiVersion),
        'involvedObject.resourceVersion': str(involved.resourceVersion),
        'involvedObject.fieldPath': str(involved.fieldPath),
        reason: str(obj.reason),
        reportingComponent: str(obj.reportingComponent),
        source: str(source.component) || str(obj.reportingComponent),
        type: str(obj.type),
      };
    }
    case 'services':
      return { ...meta, 'spec.clusterIP': str(spec.clusterIP), 'spec.type': str(spec.type) };
    case 'namespaces':
      return { ...meta, 'status.phase': str(status.phase) };
    case 'nodes':
      return { ...meta, 'spec.unschedulable': String(spec.unschedulable === true) };
    case 'apps/replicasets':
      return { ...meta, 'status.replicas': String(typeof status.replicas === 'number' ? status.replicas : 0) };
    case 'secrets':
      return { ...meta, type: str(obj.type) };
    default:
      return meta;
  }
}
