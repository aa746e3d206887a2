/** Shared set-up for the tests that run the real SDK clients against the in-process emulator. */
import { silentLogger, type ConfigMessage, type Logger } from '@wharf/core';
import { startEcsEmulator, type EcsEmulator } from '@wharf/ecs-emulator';
import { EcsProvider, type EcsProviderOptions, type EcsProviderSettings } from '../src/index.js';

/** The IAM policy the docs publish; the emulator refuses anything else. */
export const POLICY_ACTIONS = [
  'ecs:ListClusters',
  'ecs:DescribeClusters',
  'ecs:ListTasks',
  'ecs:DescribeTasks',
  'ecs:DescribeContainerInstances',
  'ecs:DescribeTaskDefinition',
  'ec2:DescribeInstances',
  'ssm:DescribeInstanceInformation',
];

export async function emulator(): Promise<EcsEmulator> {
  return startEcsEmulator({ region: 'us-east-1' });
}

/** An awsvpc Fargate task definition with one `whoami` container on `port`. */
export function fargateDefinition(emu: EcsEmulator, family = 'whoami', port = 80, labels: Record<string, string> = {}): string {
  return emu.state.registerTaskDefinition({
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    containerDefinitions: [{ name: 'whoami', image: 'traefik/whoami', essential: true, portMappings: [{ containerPort: port, hostPort: port }], dockerLabels: labels }],
  }).taskDefinitionArn;
}

/** A provider with static keys restricted to the published policy, fast retries and one SDK attempt. */
export function provider(emu: EcsEmulator, options: Partial<EcsProviderOptions>, settings: EcsProviderSettings & { logger?: Logger } = {}): EcsProvider {
  const keys = emu.issueCredentials({ allow: POLICY_ACTIONS });
  return new EcsProvider(
    { region: emu.region, endpoint: emu.url, accessKeyID: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, refreshSeconds: 0.05, ...options },
    settings.logger ?? silentLogger(),
    { maxAttempts: 1, retryBaseMs: 20, env: {}, isEc2: () => false, ...settings },
  );
}

/** The server URLs of a service in a snapshot. */
export function serverUrls(configuration: ConfigMessage['configuration'] | undefined, service: string): string[] {
  return (configuration?.http?.services?.[service]?.loadBalancer?.servers ?? []).map((s) => s.url ?? '').sort();
}

/** A logger that records warnings (message and fields) for assertions. */
export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const base = silentLogger();
  const logger: Logger & { warnings: string[] } = Object.assign(Object.create(base) as Logger, {
    warnings,
    warn: (a: object | string, b?: string) => warnings.push(typeof a === 'string' ? a : `${b ?? ''} ${JSON.stringify(a)}`),
    child: () => logger,
  });
  return logger;
}
