// The verbs on resources: get, list, watch, create, update, patch, delete, deletecollection,
// and the subresources kubectl uses (scale, status). Each handler decodes, delegates to the
// registry, and encodes the answer as a real apiserver would (Table when asked for one).

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ApiError,
  badRequest,
  internalError,
  methodNotSupported,
  notFound,
  unsupportedMediaType,
} from '../api/errors';
import { clone, isPlainObject } from '../api/objects';
import type { ResourceType } from '../api/resources';
import type { KubeObject } from '../api/types';
import type { Clock } from '../clock';
import type { DeleteOptions, Registry, WriteResult } from '../registry/registry';
import { checkBodyKind, decodePatchedObject, decodeRequestObject, type FieldValidation } from './decoding';
import { buildFilter } from './filters';
import { int64Param } from './queryParams';
import { acceptsTable, decodeBody, mediaType, readBody, readBodyBytes, sendJson, setWarnings } from './http';
import { APPLY_PATCH_YAML, applyPatch, decodePatchBody, PatchError, patchTypeOf } from './patch';
import { decodeApplyBody, decodeObjectBody } from './objectBody';
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from './protobuf/protobufBody';

import type { ResourceRoute } from './routes';
import { toTable } from './tables';
import { serveWatch, type WatchContext } from './watch';
import { labelSelectorString } from '../api/selectors';
import type { Deployment, ReplicaSet } from '../api/types';

export interface HandlerContext {
  registry: Registry;
  clock: Clock;
  watch: WatchContext;
}

export async function handleResource(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  route: ResourceRoute,
  ctx: HandlerContext,
): Promise<void> {
  const { rt, namespace, name, subresource } = route;
  const method = req.method ?? 'GET';
  const q = url.searchParams;

  if (subresource) return handleSubresource(req, res, url, route, ctx);

  if (method === 'GET') {
    if (name) return sendObject(req, res, rt, ctx.registry.get(rt, namespace, name), q, ctx);
    const filter = buildFilter(rt, q.get('labelSelector'), q.get('fieldSelector'));
    const timeoutSeconds = int64Param(q, 'timeoutSeconds');
    // Lists are never cut into pages here, but a limit that is not a number is still a 400.
    int64Param(q, 'limit');
    if (q.get('watch') === 'true' || q.get('watch') === '1') {
      serveWatch(req, res, {
        rt,
        namespace,
        resourceVersion: q.get('resourceVersion') ?? undefined,
        matches: filter,
        accept: acceptsTable(req.headers.accept, q.get('includeObject')),
        allowBookmarks: q.get('allowWatchBookmarks') === 'true',
        timeoutSeconds,
      }, ctx.watch);
      return;
    }
    const items = ctx.registry.store.list(rt.key, namespace || undefined).filter(filter);
    return sendList(req, res, rt, items, q, ctx);
  }

  if (method === 'POST') {
    if (name) throw methodNotSupported(rt, 'create');
    const body = await readDecoded(req, rt, q);
    const dryRun = q.get('dryRun') === 'All';
    const result = ctx.registry.create(rt, namespace, body.object, { dryRun });
    setWarnings(res, [...body.warnings, ...result.warnings]);
    return sendWritten(res, 201, result.object, ctx);
  }

  if (!name) {
    if (method === 'DELETE') return deleteCollection(req, res, rt, namespace, q, ctx);
    throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }

  if (method === 'PUT') {
    const body = await readDecoded(req, rt, q);
    const result = ctx.registry.update(rt, namespace, name, body.object, { dryRun: q.get('dryRun') === 'All' });
    setWarnings(res, [...body.warnings, ...result.warnings]);
    return sendWritten(res, 200, result.object, ctx);
  }

  if (method === 'PATCH') {
    const result = await patchObject(req, rt, namespace, name, q, ctx, undefined);
    setWarnings(res, result.warnings);
    return sendWritten(res, result.created ? 201 : 200, result.object, ctx);
  }

  if (method === 'DELETE') {
    const opts = await readDeleteOptions(req, q);
    const { object } = ctx.registry.delete(rt, namespace, name, opts);
    return sendWritten(res, 200, object, ctx);
  }

  throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

/**
 * Answers a write once it is on disk: the store applies writes in memory at once and writes
 * its log in batches, and the API acknowledges nothing that a crash could still take back
 * (ARCHITECTURE invariant 6). A failed flush is a 500 saying why; the store has logged it once.
 */
async function sendWritten(res: ServerResponse, code: number, body: unknown, ctx: HandlerContext): Promise<void> {
  try {
    await ctx.registry.store.durable();
  } catch (err) {
    throw internalError((err as Error).message);
  }
  sendJson(res, code, body);
}

function sendObject(
  req: IncomingMessage,
  res: ServerResponse,
  rt: ResourceType,
  obj: KubeObject,
  q: URLSearchParams,
  ctx: HandlerContext,
): void {
  const accept = acceptsTable(req.headers.accept, q.get('includeObject'));
  if (accept.table) {
    return sendJson(
      res,
      200,
      toTable(rt.key, [obj], { now: ctx.clock.now(), resourceVersion: obj.metadata.resourceVersion ?? '', includeObject: accept.includeObject }),
    );
  }
  sendJson(res, 200, obj);
}

function sendList(
  req: IncomingMessage,
  res: ServerResponse,
  rt: ResourceType,
  items: KubeObject[],
  q: URLSearchParams,
  ctx: HandlerContext,
): void {
  const rv = String(ctx.registry.store.resourceVersion);
  const accept = acceptsTable(req.headers.accept, q.get('includeObject'));
  if (accept.table) {
    return sendJson(res, 200, toTable(rt.key, items, { now: ctx.clock.now(), resourceVersion: rv, includeObject: accept.includeObject }));
  }
  // Items in a list carry no apiVersion/kind on a real apiserver; clients take them from the list.
  const bare = items.map((o) => {
    const { apiVersion: _a, kind: _k, ...rest } = o;
    return rest;
  });
  sendJson(res, 200, { kind: rt.listKind, apiVersion: rt.apiVersion, metadata: { resourceVersion: rv }, items: bare });
}

function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${v}"`);
}

/**
 * The create/update body's format, negotiated before the body is read as the apiserver does:
 * no Content-Type means JSON, and anything it cannot decode is 415 (CBOR serving is behind a
 * feature gate that 1.32 leaves off, so it is not offered).
 */
function objectBodyFormat(req: IncomingMessage): 'json' | 'yaml' | 'protobuf' {
  const type = mediaType(req.headers['content-type']);
  if (type === '' || type === 'application/json') return 'json';
  if (type === 'application/yaml') return 'yaml';
  if (type === PROTOBUF_MEDIA_TYPE) return 'protobuf';
  throw new ApiError(
    415,
    'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
  );
}

async function readDecoded(
  req: IncomingMessage,
  rt: ResourceType,
  q: URLSearchParams,
): Promise<{ object: KubeObject; warnings: string[] }> {
  const validation = fieldValidationOf(q);
  const format = objectBodyFormat(req);
  if (format === 'protobuf') {
    const raw = decodeProtobufObject(await readBodyBytes(req), rt);
    checkBodyKind(rt, raw);
    // The protobuf serializer is also the apiserver's "strict" one (codec_factory.go: strict
    // decoding is unsupported for protobuf), so unknown fields are dropped silently whatever
    // fieldValidation asks for: no warning, no error.
    return decodeRequestObject(rt, raw, undefined, 'Ignore');
  }
  const text = await readBody(req);
  const raw = decodeObjectBody(rt.kind, text, format === 'yaml');
  if (isPlainObject(raw)) checkBodyKind(rt, raw);
  return decodeRequestObject(rt, raw, format === 'json' ? text : undefined, validation);
}

async function readDeleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const text = await readBody(req);
  let body: Record<string, unknown> = {};
  if (text.trim()) {
    const decoded = decodeBody(text, req.headers['content-type'] ?? 'application/json');
    if (!isPlainObject(decoded)) throw badRequest('the delete options must be a DeleteOptions object');
    body = decoded;
  }
  const policy = (q.get('propagationPolicy') ?? body.propagationPolicy) as string | undefined;
  if (policy !== undefined && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
    throw badRequest(`DeleteOptions.propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  const graceRaw = q.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  const grace = graceRaw === undefined || graceRaw === null ? undefined : Number(graceRaw);
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
    throw badRequest('DeleteOptions.gracePeriodSeconds must be a non-negative integer');
  }
  const pre = isPlainObject(body.preconditions) ? (body.preconditions as { uid?: string; resourceVersion?: string }) : undefined;
  // kubectl sends `--dry-run=server` deletions as DeleteOptions.dryRun in the body; the query
  // parameter is the same option written in the URL.
  const dryRun = q.getAll('dryRun').includes('All') || (Array.isArray(body.dryRun) && body.dryRun.includes('All'));
  return { propagationPolicy: policy as 'Background' | undefined, gracePeriodSeconds: grace, preconditions: pre, dryRun };
}

async function deleteCollection(
  req: IncomingMessage,
  res: ServerResponse,
  rt: ResourceType,
  namespace: string,
  q: URLSearchParams,
  ctx: HandlerContext,
): Promise<void> {
  if (!rt.verbs.includes('deletecollection')) throw methodNotSupported(rt, 'deletecollection');
  const opts = await readDeleteOptions(req, q);
  const filter = buildFilter(rt, q.get('labelSelector'), q.get('fieldSelector'));
  const victims = ctx.registry.store.list(rt.key, namespace || undefined).filter(filter);
  const items: KubeObject[] = [];
  for (const v of victims) {
    try {
      items.push(ctx.registry.delete(rt, v.metadata.namespace ?? '', v.metadata.name ?? '', opts).object);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }
  await sendWritten(res, 200, { kind: rt.listKind, apiVersion: rt.apiVersion, metadata: { resourceVersion: String(ctx.registry.store.resourceVersion) }, items }, ctx);
}

interface PatchResult extends WriteResult {
  created: boolean;
}

/** Applies a PATCH of any supported type to the object, or to its status with `subresource`. */
async function patchObject(
  req: IncomingMessage,
  rt: ResourceType,
  namespace: string,
  name: string,
  q: URLSearchParams,
  ctx: HandlerContext,
  subresource: 'status' | undefined,
): Promise<PatchResult> {
  const validation = fieldValidationOf(q);
  const ct = asApiError(() => patchTypeOf(req.headers['content-type']));
  const text = await readBody(req);
  const body = ct === APPLY_PATCH_YAML ? decodeApplyBody(text) : asApiError(() => decodePatchBody(ct, text, validation));
  const dryRun = q.get('dryRun') === 'All';
  const current = ctx.registry.store.get(rt.key, rt.namespaced ? namespace : '', name);

  if (ct === 'application/apply-patch+yaml') {
    if (subresource === undefined && q.get('fieldManager') === null) {
      throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    }
    const decoded = decodeRequestObject(rt, body, undefined, validation);
    const applied = decoded.object;
    if (!current) {
      if (subresource) throw notFound(rt, name);
      const result = ctx.registry.create(rt, namespace, { ...applied, metadata: { ...applied.metadata, name } }, { dryRun });
      return { ...result, warnings: [...decoded.warnings, ...result.warnings], created: true };
    }
    // Server-side apply without field ownership: the applied configuration is merged into the
    // live object the way a strategic merge patch would merge it. A configuration that does
    // not fit the object's lists fails as the real field manager's typed patch does: a plain
    // error, answered 500 with no reason.
    const merged = asApiError(() => applyPatch('application/strategic-merge-patch+json', clone(current), applied, gvkOf(rt)) as KubeObject);
    const result = ctx.registry.update(rt, namespace, name, merged, { subresource, dryRun, patched: true });
    return { ...result, warnings: [...decoded.warnings, ...result.warnings], created: false };
  }

  if (!current) throw notFound(rt, name);
  const patched = asApiError(() => applyPatch(ct, clone(current), body, gvkOf(rt)) as KubeObject);
  const decoded = decodePatchedObject(rt, patched, validation);
  const result = ctx.registry.update(rt, namespace, name, decoded.object, { subresource, dryRun, patched: true });
  return { ...result, warnings: [...decoded.warnings, ...result.warnings], created: false };
}

/** Runs a patch-module step, turning its PatchError into the ApiError the server answers with. */
function asApiError<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof PatchError) throw new ApiError(err.status, err.reason, err.message, err.details);
    throw err;
  }
}

function gvkOf(rt: ResourceType): { group: string; version: string; kind: string } {
  return { group: rt.group, version: rt.version, kind: rt.kind };
}

async function handleSubresource(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  route: ResourceRoute,
  ctx: HandlerContext,
): Promise<void> {
  const { rt, namespace, subresource } = route;
  const name = route.name ?? '';
  const method = req.method ?? 'GET';
  const q = url.searchParams;
  const info = rt.subresources.find((s) => s.name === subresource);
  if (!info) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');

  if (subresource === 'status') {
    if (method === 'GET') return sendJson(res, 200, ctx.registry.get(rt, namespace, name));
    if (method === 'PUT') {
      const body = await readDecoded(req, rt, q);
      const result = ctx.registry.update(rt, namespace, name, body.object, { subresource: 'status' });
      return sendWritten(res, 200, result.object, ctx);
    }
    if (method === 'PATCH') {
      const result = await patchObject(req, rt, namespace, name, q, ctx, 'status');
      return sendWritten(res, 200, result.object, ctx);
    }
  }

  if (subresource === 'scale') return handleScale(req, res, route, q, ctx);

  const unsupported = streamingAlternatives(rt, namespace, name, subresource ?? '');
  if (unsupported) throw unsupported;
  throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

function scaleOf(obj: Deployment | ReplicaSet): Record<string, unknown> {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: obj.spec.replicas ?? 1 },
    status: {
      replicas: obj.status?.replicas ?? 0,
      selector: labelSelectorString(obj.spec.selector),
    },
  };
}

async function handleScale(
  req: IncomingMessage,
  res: ServerResponse,
  route: ResourceRoute,
  q: URLSearchParams,
  ctx: HandlerContext,
): Promise<void> {
  const { rt, namespace } = route;
  const name = route.name ?? '';
  const method = req.method ?? 'GET';
  const current = ctx.registry.get(rt, namespace, name) as Deployment | ReplicaSet;
  if (method === 'GET') return sendJson(res, 200, scaleOf(current));
  let scale: Record<string, unknown>;
  if (method === 'PUT') {
    const format = objectBodyFormat(req);
    const body =
      format === 'protobuf'
        ? decodeProtobufObject(await readBodyBytes(req), { group: 'autoscaling', version: 'v1', kind: 'Scale' })
        : decodeObjectBody('Scale', await readBody(req), format === 'yaml');
    if (!isPlainObject(body)) throw badRequest('the body must be a Scale object');
    scale = body;
  } else if (method === 'PATCH') {
    const validation = fieldValidationOf(q);
    const ct = asApiError(() => patchTypeOf(req.headers['content-type']));
    if (ct === APPLY_PATCH_YAML) throw unsupportedMediaType(ct);
    const text = await readBody(req);
    const body = asApiError(() => decodePatchBody(ct, text, validation));
    scale = asApiError(
      () => applyPatch(ct, scaleOf(current), body, { group: 'autoscaling', version: 'v1', kind: 'Scale' }) as Record<string, unknown>,
    );
  } else {
    throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new ApiError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`, {
      name,
      group: 'autoscaling',
      kind: 'Scale',
      causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`, field: 'spec.replicas' }],
    });
  }
  const next = clone(current);
  next.spec.replicas = replicas;
  const result = ctx.registry.update(rt, namespace, name, next);
  await sendWritten(res, 200, scaleOf(result.object as Deployment), ctx);
}

/**
 * The emulator runs no containers, so streams into them cannot exist. Each answer says so and
 * names the ksl command that does the job instead.
 */
function streamingAlternatives(rt: ResourceType, namespace: string, name: string, sub: string): ApiError | undefined {
  if (rt.key !== 'pods') return undefined;
  const ns = namespace || 'default';
  const texts: Record<string, string> = {
    log: `pod "${name}" runs no container in the Kube Service Lab emulator, so it has no logs. To see what it answers, run: ksl curl --namespace ${ns} --from ${name} http://<service>`,
    exec: `the Kube Service Lab emulator cannot exec into pod "${name}": pods are simulated and run no container. To act from the pod's point of view, run: ksl curl --namespace ${ns} --from ${name} <url>, or ksl dig --namespace ${ns} --from ${name} <name>`,
    attach: `the Kube Service Lab emulator cannot attach to pod "${name}": pods are simulated and run no container. To call a Service from inside the cluster, run: ksl curl --namespace ${ns} --from ${name} http://<service>`,
    portforward: `the Kube Service Lab emulator cannot forward ports through the API: pods are simulated and run no container. Run: ksl port-forward --namespace ${ns} pod/${name} <local-port>:<pod-port> (or svc/<name>), or use a NodePort Service at http://127.0.0.1:<nodePort>`,
  };
  const text = texts[sub];
  return text ? new ApiError(400, 'BadRequest', text) : undefined;
}
