/**
 * Wharf's static configuration: what the process reads once at start (entry points, providers,
 * API, logs, metrics), as opposed to the dynamic configuration that providers push at run time.
 *
 * Names and spellings follow Traefik (`--entryPoints.web.address=:80`, `--api.insecure`,
 * `--providers.ecs.clusters=a,b`), with the `WHARF_` prefix for the environment.
 *
 * **Wharf merges its sources; Traefik does not.** Traefik takes its static configuration from
 * exactly one source: the file if there is one, else the flags, else the environment, and the
 * others are silently ignored, which surprises users who add one flag to a file-based setup.
 * Wharf layers them instead, later winning key by key:
 * schema defaults < configuration file (`--configFile`, `WHARF_CONFIGFILE`, or `wharf.yml|yaml|toml|json`
 * in the working directory or `/etc/wharf/`) < environment (`WHARF_A_B_C`) < flags (`--a.b.c=value`).
 * Every error names the key and the source it came from.
 *
 * @packageDocumentation
 */
export {
  discoverProviders,
  loadStaticConfig,
  type DiscoveredProvider,
  type LoadedStaticConfig,
  type LoadOptions,
  type StaticConfigSources,
} from './load-static-config.js';
export type { OptionDescription } from './describe.js';
export { REDACTED } from './redact.js';
export { StaticConfigErrors } from './origin.js';
