// The limits on YAML request bodies that keep the YAML library from taking the process down:
// a nesting depth checked by a linear pre-scan, and goyaml's own rule on aliases, checked on
// the parsed nodes before anything is expanded.
//
// The pre-scan runs before the YAML parser sees a body. The parser recurses once per level:
// around 800 levels it runs out of stack, and far deeper input (a body of 100,000 `{"a":` is
// 600 KB) has brought the whole process down from inside V8 instead of failing the one
// request. kube-apiserver's YAML reader (goyaml) refuses more than 10,000 levels of flow or
// block nesting with `exceeded max depth of 10000`; this scan refuses more than
// MAX_YAML_DEPTH, in the same words, which no manifest comes near.
//
// The scan tracks what the YAML scanner tracks, closely enough to count levels: indentation
// columns of block collections (and `- ` / `? ` entries opened on one line), flow brackets,
// quoted scalars (which may span lines), comments and block scalars (`|`, `>`), whose content
// lines are text. Brackets inside plain scalars count too in flow context, so the estimate
// errs towards deeper, never shallower, for any input the parser would nest.

import { aliasExpansionProblem, resolveAliases } from '../../../server/src/manifest/aliasExpansion';

/** The deepest nesting let through to the parser: well below where it runs out of stack. */
export const MAX_YAML_DEPTH = 500;

export interface NestingProblem {
  /** 1-based line where the limit was passed. */
  line: number;
  message: string;
}

const TOKEN_STARTERS = new Set(['', '[', '{', ',', '-', '?', ':']);

function leadingSpaces(line: string): number {
  let n = 0;
  while (n < line.length && line.charCodeAt(n) === 0x20) n++;
  return n;
}

/** Counts `- ` and `? ` entries that open nested block collections on one line. */
function inlineEntries(line: string, from: number): number {
  let n = 0;
  let i = from;
  while (i < line.length && (line[i] === '-' || line[i] === '?') && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
    n++;
    i += 2;
    while (i < line.length && line[i] === ' ') i++;
  }
  return n;
}

export function yamlNestingProblem(text: string, limit = MAX_YAML_DEPTH): NestingProblem | undefined {
  const lines = text.split(/\r\n|\n|\r/);
  const indents: number[] = [];
  let flow = 0;
  let quote: '' | '"' | "'" = '';
  let blockScalarParent: number | undefined;
  const tooDeep = (lineIndex: number): NestingProblem => ({ line: lineIndex + 1, message: `exceeded max depth of ${limit}` });

  for (let li = 0; li < lines.length; li++) {
    const line = lines[li];
    const indent = leadingSpaces(line);
    if (blockScalarParent !== undefined) {
      if (indent === line.length || indent > blockScalarParent) continue;
      blockScalarParent = undefined;
    }
    if (quote === '' && flow === 0) {
      const rest = line.slice(indent);
      if (rest === '' || rest.startsWith('#')) continue;
      if (indent === 0 && (rest.startsWith('---') || rest.startsWith('...'))) indents.length = 0;
      while (indents.length && indents[indents.length - 1] > indent) indents.pop();
      if (!indents.length || indents[indents.length - 1] < indent) indents.push(indent);
      const entries = inlineEntries(line, indent);
      if (indents.length + entries > limit) return tooDeep(li);
    }
    let prev = '';
    for (let i = indent; i < line.length; i++) {
      const c = line[i];
      if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') quote = '';
        prev = c;
        continue;
      }
      if (quote === "'") {
        if (c === "'" && line[i + 1] === "'") i++;
        else if (c === "'") quote = '';
        prev = c;
        continue;
      }
      if (c === ' ' || c === '\t') continue;
      if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
      const tokenStart = TOKEN_STARTERS.has(prev);
      if (tokenStart && (c === '"' || c === "'")) {
        quote = c;
      } else if ((c === '[' || c === '{') && (tokenStart || flow > 0)) {
        flow++;
        if (indents.length + flow > limit) return tooDeep(li);
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
      } else if ((c === '|' || c === '>') && tokenStart && flow === 0) {
        blockScalarParent = indent;
        break;
      }
      prev = c;
    }
  }
  return undefined;
}

/**
 * goyaml's words (without its `yaml: ` prefix) for a parsed body it would refuse for its
 * aliases, or undefined when it reads them. goyaml v2 resolves every alias while it parses, so
 * an alias without an anchor before it is reported ahead of any problem met while decoding:
 * an alias inside its own anchor's value, or more copying than its alias ratio allows (which
 * turns "billion laughs" bodies away after a few thousand nodes). None of these errors names a
 * line. The rule is the language server's (aliasExpansion.ts); the apiserver gives go-yaml's
 * words without the language server's advice.
 */
export function goyamlAliasProblem(contents: unknown): string | undefined {
  const targets = resolveAliases(contents);
  for (const [alias, target] of targets) {
    if (!target) return `unknown anchor '${alias.source}' referenced`;
  }
  return aliasExpansionProblem(contents, targets)?.goyamlWords;
}
