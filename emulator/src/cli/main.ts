// The `ksl` command: wiring only. Each command lives in its own file.

import { ApiError } from '../api/errors';
import { UsageError } from './options';
import { serveCommand, startCommand } from './serveCommand';

const USAGE = `Usage: ksl <command> [options]

Commands:
  serve     run the cluster emulator (a Kubernetes API kubectl can use) until Ctrl-C
  start     serve, apply a folder of manifests (examples/ by default) and show the result
  help      show this text

Run "ksl <command> --help" for a command's options.
`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  serve: serveCommand,
  start: startCommand,
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
    if (err instanceof UsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`ksl: ${(err as Error).message}\n`);
      process.exit(2);
    }
    if (err instanceof ApiError) {
      process.stderr.write(`ksl: ${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`ksl: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
