// `ksl curl URL`: an HTTP request made from inside the cluster, as `curl` in a pod would make
// it. The host resolves through the pod's DNS search path at the emulator's DNS server, the
// connection goes through kube-proxy's rules, and the answer comes from the simulated pod.
// Failures print curl's own messages and exit with curl's codes (6, 7, 28).

import type { Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { loadConnection } from '../../../server/src/emulatorClient/connection';
import { httpOverStream, ReplyTimeoutError, type StreamReply, type StreamRequest } from '../../../server/src/emulatorClient/httpOverStream';
import { routeLines } from '../../../server/src/emulatorClient/routeText';
import { CliError, defaultStateDir, intOption, UsageError } from './options';
import { dial, podContext, resolveFromPod } from './podNetwork';

export const CURL_USAGE = `Usage: ksl curl [options] URL

Makes an HTTP request from inside the emulated cluster, like curl in a pod.

  -n, --namespace NS     the pod's namespace: short names resolve in it (default: default)
      --from POD         act from this pod (its IP is the source address)
  -v, --verbose          show the name resolution, the route through kube-proxy and the headers
  -i, --include          print the response headers too
  -I, --head             send HEAD and print the headers
  -X, --request METHOD   the request method (default GET)
  -H, --header LINE      add a request header (repeatable)
  -d, --data TEXT        send TEXT as the body (method defaults to POST)
  -s, --silent           accepted for compatibility; ksl curl prints no progress meter
  -m, --max-time SEC     give up after SEC seconds (default 10)
      --state-dir DIR    the emulator's state dir (default: $KSL_STATE_DIR or ~/.kube-service-lab/state)
`;

const options = {
  namespace: { type: 'string', short: 'n' },
  from: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  include: { type: 'boolean', short: 'i' },
  head: { type: 'boolean', short: 'I' },
  request: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  data: { type: 'string', short: 'd' },
  silent: { type: 'boolean', short: 's' },
  'max-time': { type: 'string', short: 'm' },
  'state-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseUrl(text: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CliError(`curl: (3) URL rejected: Malformed input to a URL function`, 3);
  }
  if (url.protocol !== 'http:') {
    throw new CliError(`curl: (1) Protocol "${url.protocol.replace(/:$/, '')}" not supported (ksl curl speaks plain HTTP, as the simulated pods do)`, 1);
  }
  return url;
}

/** One HTTP request over a dialled stream; a reply that does not come in time is curl's error 28. */
export async function httpOverSocket(socket: Socket, req: StreamRequest): Promise<StreamReply> {
  try {
    return await httpOverStream(socket, req);
  } catch (err) {
    if (err instanceof ReplyTimeoutError) {
      throw new CliError(`curl: (28) Operation timed out after ${err.timeoutMs} milliseconds with 0 bytes received`, 28);
    }
    throw err;
  }
}

export async function curlCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
  if (values.help) {
    process.stdout.write(CURL_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`curl needs exactly one URL\n\n${CURL_USAGE}`);
  const url = parseUrl(positionals[0]);
  const maxTimeMs = (intOption(values['max-time'], 'max-time', 1, 3600) ?? 10) * 1000;
  const verbose = values.verbose ?? false;
  const err = process.stderr;
  const conn = loadConnection(values['state-dir'] ?? defaultStateDir());
  const ctx = await podContext(conn, values.namespace ?? 'default', values.from);
  const port = Number(url.port || 80);

  const resolved = await resolveFromPod(conn, url.hostname, ctx.namespace);
  if (!resolved.ok) {
    if (verbose) err.write(`* Tried ${resolved.tried.join(', ')}: ${resolved.failure}\n`);
    throw new CliError(`curl: (6) Could not resolve host: ${url.hostname}`, 6);
  }
  if (verbose) {
    if (resolved.tried.length) err.write(`* Host ${url.hostname}:${port} was resolved as ${resolved.name}.\n* IPv4: ${resolved.address}\n`);
    err.write(`*   Trying ${resolved.address}:${port}...\n`);
  }
  const started = Date.now();
  const dialed = await dial(conn, resolved.address, port, ctx.sourceIP);
  if (!dialed.ok) {
    if (verbose) for (const line of routeLines(dialed.route)) err.write(`* ${line}\n`);
    const after = Date.now() - started;
    if (dialed.route.error === 'timeout') {
      throw new CliError(`curl: (28) Failed to connect to ${url.hostname} port ${port} after ${after} ms: Timeout was reached\nksl: ${dialed.route.message}`, 28);
    }
    throw new CliError(`curl: (7) Failed to connect to ${url.hostname} port ${port} after ${after} ms: Couldn't connect to server\nksl: ${dialed.route.message}`, 7);
  }
  if (verbose) {
    err.write(`* Connected to ${url.hostname} (${resolved.address}) port ${port}\n`);
    for (const line of routeLines(dialed.route)) err.write(`* ${line}\n`);
  }
  const method = values.head ? 'HEAD' : (values.request ?? (values.data !== undefined ? 'POST' : 'GET'));
  const headers: Record<string, string> = { 'User-Agent': 'curl/8.5.0', Accept: '*/*' };
  for (const line of values.header ?? []) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new UsageError(`-H needs "Name: value", not "${line}"`);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  if (values.data !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  if (verbose) {
    err.write(`> ${method} ${url.pathname}${url.search} HTTP/1.1\n> Host: ${url.host}\n`);
    for (const [k, v] of Object.entries(headers)) err.write(`> ${k}: ${v}\n`);
    err.write('>\n');
  }
  const answer = await httpOverSocket(dialed.socket, { url, method, headers, body: values.data, timeoutMs: maxTimeMs });
  const headerText = [`HTTP/${answer.httpVersion} ${answer.status} ${answer.statusText}`];
  for (let i = 0; i < answer.rawHeaders.length; i += 2) headerText.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
  if (verbose) err.write(headerText.map((l) => `< ${l}`).join('\n') + '\n<\n');
  if (values.include || values.head) process.stdout.write(headerText.join('\r\n') + '\r\n\r\n');
  if (!values.head) process.stdout.write(answer.body);
  return 0;
}
