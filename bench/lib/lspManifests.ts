// The manifest files the language-server benchmark opens: one file of `---`-separated
// Deployment and Service pairs (`web-<i>`: a Deployment of one nginx pod exposing port 8080 as
// `http`, and a Service selecting it on port 80), with problems planted in a fixed share of the
// pairs. Each planted problem is recorded with the line it is on, so a benchmark can count how
// many of them a server reports. The Deployments are also returned as objects, without the
// planted problems, to be applied to a cluster so that every Service has live pods to select.

import type { Deployment, Service } from '../../emulator/src/api/types';

/** What is wrong, as a user would describe it. */
export type PlantedKind =
  | 'service port out of range'
  | 'misspelt Service field'
  | 'selector matches no pod'
  | 'Service port of the wrong type'
  | 'misspelt Deployment field'
  | 'Deployment replicas of the wrong type';

export const PLANTED_KINDS: readonly PlantedKind[] = [
  'service port out of range',
  'misspelt Service field',
  'selector matches no pod',
  'Service port of the wrong type',
  'misspelt Deployment field',
  'Deployment replicas of the wrong type',
];

export interface PlantedError {
  kind: PlantedKind;
  /** Zero-based line in the file. */
  line: number;
  /** Zero-based index of the document holding it. */
  document: number;
}

export interface ManifestFixture {
  text: string;
  documents: number;
  /** The pairs with no planted problem, whose Services belong in the cluster as written. */
  cleanPairs: number[];
  planted: PlantedError[];
  /** Where the one-character edits go: the end of a Service's selector value, with no planted problem. */
  editAt: { line: number; character: number };
  /** Lines of a few Services spread over the file, for hover and inlay hint requests: [name line, selector value line]. */
  probes: { nameLine: number; nameCharacter: number; selectorLine: number; selectorCharacter: number }[];
}

/** One pair in five carries a problem, the kinds taking turns. */
const PLANT_EVERY = 5;
const PROBES = 10;

export const appName = (i: number): string => `web-${i}`;

export function deploymentObject(namespace: string, i: number): Deployment {
  const name = appName(i);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', ports: [{ name: 'http', containerPort: 8080 }] }] },
      },
    },
  };
}

/** The Service of pair `i` exactly as the file writes it when no problem is planted in the pair. */
export function serviceObject(namespace: string, i: number): Service {
  const name = appName(i);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
}

interface DocLines {
  lines: string[];
  /** Line (within the document) of the planted problem, if any. */
  plantedAt?: number;
}

function deploymentLines(i: number, plant: PlantedKind | undefined): DocLines {
  const name = appName(i);
  const lines = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    `    app: ${name}`,
    'spec:',
    plant === 'Deployment replicas of the wrong type' ? '  replicas: one' : '  replicas: 1',
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: nginx:1.27',
    plant === 'misspelt Deployment field' ? '          imagePulPolicy: IfNotPresent' : '          imagePullPolicy: IfNotPresent',
    '          ports:',
    '            - name: http',
    '              containerPort: 8080',
  ];
  if (plant === 'Deployment replicas of the wrong type') return { lines, plantedAt: 7 };
  if (plant === 'misspelt Deployment field') return { lines, plantedAt: 19 };
  return { lines };
}

const SERVICE_NAME_LINE = 3;
const SERVICE_SELECTOR_LINE = 6;

function serviceLines(i: number, plant: PlantedKind | undefined): DocLines {
  const name = appName(i);
  const lines = [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  selector:',
    plant === 'selector matches no pod' ? `    app: ${name}-canary` : `    app: ${name}`,
    '  ports:',
    '    - name: http',
    plant === 'service port out of range' ? '      port: 70000' : plant === 'Service port of the wrong type' ? '      port: "80"' : '      port: 80',
    plant === 'misspelt Service field' ? '      targetPrt: http' : '      targetPort: http',
  ];
  if (plant === 'selector matches no pod') return { lines, plantedAt: SERVICE_SELECTOR_LINE };
  if (plant === 'service port out of range' || plant === 'Service port of the wrong type') return { lines, plantedAt: 9 };
  if (plant === 'misspelt Service field') return { lines, plantedAt: 10 };
  return { lines };
}

/** A file of `documents` documents (rounded down to whole pairs, at least one pair). */
export function manifestFixture(documents: number): ManifestFixture {
  const pairs = Math.max(1, Math.floor(documents / 2));
  const out: string[] = [];
  const planted: PlantedError[] = [];
  const serviceAt: { line: number; i: number; planted: boolean }[] = [];
  let line = 0;
  let kindTurn = 0;
  let doc = 0;
  const push = (d: DocLines, kind: PlantedKind | undefined): void => {
    if (doc > 0) {
      out.push('---');
      line++;
    }
    if (d.plantedAt !== undefined && kind) planted.push({ kind, line: line + d.plantedAt, document: doc });
    out.push(...d.lines);
    line += d.lines.length;
    doc++;
  };
  for (let i = 0; i < pairs; i++) {
    const kind = i % PLANT_EVERY === PLANT_EVERY - 1 ? PLANTED_KINDS[kindTurn++ % PLANTED_KINDS.length] : undefined;
    push(deploymentLines(i, kind), kind);
    const serviceLine = line + 1;
    push(serviceLines(i, kind), kind);
    serviceAt.push({ line: serviceLine, i, planted: kind !== undefined });
  }
  const clean = serviceAt.filter((s) => !s.planted);
  const middle = clean[Math.floor(clean.length / 2)]!;
  const selectorValue = `    app: ${appName(middle.i)}`;
  const probes = Array.from({ length: Math.min(PROBES, clean.length) }, (_, k) => clean[Math.floor((k * clean.length) / Math.min(PROBES, clean.length))]!).map((s) => ({
    nameLine: s.line + SERVICE_NAME_LINE,
    nameCharacter: '  name: '.length + 1,
    selectorLine: s.line + SERVICE_SELECTOR_LINE,
    selectorCharacter: '    app: '.length + 1,
  }));
  return {
    text: out.join('\n') + '\n',
    documents: doc,
    cleanPairs: clean.map((c) => c.i),
    planted,
    editAt: { line: middle.line + SERVICE_SELECTOR_LINE, character: selectorValue.length },
    probes,
  };
}

/** The planted problems that some diagnostic's range touches (a diagnostic on the problem's line). */
export function reportedPlanted(planted: readonly PlantedError[], diagnostics: readonly { range: { start: { line: number }; end: { line: number } } }[]): PlantedError[] {
  const lines = new Set<number>();
  for (const d of diagnostics) for (let l = d.range.start.line; l <= d.range.end.line && l - d.range.start.line < 50; l++) lines.add(l);
  return planted.filter((p) => lines.has(p.line));
}
