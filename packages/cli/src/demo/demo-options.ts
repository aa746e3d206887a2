/** Options of `wharf demo`. */
export interface DemoOptions {
  webPort: number;
  apiPort: number;
  tasks: number;
  refreshSeconds: number;
  host: string;
  /** Extra flags passed to the Wharf process. */
  wharfArgs: string[];
}

const DEFAULTS: DemoOptions = { webPort: 8000, apiPort: 8080, tasks: 3, refreshSeconds: 5, host: 'whoami.localhost', wharfArgs: [] };

/** Parses `--web-port=8000 --api-port=8080 --tasks=3 --refresh-seconds=5 --host=whoami.localhost -- <wharf flags>`. */
export function parseDemoOptions(args: string[]): DemoOptions {
  const options = { ...DEFAULTS, wharfArgs: [] as string[] };
  const dash = args.indexOf('--');
  const own = dash === -1 ? args : args.slice(0, dash);
  if (dash !== -1) options.wharfArgs = args.slice(dash + 1);
  for (const arg of own) {
    const m = /^--([a-z-]+)=(.+)$/.exec(arg);
    if (!m) throw new Error(`wharf demo: unknown argument "${arg}" (options: --web-port, --api-port, --tasks, --refresh-seconds, --host, then -- and Wharf flags)`);
    const [, key, value] = m;
    const int = (): number => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`wharf demo: --${key} must be an integer, got "${value}"`);
      return n;
    };
    if (key === 'web-port') options.webPort = int();
    else if (key === 'api-port') options.apiPort = int();
    else if (key === 'tasks') options.tasks = Math.min(int(), 200);
    else if (key === 'refresh-seconds') options.refreshSeconds = Math.max(1, int());
    else if (key === 'host') options.host = value!;
    else throw new Error(`wharf demo: unknown option --${key}`);
  }
  return options;
}

/** `--help` or `-h` among the demo's own options (not among the Wharf flags after `--`). */
export function wantsHelp(args: string[]): boolean {
  const dash = args.indexOf('--');
  const own = dash === -1 ? args : args.slice(0, dash);
  return own.includes('--help') || own.includes('-h');
}

export const DEMO_HELP = `Usage: wharf demo [options] [-- <wharf flags>]
       pnpm demo [options] [-- <wharf flags>]

Runs the ECS + Fargate hands-on on this machine: the ECS emulator, whoami tasks on their own
loopback addresses (127.0.0.2, 127.0.0.3, ...) and Wharf discovering them with the ECS provider.
Type "scale N" and Enter to run N tasks; Ctrl-C stops everything.

Options:
  --web-port=N          Wharf's web entry point, on 127.0.0.1 (default ${DEFAULTS.webPort})
  --api-port=N          the API and dashboard, on 127.0.0.1 (default ${DEFAULTS.apiPort})
  --tasks=N             tasks started at first, at most 200 (default ${DEFAULTS.tasks})
  --refresh-seconds=N   the ECS provider's refreshSeconds, at least 1 (default ${DEFAULTS.refreshSeconds})
  --host=NAME           the Host the whoami router matches (default ${DEFAULTS.host})
  -h, --help            this help
  -- <flags>            anything after -- is passed to Wharf (e.g. -- --log.format=json)`;
