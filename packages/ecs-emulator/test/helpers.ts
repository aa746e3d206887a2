import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { ExecutionContext } from 'ava';
import {
  startEcsEmulator,
  type ContainerDefinition,
  type EcsEmulator,
  type EcsEmulatorOptions,
  type EmulatorCredentials,
  type NetworkMode,
  type TaskDefinition,
} from '../src/index.js';

/** A running emulator, a key pair it accepts, and real SDK clients pointed at it. */
export interface Harness {
  readonly emu: EcsEmulator;
  readonly credentials: EmulatorCredentials;
  readonly ecs: ECSClient;
  readonly ec2: EC2Client;
  readonly ssm: SSMClient;
}

/** Client options for the emulator: one attempt unless a test is about retries. */
export function clientConfig(emu: EcsEmulator, credentials: EmulatorCredentials, maxAttempts = 1) {
  return { region: emu.region, endpoint: emu.url, credentials, maxAttempts };
}

/** Starts an emulator for one test and closes it (and the clients) at teardown. */
export async function harness(t: ExecutionContext, options: EcsEmulatorOptions = {}, maxAttempts = 1): Promise<Harness> {
  const emu = await startEcsEmulator(options);
  const credentials = emu.issueCredentials();
  const config = clientConfig(emu, credentials, maxAttempts);
  const h: Harness = { emu, credentials, ecs: new ECSClient(config), ec2: new EC2Client(config), ssm: new SSMClient(config) };
  t.teardown(async () => {
    h.ecs.destroy();
    h.ec2.destroy();
    h.ssm.destroy();
    await emu.close();
  });
  return h;
}

/** A container definition with one port mapping and some labels. */
export function container(name: string, containerPort: number, dockerLabels: Record<string, string> = {}): ContainerDefinition {
  return { name, image: `example/${name}:latest`, portMappings: [{ containerPort }], dockerLabels };
}

/** Registers a task definition in the emulator's state. */
export function definition(emu: EcsEmulator, family: string, networkMode: NetworkMode, ...containers: ContainerDefinition[]): TaskDefinition {
  return emu.state.taskDefinitions.register({
    family,
    networkMode,
    containerDefinitions: containers,
    ...(networkMode === 'awsvpc' ? { requiresCompatibilities: ['FARGATE'] as const } : {}),
  });
}
