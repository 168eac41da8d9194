// `ksl tunnel`: what `minikube tunnel` does for the emulator. While it runs, LoadBalancer
// Services get 127.0.0.1 as their EXTERNAL-IP and a listener on 127.0.0.1:<port>; when it stops
// they return to <pending>. A port that cannot be opened leaves its Service <pending> with an Event.

import { parseArgs } from 'node:util';
import { apiStream, loadConnection } from '../../../server/src/emulatorClient/connection';
import { TUNNEL_PATH } from '../../../server/src/emulatorClient/kslPaths';
import { statusMessage } from '../../../server/src/emulatorClient/kubeStatus';
import { CliError, defaultStateDir } from './options';

export const TUNNEL_USAGE = `Usage: ksl tunnel [--state-dir DIR]

Gives LoadBalancer Services an external IP (127.0.0.1) and listens on their ports, until Ctrl-C.
`;

export async function tunnelCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'state-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(TUNNEL_USAGE);
    return 0;
  }
  const conn = loadConnection(values['state-dir'] ?? defaultStateDir());
  const res = await apiStream(conn, TUNNEL_PATH);
  if (res.statusCode !== 200) {
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    throw new CliError(statusMessage(Buffer.concat(chunks).toString('utf8')));
  }
  process.stdout.write('Tunnel started: LoadBalancer Services get 127.0.0.1 as EXTERNAL-IP. Keep this running; Ctrl-C stops it.\n\n');
  res.setEncoding('utf8');
  res.on('data', (text: string) => process.stdout.write(text));
  const ended = await new Promise<'signal' | 'server'>((resolve) => {
    process.once('SIGINT', () => resolve('signal'));
    process.once('SIGTERM', () => resolve('signal'));
    res.once('end', () => resolve('server'));
    res.once('error', () => resolve('server'));
  });
  res.destroy();
  if (ended === 'server') throw new CliError('the emulator stopped; the tunnel is closed');
  process.stdout.write('Tunnel stopped.\n');
  return 0;
}
