// The `ksl` command: wiring only. Each command lives in its own file.

import { EmulatorClientError } from '../../../server/src/emulatorClient/clientError';
import { ApiError } from '../api/errors';
import { curlCommand } from './curlCommand';
import { digCommand } from './digCommand';
import { lintCommand } from './lintCommand';
import { nslookupCommand } from './nslookupCommand';
import { CliError, UsageError } from './options';
import { portForwardCommand } from './portForwardCommand';
import { rulesCommand } from './rulesCommand';
import { serveCommand, startCommand } from './serveCommand';
import { trafficCommand } from './trafficCommand';
import { tunnelCommand } from './tunnelCommand';

const USAGE = `Usage: ksl <command> [options]

Commands:
  serve          run the cluster emulator (a Kubernetes API kubectl can use) until Ctrl-C
  start          serve, apply a folder of manifests (examples/ by default) and show the result
  lint FILE...   check manifests as the editor does (text, json or sarif; exit 1 on errors)

Seen from a pod of a running emulator:
  curl URL       an HTTP request from inside the cluster (-v shows the route and the pod)
  dig NAME       a query to the cluster DNS server, printed like dig
  nslookup NAME  a lookup through the pod's search path, printed like nslookup
  rules          kube-proxy's iptables rules (all, or svc/NAME)
  traffic        send N requests to a Service and show how they spread over its pods

Ways in from the host:
  port-forward   forward a local port to a pod or Service, like kubectl port-forward
  tunnel         give LoadBalancer Services 127.0.0.1, like minikube tunnel

  help           show this text

Run "ksl <command> --help" for a command's options.
`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  serve: serveCommand,
  start: startCommand,
  lint: lintCommand,
  curl: curlCommand,
  dig: digCommand,
  nslookup: nslookupCommand,
  rules: rulesCommand,
  traffic: trafficCommand,
  'port-forward': portForwardCommand,
  tunnel: tunnelCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`ksl: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`ksl: ${(err as Error).message}\n`);
      process.exit(2);
    }
    // The shared emulator client's failures are the user's to act on, like the CLI's own.
    if (err instanceof CliError || err instanceof EmulatorClientError) {
      // Messages that imitate another tool (curl: (7) ..., ** server can't find ...) are printed as they are.
      const m = err.message;
      process.stderr.write(/^(curl: |\*\* |;; |error: )/.test(m) ? `${m}\n` : `ksl: ${m}\n`);
      process.exit(err instanceof CliError ? err.exitCode : 1);
    }
    if (err instanceof ApiError) {
      process.stderr.write(`ksl: ${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`ksl: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
