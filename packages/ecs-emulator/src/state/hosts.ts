import { AwsServiceError } from '../aws-error.js';
import { hexId, IpAllocator } from './ids.js';
import type { Ec2Instance, Ec2InstanceState, ManagedInstance } from './types.js';

/** Options for {@link HostRegistry.addEc2Instance}. */
export interface AddEc2InstanceOptions {
  /** `i-` plus 8 or 17 hex digits; generated when absent. */
  readonly instanceId?: string;
  /** Defaults to the next free 10.0.0.x address. */
  readonly privateIp?: string;
  readonly state?: Ec2InstanceState;
  readonly instanceType?: string;
}

/** Options for {@link HostRegistry.addManagedInstance}. */
export interface AddManagedInstanceOptions {
  /** `mi-` plus 17 hex digits; generated when absent. */
  readonly instanceId?: string;
  /** Defaults to the next free 192.168.x.y address. */
  readonly ipAddress?: string;
  readonly pingStatus?: ManagedInstance['PingStatus'];
}

/** EC2 instance ids: `i-` and 8 or 17 hex digits. */
export const EC2_ID_PATTERN = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** SSM managed instance ids: `mi-` and 17 hex digits. */
export const MANAGED_ID_PATTERN = /^mi-[0-9a-f]{17}$/;

/** The machines behind container instances: EC2 instances and SSM managed (ECS Anywhere) instances. */
export class HostRegistry {
  readonly #ec2 = new Map<string, Ec2Instance>();
  readonly #managed = new Map<string, ManagedInstance>();
  readonly #ec2Ips = new IpAllocator('10.0', 0);
  readonly #managedIps = new IpAllocator('192.168', 10);

  constructor(private readonly region: string) {}

  /** Launches an emulated EC2 instance (running unless told otherwise). */
  addEc2Instance(options: AddEc2InstanceOptions = {}): Ec2Instance {
    const instanceId = options.instanceId ?? `i-${hexId(17)}`;
    if (!EC2_ID_PATTERN.test(instanceId)) {
      throw new AwsServiceError('InvalidParameterException', 400, `Invalid EC2 instance id: ${instanceId}`);
    }
    const instance: Ec2Instance = {
      instanceId,
      privateIpAddress: options.privateIp ?? this.#ec2Ips.next(),
      state: options.state ?? 'running',
      availabilityZone: `${this.region}a`,
      instanceType: options.instanceType ?? 't3.medium',
      launchTime: new Date(),
    };
    this.#ec2.set(instanceId, instance);
    return instance;
  }

  /** Registers an SSM managed instance (Online unless told otherwise). */
  addManagedInstance(options: AddManagedInstanceOptions = {}): ManagedInstance {
    const instanceId = options.instanceId ?? `mi-${hexId(17)}`;
    if (!MANAGED_ID_PATTERN.test(instanceId)) {
      throw new AwsServiceError('InvalidParameterException', 400, `Invalid managed instance id: ${instanceId}`);
    }
    const instance: ManagedInstance = {
      InstanceId: instanceId,
      IPAddress: options.ipAddress ?? this.#managedIps.next(),
      PingStatus: options.pingStatus ?? 'Online',
      ComputerName: `ip-${instanceId.slice(3, 11)}`,
      registeredAt: new Date(),
    };
    this.#managed.set(instanceId, instance);
    return instance;
  }

  /** An EC2 instance by id, or undefined. */
  ec2Instance(instanceId: string): Ec2Instance | undefined {
    return this.#ec2.get(instanceId);
  }

  /** A managed instance by id, or undefined. */
  managedInstance(instanceId: string): ManagedInstance | undefined {
    return this.#managed.get(instanceId);
  }

  /** All EC2 instances, in registration order. */
  ec2Instances(): Ec2Instance[] {
    return [...this.#ec2.values()];
  }

  /** All managed instances, in registration order. */
  managedInstances(): ManagedInstance[] {
    return [...this.#managed.values()];
  }

  /** Changes an EC2 instance's state (for example to `stopping`); throws if it is unknown. */
  setEc2InstanceState(instanceId: string, state: Ec2InstanceState): Ec2Instance {
    const instance = this.#ec2.get(instanceId);
    if (instance === undefined) {
      throw new AwsServiceError('InvalidInstanceID.NotFound', 400, `The instance ID '${instanceId}' does not exist`);
    }
    instance.state = state;
    return instance;
  }
}
