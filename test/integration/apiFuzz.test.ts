// Fuzzed requests against the emulator's real HTTPS API server: random paths (odd segments,
// `..`, encoded slashes, huge and invalid names, unknown groups and versions), random query
// parameters with bad values, random methods and Content-Types, and bodies made from real
// objects by dropping, retyping and changing fields, truncating them, breaking their UTF-8,
// nesting them 100,000 levels deep or filling them with huge numbers.
//
// Every answer must be below 500 and, when it is an error, a metav1.Status; a rejected request
// must not have written anything (the store emits no event while it is served); and the server
// must still answer afterwards. The server runs over a registry with its real strategies and no
// controllers, so every store event during a request is that request's doing.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:https';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import selfsigned from 'selfsigned';
import { R } from '../../emulator/src/api/resources';
import type { KubeObject } from '../../emulator/src/api/types';
import { startApiServer, type RunningApiServer } from '../../emulator/src/apiserver/apiServer';
import { namespaceGracefulDeleter } from '../../emulator/src/controllers/namespace';
import { podGracefulDeleter } from '../../emulator/src/controllers/podLifecycle';
import type { StoreEvent } from '../../emulator/src/store/store';
import { registryCluster, rt, type RegistryCluster } from '../unit/registry/registryFixtures';

const TOKEN = 'fuzz-token';
/** Random requests per run; KSL_FUZZ_RUNS asks for more when hunting. */
const RUNS = Number(process.env.KSL_FUZZ_RUNS ?? 2500);
const DEEP = 100_000;
/** Every answer must come within this; a hang is a failure like a 500. */
const ANSWER_MS = 20_000;

interface FuzzRequest {
  method: string;
  path: string;
  contentType?: string;
  accept?: string;
  body?: Buffer;
  label: string;
}

interface Answer {
  code: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The server answered a watch: the stream was left open, so it was cut after the headers. */
  streamed: boolean;
}

let cluster: RegistryCluster;
let server: RunningApiServer;
let ca: string;
let agent: Agent;
const logged: string[] = [];

function tls(): { cert: string; key: string } {
  const pems = selfsigned.generate([{ name: 'commonName', value: 'ksl-fuzz' }], {
    days: 1,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return { cert: pems.cert, key: pems.private };
}

// The objects the fuzzer mutates, in the shape kubectl sends them.
const SERVICE = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { note: 'seed' } },
  spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
};
const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, name: 'http' }], env: [{ name: 'A', value: 'b' }] }] },
    },
  },
};
const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-pod', labels: { app: 'web' } },
  spec: {
    containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m', memory: '128Mi' } } }],
    restartPolicy: 'Always',
  },
};
const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { team: 'a' } } };
const SEEDS = [
  { key: R.services, namespace: 'default', object: SERVICE },
  { key: R.deployments, namespace: 'default', object: DEPLOYMENT },
  { key: R.pods, namespace: 'default', object: POD },
  { key: R.namespaces, namespace: '', object: NAMESPACE },
];

/** Puts back whatever seed object an earlier fuzzed request deleted, so later ones have targets. */
function reseed(): void {
  for (const seed of SEEDS) {
    const type = rt(seed.key);
    if (cluster.store.get(seed.key, seed.namespace, seed.object.metadata.name)) continue;
    cluster.registry.create(type, seed.namespace, structuredClone(seed.object) as KubeObject);
  }
}

// ---- Arbitraries --------------------------------------------------------------------------

const weirdSegment = fc.constantFrom(
  '..', '.', '%2F', 'a%2Fb', '%2e%2e', '%', '%zz', '%E0%A4%A', '%00', '%C3%28', 'web%20x', 'Web', 'web_1', '-web',
  'a'.repeat(254), 'b'.repeat(5000), '%F0%9F%98%80', '~', '*', 'web.', 'status', 'scale', 'namespaces', 'default',
);
const name = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('web', 'web-pod', 'team-a', 'default', 'kubernetes', 'missing') },
  { weight: 3, arbitrary: weirdSegment },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map(encodeURIComponent) },
);
const resource = fc.constantFrom(
  'services', 'pods', 'deployments', 'replicasets', 'endpoints', 'endpointslices', 'events', 'nodes', 'namespaces',
  'configmaps', 'widgets', 'Services', '',
);
const groupVersion = fc.constantFrom(
  '/api/v1', '/api/v1', '/apis/apps/v1', '/apis/apps/v1', '/apis/discovery.k8s.io/v1', '/apis/apps/v1beta1', '/apis/example.com/v1',
  '/api/v2', '/apis/apps', '/api', '/apis', '',
);
const subresource = fc.constantFrom('status', 'scale', 'log', 'exec', 'portforward', 'attach', 'finalize', 'binding', 'proxy', 'x');

const resourcePath = fc
  .record({
    gv: groupVersion,
    ns: fc.option(name, { nil: undefined }),
    resource,
    name: fc.option(name, { nil: undefined }),
    sub: fc.option(subresource, { nil: undefined }),
    extra: fc.array(weirdSegment, { maxLength: 2 }),
  })
  .map(({ gv, ns, resource: res, name: n, sub, extra }) =>
    [gv, ns === undefined ? '' : `/namespaces/${ns}`, `/${res}`, n === undefined ? '' : `/${n}`, sub === undefined ? '' : `/${sub}`, ...extra.map((e) => `/${e}`)].join(''),
  );
const otherPath = fc.constantFrom(
  '/', '/version', '/healthz', '/livez', '/readyz', '/openapi/v2', '/openapi/v3', '/openapi/v3/api/v1', '/openapi/v3/apis/apps/v1',
  '/openapi/v3/apis/nope/v1', '/ksl/v1/rules', '/ksl/v1/dial', '/ksl/v1/nothing', '/api/v1/namespaces/default', '/api/v1/namespaces/default/status',
  '/api/v1/namespaces/default/finalize', '//api//v1', '/api/v1/../v1/services', '/metrics', '/apis/apps/v1/',
);
const path = fc.oneof({ weight: 5, arbitrary: resourcePath }, { weight: 1, arbitrary: otherPath });

const queryValue = fc.constantFrom(
  '', '0', '1', '-1', 'true', 'false', 'abc', '1.5', '1e400', '99999999999999999999', '%', '%zz', 'All', 'Server', 'Strict', 'Warn', 'Ignore',
  'Bogus', 'Background', 'Foreground', 'Orphan', 'Object', 'Metadata', 'None', 'app=web', 'app in (', 'app notin ()', '!!', 'a,b,,c',
  'metadata.name=web', 'metadata.name==web', 'spec.x=y', 'status.phase!=Running', 'metadata.namespace=default', 'x'.repeat(3000),
);
const queryName = fc.constantFrom(
  'watch', 'resourceVersion', 'resourceVersionMatch', 'limit', 'continue', 'fieldSelector', 'labelSelector', 'timeoutSeconds', 'dryRun',
  'fieldManager', 'fieldValidation', 'force', 'propagationPolicy', 'gracePeriodSeconds', 'orphanDependents', 'includeObject',
  'allowWatchBookmarks', 'sendInitialEvents', 'pretty', 'x',
);
const query = fc
  .array(fc.tuple(queryName, queryValue), { maxLength: 4 })
  .map((pairs) => (pairs.length ? '?' + pairs.map(([k, v]) => `${k}=${v.includes('%') ? v : encodeURIComponent(v)}`).join('&') : ''));

const method = fc.constantFrom('GET', 'GET', 'POST', 'POST', 'PUT', 'PUT', 'PATCH', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'CONNECTX');
const contentType = fc.constantFrom(
  undefined, 'application/json', 'application/json; charset=utf-8', 'application/yaml', 'application/vnd.kubernetes.protobuf',
  'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml',
  'application/apply-patch+cbor', 'application/cbor', 'text/plain', 'multipart/form-data; boundary=x', ';', 'APPLICATION/JSON', '*/*',
);
const accept = fc.constantFrom(
  undefined, 'application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', '*/*', 'text/html',
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 0.5, 65536, -1, 2147483648, 1e21),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', 'web', 'ClusterIP', 'None', '10.96.0.1', 'x'.repeat(70), '25%', 'UDP', 'SCTP'),
);
const jsonValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('name', 'port', 'spec', 'metadata', 'x', 'selector', 'ports', 'op', 'path', 'value'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Every path into a JSON value, the value itself first. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

type Mutation = { op: 'drop' | 'set' | 'retype'; at: number; value: Json };

function mutate(base: Json, mutations: Mutation[]): Json {
  let doc = structuredClone(base);
  for (const m of mutations) {
    const paths = pathsOf(doc);
    const target = paths[m.at % paths.length];
    if (target.length === 0) {
      doc = m.op === 'drop' ? null : m.value;
      continue;
    }
    let parent = doc as Record<string | number, Json>;
    for (const step of target.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
    const last = target[target.length - 1];
    if (m.op === 'drop') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (m.op === 'set') {
      parent[last] = m.value;
    } else {
      const current = parent[last];
      parent[last] = typeof current === 'number' ? String(current) : typeof current === 'string' ? Number(current) || [current] : typeof current === 'object' ? JSON.stringify(current) : { value: current };
    }
  }
  return doc;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({ op: fc.constantFrom('drop', 'set', 'retype'), at: fc.nat(), value: jsonValue });
const mutatedObject = fc
  .tuple(fc.constantFrom<Json>(SERVICE, DEPLOYMENT, POD, NAMESPACE), fc.array(mutation, { maxLength: 4 }))
  .map(([base, ms]) => mutate(base, ms));

const jsonPatchOp = fc.record({
  op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus', ''),
  path: fc.constantFrom('/spec/ports/0/port', '/spec/ports/-', '/spec/ports/99999999999', '/metadata/labels/a~1b', '/a/~2', '', '/', 'spec', '/spec/replicas', '/metadata/name', '/status'),
  from: fc.option(fc.constantFrom('/spec', '/metadata/labels', '/nope'), { nil: undefined }),
  value: jsonValue,
});

/** How a body is spoiled on its way out: kept, truncated, broken UTF-8, or wrapped oddly. */
const spoil = fc.constantFrom('none', 'none', 'truncate', 'badUtf8', 'yaml', 'nulByte', 'bom');

interface Body {
  bytes: Buffer;
  how: string;
}

function spoiled(value: fc.Arbitrary<Json>, how: fc.Arbitrary<string> = spoil): fc.Arbitrary<Body> {
  return fc.tuple(value, how, fc.double({ min: 0, max: 1, noNaN: true })).map(([v, h, cut]) => {
    let text = h === 'yaml' ? toYaml(v) : JSON.stringify(v) ?? 'null';
    if (h === 'truncate') text = text.slice(0, Math.floor(text.length * cut));
    if (h === 'bom') text = '\ufeff' + text;
    let bytes = Buffer.from(text, 'utf8');
    if (h === 'badUtf8' || h === 'nulByte') {
      const at = Math.floor(bytes.length * cut);
      const insert = h === 'badUtf8' ? Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82]) : Buffer.from([0x00]);
      bytes = Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(at)]);
    }
    return { bytes, how: h };
  });
}

const body = fc.oneof(
  { weight: 6, arbitrary: spoiled(mutatedObject) },
  { weight: 2, arbitrary: spoiled(fc.array(jsonPatchOp, { maxLength: 4 }).map((ops) => ops as unknown as Json)) },
  { weight: 1, arbitrary: spoiled(jsonValue) },
);

function describe(m: string, p: string, ct: string | undefined, b: Body | undefined): string {
  return `${m} ${p.slice(0, 160)} [${ct ?? 'no type'}; body ${b ? `${b.how}, ${b.bytes.length} bytes` : 'none'}]`;
}

/** Anything at all: mostly paths that name nothing, and bodies that fit no route. */
const scattered: fc.Arbitrary<FuzzRequest> = fc
  .record({ method, path, query, contentType, accept, body: fc.option(body, { nil: undefined }) })
  .map((r) => ({
    method: r.method,
    path: r.path + r.query,
    contentType: r.contentType,
    accept: r.accept,
    body: r.body?.bytes,
    label: describe(r.method, r.path + r.query, r.contentType, r.body),
  }));

// Requests aimed at a seed object's real routes, with its own kind of body slightly changed,
// so that they get past routing and decoding and reach validation and the store.
const SEED_ROUTES = [
  { base: SERVICE as Json, collection: '/api/v1/namespaces/default/services', name: 'web', subresources: ['status'] },
  { base: DEPLOYMENT as Json, collection: '/apis/apps/v1/namespaces/default/deployments', name: 'web', subresources: ['status', 'scale'] },
  { base: POD as Json, collection: '/api/v1/namespaces/default/pods', name: 'web-pod', subresources: ['status'] },
  { base: NAMESPACE as Json, collection: '/api/v1/namespaces', name: 'team-a', subresources: ['status'] },
];
const VERBS = [
  { method: 'POST', target: 'collection', contentType: 'application/json' },
  { method: 'POST', target: 'collection', contentType: 'application/yaml' },
  { method: 'PUT', target: 'object', contentType: 'application/json' },
  { method: 'PATCH', target: 'object', contentType: 'application/merge-patch+json' },
  { method: 'PATCH', target: 'object', contentType: 'application/strategic-merge-patch+json' },
  { method: 'PATCH', target: 'object', contentType: 'application/apply-patch+yaml' },
  { method: 'PATCH', target: 'object', contentType: 'application/json-patch+json' },
  { method: 'DELETE', target: 'object', contentType: 'application/json' },
  { method: 'GET', target: 'collection', contentType: undefined },
  { method: 'GET', target: 'object', contentType: undefined },
  { method: 'PUT', target: 'subresource', contentType: 'application/json' },
  { method: 'PATCH', target: 'subresource', contentType: 'application/merge-patch+json' },
] as const;

const aimed: fc.Arbitrary<FuzzRequest> = fc
  .record({
    route: fc.constantFrom(...SEED_ROUTES),
    verb: fc.constantFrom(...VERBS),
    sub: fc.nat(),
    fresh: fc.option(fc.nat({ max: 9999 }), { nil: undefined }),
    mutations: fc.array(mutation, { maxLength: 3 }),
    how: fc.constantFrom('none', 'none', 'none', 'truncate', 'yaml', 'badUtf8'),
    query,
    accept,
  })
  .chain((r) => {
    let base = structuredClone(r.route.base) as { metadata: { name: string } };
    // Creates under a new name get past AlreadyExists; updates keep the seed's name.
    if (r.fresh !== undefined && r.verb.target === 'collection') base = { ...base, metadata: { ...base.metadata, name: `fz-${r.fresh}` } };
    const value = r.verb.contentType === 'application/json-patch+json' ? fc.array(jsonPatchOp, { maxLength: 3 }).map((ops) => ops as unknown as Json) : fc.constant(mutate(base as unknown as Json, r.mutations));
    return spoiled(value, fc.constant(r.how)).map((b) => {
      const target =
        r.verb.target === 'collection'
          ? r.route.collection
          : r.verb.target === 'object'
            ? `${r.route.collection}/${r.route.name}`
            : `${r.route.collection}/${r.route.name}/${r.route.subresources[r.sub % r.route.subresources.length]}`;
      const needsBody = r.verb.method !== 'GET';
      const p = target + (r.verb.contentType === 'application/apply-patch+yaml' && !r.query ? '?fieldManager=fuzz' : r.query);
      return {
        method: r.verb.method,
        path: p,
        contentType: r.verb.contentType,
        accept: r.accept,
        body: needsBody ? b.bytes : undefined,
        label: describe(r.verb.method, p, r.verb.contentType, needsBody ? b : undefined),
      };
    });
  });

const fuzzRequest = fc.oneof(scattered, aimed);

// Bodies no generator stumbles on by chance.
function specialRequests(): FuzzRequest[] {
  const svc = '/api/v1/namespaces/default/services';
  const deepArray = '['.repeat(DEEP) + ']'.repeat(DEEP);
  const deepObject = '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP);
  const deepInSpec = `{"apiVersion":"v1","kind":"Service","metadata":{"name":"deep"},"spec":${'{"x":'.repeat(DEEP)}1${'}'.repeat(DEEP)}}`;
  // Go's decoder reads up to 10,000 levels, so these get past the syntax check.
  const GO_DEPTH = 9_990;
  const underGoLimit = `{"apiVersion":"v1","kind":"Service","metadata":{"name":"deep"},"spec":${'{"x":'.repeat(GO_DEPTH)}1${'}'.repeat(GO_DEPTH)}}`;
  const underGoLimitArray = `{"apiVersion":"v1","kind":"Service","metadata":{"name":"deep","labels":${'['.repeat(GO_DEPTH)}${']'.repeat(GO_DEPTH)}}}`;
  const deepYaml = '['.repeat(DEEP) + ']'.repeat(DEEP);
  const deepYamlBlock = Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1\n';
  const huge = `{"apiVersion":"v1","kind":"Service","metadata":{"name":"huge"},"spec":{"ports":[{"port":${'9'.repeat(400)}}]}}`;
  const bigExp = '{"apiVersion":"v1","kind":"Service","metadata":{"name":"huge"},"spec":{"ports":[{"port":1e999999}]}}';
  const aliases = 'a: &a [x, x, x, x, x, x, x, x, x]\n' + Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`).join('\n') + '\nkind: Service\n';
  const out: FuzzRequest[] = [];
  const add = (m: string, p: string, ct: string | undefined, text: string | Buffer, label: string): void => {
    out.push({ method: m, path: p, contentType: ct, body: Buffer.isBuffer(text) ? text : Buffer.from(text), label });
  };
  for (const [ct, m, p] of [
    ['application/json', 'POST', svc],
    ['application/yaml', 'POST', svc],
    ['application/json', 'PUT', `${svc}/web`],
    ['application/merge-patch+json', 'PATCH', `${svc}/web`],
    ['application/strategic-merge-patch+json', 'PATCH', `${svc}/web`],
    ['application/json-patch+json', 'PATCH', `${svc}/web`],
    ['application/apply-patch+yaml', 'PATCH', `${svc}/web?fieldManager=fuzz`],
    ['application/json', 'DELETE', `${svc}/web`],
  ] as const) {
    add(m, p, ct, deepArray, `${m} ${ct}: arrays nested ${DEEP} deep`);
    add(m, p, ct, deepObject, `${m} ${ct}: objects nested ${DEEP} deep`);
    add(m, p, ct, deepInSpec, `${m} ${ct}: a valid Service with a spec nested ${DEEP} deep`);
    add(m, p, ct, underGoLimit, `${m} ${ct}: a Service with a spec nested ${GO_DEPTH} deep`);
    add(m, p, ct, underGoLimitArray, `${m} ${ct}: a Service with labels nested ${GO_DEPTH} deep in arrays`);
    add(m, p, ct, huge, `${m} ${ct}: a 400-digit port`);
    add(m, p, ct, bigExp, `${m} ${ct}: port 1e999999`);
  }
  for (const ct of ['application/yaml', 'application/apply-patch+yaml']) {
    const p = ct === 'application/yaml' ? svc : `${svc}/web?fieldManager=fuzz`;
    const m = ct === 'application/yaml' ? 'POST' : 'PATCH';
    add(m, p, ct, deepYaml, `${m} ${ct}: YAML flow sequences nested ${DEEP} deep`);
    add(m, p, ct, deepYamlBlock, `${m} ${ct}: YAML block mappings nested 2000 deep`);
    add(m, p, ct, aliases, `${m} ${ct}: a YAML alias bomb`);
  }
  add('POST', svc, 'application/vnd.kubernetes.protobuf', Buffer.from([0x6b, 0x38, 0x73, 0x00, ...Array.from({ length: 4000 }, () => 0x0a), 0xff]), 'protobuf: a run of nested length-delimited tags');
  add('POST', svc, 'application/vnd.kubernetes.protobuf', Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), 'protobuf: a length past the end');
  return out;
}

// ---- Running requests ---------------------------------------------------------------------

function send(r: FuzzRequest): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
  if (r.accept !== undefined) headers.accept = r.accept;
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  if (r.body !== undefined) headers['content-length'] = String(r.body.length);
  return new Promise((resolve, reject) => {
    const req = request(server.url + r.path, { method: r.method, agent, headers }, (res) => {
      const isStream = res.statusCode === 200 && /[?&]watch=(true|1)(&|$)/.test(r.path) && r.method === 'GET';
      if (isStream) {
        req.destroy();
        resolve({ code: 200, headers: res.headers, text: '', streamed: true });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), streamed: false }));
      res.on('error', reject);
    });
    req.setTimeout(ANSWER_MS, () => req.destroy(new Error(`no answer within ${ANSWER_MS} ms`)));
    req.on('error', reject);
    req.end(r.body);
  });
}

/**
 * The one 5xx kube-apiserver itself answers to a bad request: a strategic merge patch (or a
 * server-side apply, which the emulator merges the same way) that does not fit the object's
 * lists fails with a plain Go error, which the response writer turns into a 500 with the error
 * text and no reason (responsewriters.ErrorToAPIStatus).
 */
function isApiserversOwn500(r: FuzzRequest, a: Answer): boolean {
  const merging = r.contentType?.startsWith('application/strategic-merge-patch+json') || r.contentType?.startsWith('application/apply-patch+yaml');
  if (a.code !== 500 || r.method !== 'PATCH' || !merging) return false;
  const status = JSON.parse(a.text) as { reason?: string; message?: string };
  return status.reason === undefined && /^(map: .* does not contain declared merge key|list element types are not identical|unknown patch type|cannot merge lists without merge key|merging lists cannot yet be specified|value for key \d+ is not a map)/.test(status.message ?? '');
}

/** What is wrong with one answer, or undefined when it is what the apiserver would do. */
function problemWith(r: FuzzRequest, a: Answer, writes: StoreEvent[]): string | undefined {
  if (a.code >= 400 && writes.length) return `answered ${a.code} but wrote ${writes.map((e) => `${e.type} ${e.resource}/${e.object.metadata.name}`).join(', ')}`;
  if (a.code >= 500 && !isApiserversOwn500(r, a)) return `answered ${a.code}: ${a.text.slice(0, 300)}`;
  if (a.code >= 400) {
    if (r.method === 'HEAD') return undefined;
    let status: { kind?: unknown; code?: unknown; status?: unknown; message?: unknown };
    try {
      status = JSON.parse(a.text) as typeof status;
    } catch {
      return `answered ${a.code} with a body that is not JSON: ${a.text.slice(0, 200)}`;
    }
    if (status.kind !== 'Status' || status.code !== a.code || status.status !== 'Failure' || typeof status.message !== 'string') {
      return `answered ${a.code} with a body that is not a matching Status: ${a.text.slice(0, 200)}`;
    }
  }
  for (const header of Object.keys(a.headers)) if (header.startsWith('access-control-')) return `sent the CORS header ${header}`;
  return undefined;
}

before(async () => {
  cluster = registryCluster();
  // The deletion rules the controller manager installs: pods and namespaces end gracefully,
  // and the system namespaces cannot be deleted.
  cluster.registry.setGracefulDeleter(R.pods, podGracefulDeleter(cluster.clock));
  cluster.registry.setGracefulDeleter(R.namespaces, namespaceGracefulDeleter(cluster.clock));
  const pems = tls();
  ca = pems.cert;
  agent = new Agent({ keepAlive: true, ca, maxSockets: 1 });
  server = await startApiServer({ registry: cluster.registry, clock: cluster.clock, token: TOKEN, tls: pems, log: (m) => logged.push(m) });
  reseed();
});

after(async () => {
  agent?.destroy();
  await server?.close();
});

test('fuzzed paths, queries, methods, content types and bodies get a 4xx Status, never a 500, and a rejected request writes nothing', async (t) => {
  const seed = Number(process.env.KSL_FUZZ_SEED ?? Date.now() % 2 ** 31);
  const requests = [...specialRequests(), ...fc.sample(fuzzRequest, { numRuns: RUNS, seed })];
  const codes = new Map<number, number>();
  const problems: string[] = [];
  let streamed = 0;
  for (const r of requests) {
    reseed();
    const writes: StoreEvent[] = [];
    const stop = cluster.store.subscribe((e) => writes.push(e));
    let answer: Answer;
    try {
      answer = await send(r);
    } catch (err) {
      problems.push(`${r.label}: ${(err as Error).message}`);
      continue;
    } finally {
      stop();
    }
    codes.set(answer.code, (codes.get(answer.code) ?? 0) + 1);
    if (answer.streamed) streamed++;
    const problem = problemWith(r, answer, writes);
    if (problem) problems.push(`${r.label}: ${problem}`);
  }
  const byCode = [...codes.entries()].sort(([a], [b]) => a - b).map(([code, n]) => `${code}×${n}`).join(' ');
  t.diagnostic(`seed ${seed} (KSL_FUZZ_SEED=${seed} KSL_FUZZ_RUNS=${RUNS} repeats this run): ${requests.length} requests; answers ${byCode}; ${streamed} watches opened`);
  assert.deepEqual(problems.slice(0, 40), [], `${problems.length} bad answers`);
  assert.deepEqual(logged.filter((m) => m.startsWith('error serving')), [], 'no request ended in an internal error');

  const version = await send({ method: 'GET', path: '/version', label: 'version' });
  assert.equal(version.code, 200, 'the server still answers');
});
