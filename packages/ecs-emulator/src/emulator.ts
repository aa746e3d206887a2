import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedCall } from './call-log.js';
import { ContainerEndpoints, type TaskMetadataOptions, type TaskRole, type TaskRoleOptions } from './container-endpoints.js';
import { CredentialStore, type EmulatorCredentials, type IssueCredentialsOptions } from './credential-store.js';
import { dispatch, type DispatchTargets } from './dispatch.js';
import { FaultInjector } from './faults.js';
import { controlOperations } from './protocols/control-api.js';
import { ec2Operations } from './protocols/ec2-api.js';
import { ecsOperations } from './protocols/ecs-api.js';
import { ssmOperations } from './protocols/ssm-api.js';
import { EcsState } from './state/ecs-state.js';

/** Options of {@link startEcsEmulator}. */
export interface EcsEmulatorOptions {
  /** The single region the emulator serves; requests signed for another are refused. Default `us-east-1`. */
  readonly region?: string;
  /** Account id in ARNs. Default `123456789012`. */
  readonly accountId?: string;
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Listen address; default `127.0.0.1`. */
  readonly host?: string;
  /** Key pairs accepted from the start (more with `addCredentials` / `issueCredentials`). */
  readonly credentials?: readonly EmulatorCredentials[];
  /** Seed of the PRNG behind ratio-based faults; fixed by default so runs are reproducible. */
  readonly faultSeed?: number;
  /** Serve the unsigned `WharfEmulator.*` control operations. Default true. */
  readonly controlApi?: boolean;
}

/** A running emulator of the ECS, EC2 and SSM APIs and of the ECS agent's local endpoints. */
export interface EcsEmulator {
  /** Base URL, e.g. `http://127.0.0.1:4566`: the SDK `endpoint`, and the FULL_URI host. */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  /** Clusters, task definitions, container instances, tasks, EC2 and managed instances. */
  readonly state: EcsState;
  /** Per-operation fault injection. */
  readonly faults: FaultInjector;
  /** Every answered request so far, oldest first (a snapshot). */
  readonly calls: readonly RecordedCall[];
  /** Forgets the recorded calls. */
  resetCalls(): void;
  /** Accepts a key pair (static, or temporary with `sessionToken`). */
  addCredentials(credentials: EmulatorCredentials): EmulatorCredentials;
  /** Creates and accepts a new AWS-shaped key pair. */
  issueCredentials(options?: IssueCredentialsOptions): EmulatorCredentials;
  /** Stops accepting a key; true if it was known. */
  removeCredentials(accessKeyId: string): boolean;
  /** Serves temporary credentials for a task role at `/v2/credentials/<id>`. */
  taskRoleCredentials(options?: TaskRoleOptions): TaskRole;
  /** Serves task metadata v4 for a task at `/v4/<id>`; `uri` is the `ECS_CONTAINER_METADATA_URI_V4` value. */
  taskMetadataEndpoint(options: TaskMetadataOptions): { id: string; uri: string };
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

class RunningEcsEmulator implements EcsEmulator {
  readonly state: EcsState;
  readonly faults: FaultInjector;
  readonly #store = new CredentialStore();
  readonly #endpoints: ContainerEndpoints;
  readonly #calls: RecordedCall[] = [];
  #url = '';
  #port = 0;

  constructor(
    private readonly server: Server,
    readonly region: string,
    readonly accountId: string,
    faultSeed: number,
  ) {
    this.state = new EcsState(region, accountId);
    this.faults = new FaultInjector(faultSeed);
    this.#endpoints = new ContainerEndpoints(this.#store, this.state, () => this.#url);
  }

  get url(): string {
    return this.#url;
  }

  get port(): number {
    return this.#port;
  }

  get calls(): readonly RecordedCall[] {
    return [...this.#calls];
  }

  listening(address: AddressInfo): void {
    this.#port = address.port;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.#url = `http://${host}:${address.port}`;
  }

  targets(controlApi: boolean): DispatchTargets {
    return {
      region: this.region,
      store: this.#store,
      faults: this.faults,
      endpoints: this.#endpoints,
      json: { ecs: ecsOperations(this.state), ssm: ssmOperations(this.state.hosts) },
      ec2: ec2Operations(this.state.hosts, this.accountId),
      control: controlApi ? controlOperations(this) : {},
      record: (call) => this.#calls.push(call),
    };
  }

  resetCalls(): void {
    this.#calls.length = 0;
  }

  addCredentials(credentials: EmulatorCredentials): EmulatorCredentials {
    return this.#store.add(credentials);
  }

  issueCredentials(options?: IssueCredentialsOptions): EmulatorCredentials {
    return this.#store.issue(options);
  }

  removeCredentials(accessKeyId: string): boolean {
    return this.#store.remove(accessKeyId);
  }

  taskRoleCredentials(options?: TaskRoleOptions): TaskRole {
    return this.#endpoints.addTaskRole(options);
  }

  taskMetadataEndpoint(options: TaskMetadataOptions): { id: string; uri: string } {
    return this.#endpoints.addTaskMetadata(options);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }
}

/**
 * Starts the emulator and resolves once it listens.
 *
 * @example
 * ```ts
 * const emu = await startEcsEmulator({ region: 'us-east-1' });
 * const credentials = emu.issueCredentials();
 * emu.state.createCluster('default');
 * const ecs = new ECSClient({ region: emu.region, endpoint: emu.url, credentials });
 * ```
 */
export async function startEcsEmulator(options: EcsEmulatorOptions = {}): Promise<EcsEmulator> {
  const server = createServer();
  const emulator = new RunningEcsEmulator(
    server,
    options.region ?? 'us-east-1',
    options.accountId ?? '123456789012',
    options.faultSeed ?? 1,
  );
  for (const credentials of options.credentials ?? []) emulator.addCredentials(credentials);
  const targets = emulator.targets(options.controlApi ?? true);
  server.on('request', (req, res) => {
    void dispatch(targets, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  emulator.listening(server.address() as AddressInfo);
  return emulator;
}
