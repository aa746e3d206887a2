import { ConfigError, type ConfigSchemaFragment } from '@wharf/core';

/** Options under `providers.ecs`, named as in Traefik (spec/ecs-provider.md §1), plus Wharf's `labelPrefix` and `endpoint`. */
export interface EcsProviderOptions {
  readonly clusters: readonly string[];
  readonly autoDiscoverClusters: boolean;
  readonly exposedByDefault: boolean;
  readonly constraints: string;
  readonly defaultRule: string;
  readonly refreshSeconds: number;
  readonly region: string;
  readonly accessKeyID: string;
  readonly secretAccessKey: string;
  readonly ecsAnywhere: boolean;
  readonly healthyTasksOnly: boolean;
  readonly labelPrefix: string;
  readonly endpoint: string;
}

/** Traefik's defaults. */
export const defaultEcsOptions: EcsProviderOptions = {
  clusters: ['default'],
  autoDiscoverClusters: false,
  exposedByDefault: true,
  constraints: '',
  defaultRule: 'Host(`{{ normalize .Name }}`)',
  refreshSeconds: 15,
  region: '',
  accessKeyID: '',
  secretAccessKey: '',
  ecsAnywhere: false,
  healthyTasksOnly: false,
  labelPrefix: 'traefik',
  endpoint: '',
};

/** The convict fragment for `providers.ecs`. */
export const ecsProviderSchema: ConfigSchemaFragment = {
  clusters: { doc: 'ECS cluster names or ARNs to scan (ignored with autoDiscoverClusters)', format: 'string-list', default: defaultEcsOptions.clusters },
  autoDiscoverClusters: { doc: 'Scan every cluster that ecs:ListClusters returns', format: Boolean, default: false },
  exposedByDefault: { doc: 'Expose containers that have no traefik.enable label', format: Boolean, default: true },
  constraints: { doc: 'Expression over container labels: Label(`k`,`v`), LabelRegex(`k`,`re`), &&, ||, !, ( )', format: String, default: '' },
  defaultRule: { doc: 'Rule (Go template) of routers without a rule label', format: String, default: defaultEcsOptions.defaultRule },
  refreshSeconds: { doc: 'Seconds between two scans of the clusters (> 0)', format: 'nat', default: 15 },
  region: { doc: 'AWS region; else AWS_REGION/AWS_DEFAULT_REGION, the ECS task metadata endpoint, then EC2 instance metadata', format: String, default: '' },
  accessKeyID: { doc: 'Static AWS access key id (used only together with secretAccessKey); else the default credential chain', format: String, default: '', sensitive: true },
  secretAccessKey: { doc: 'Static AWS secret access key (used only together with accessKeyID)', format: String, default: '', sensitive: true },
  ecsAnywhere: { doc: 'Also resolve ECS Anywhere (mi-*) container instances through SSM', format: Boolean, default: false },
  healthyTasksOnly: { doc: 'Route only to tasks whose health status is HEALTHY', format: Boolean, default: false },
  labelPrefix: { doc: 'Prefix of the labels read (traefik.http.routers…)', format: String, default: 'traefik' },
  endpoint: { doc: 'Endpoint URL for the ECS, EC2 and SSM APIs (else AWS_ENDPOINT_URL[_ECS|_EC2|_SSM] or AWS)', format: String, default: '' },
};

/** Fills unset options with their defaults and checks what convict cannot. */
export function resolveEcsOptions(options: Partial<EcsProviderOptions>): EcsProviderOptions {
  const resolved = { ...defaultEcsOptions, ...stripUndefined(options) };
  if (!Number.isFinite(resolved.refreshSeconds) || resolved.refreshSeconds <= 0) {
    throw new ConfigError('providers.ecs.refreshSeconds', `must be greater than 0, got ${resolved.refreshSeconds}`, { code: 'ECS_OPTIONS' });
  }
  if (!resolved.autoDiscoverClusters && resolved.clusters.length === 0) {
    throw new ConfigError('providers.ecs.clusters', 'no cluster to scan: set providers.ecs.clusters or providers.ecs.autoDiscoverClusters', { code: 'ECS_OPTIONS' });
  }
  if (!/^[a-z][a-z0-9-]*$/.test(resolved.labelPrefix)) {
    throw new ConfigError('providers.ecs.labelPrefix', `must be a lower-case word such as "traefik", got ${JSON.stringify(resolved.labelPrefix)}`, { code: 'ECS_OPTIONS' });
  }
  if (resolved.endpoint !== '' && !/^https?:\/\/[^/]/.test(resolved.endpoint)) {
    throw new ConfigError('providers.ecs.endpoint', `must be a URL with a scheme and host, got ${JSON.stringify(resolved.endpoint)}`, { code: 'ECS_OPTIONS' });
  }
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
