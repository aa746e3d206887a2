import type { CliIo } from './main.js';
import type { LoadedStaticConfig } from './static-config/index.js';

/** `wharf --help`: every option of the schema (core and loaded providers) with its doc and default. */
export function printHelp(config: LoadedStaticConfig, io: CliIo): void {
  const lines = [
    'Usage: wharf [command] [--option=value ...]',
    '',
    'Commands:',
    '  (none)        run Wharf',
    '  check         validate the configuration as wharf would (providers and their files too) and print it (secrets redacted)',
    '  version       print the version',
    '  healthcheck   exit 0 when /ping answers OK, 1 otherwise',
    '  demo          run the local ECS + Fargate demo (emulator, whoami tasks, Wharf; demo --help)',
    '',
    'Options (case-insensitive; also WHARF_<PATH> environment variables and --configFile=<yaml|toml|json>):',
  ];
  for (const option of config.describe()) {
    const def = option.default === undefined || option.default === '' ? '' : ` (default: ${JSON.stringify(option.default)})`;
    lines.push(`  --${option.key}`, `      ${option.doc}${def}  [env ${option.env}]`);
  }
  io.out(lines.join('\n'));
}
