/**
 * What one discovery cycle learns from AWS, reduced to what the configuration needs. The client
 * fills these from the SDK responses; the pure builder reads only these.
 */

/** A port mapping of a container definition or a network binding of a task container. */
export interface EcsPortMapping {
  readonly containerPort?: number;
  readonly hostPort?: number;
  readonly protocol?: string;
}

export interface EcsContainerDefinition {
  readonly name: string;
  readonly dockerLabels?: Readonly<Record<string, string>>;
  readonly portMappings?: readonly EcsPortMapping[];
}

/** A task definition revision (immutable, hence cached by ARN). */
export interface EcsTaskDefinition {
  readonly arn: string;
  readonly networkMode?: string;
  readonly containerDefinitions: readonly EcsContainerDefinition[];
}

/** A container of a running task. */
export interface EcsTaskContainer {
  readonly name: string;
  readonly networkInterfaces?: ReadonlyArray<{ readonly privateIpv4Address?: string; readonly ipv6Address?: string }>;
  readonly networkBindings?: readonly EcsPortMapping[];
}

/** The machine a bridge/host/EXTERNAL task runs on, resolved through its container instance. */
export type EcsHost =
  | { readonly kind: 'ec2'; readonly instanceId: string; readonly privateIp: string; readonly state: string }
  | { readonly kind: 'external'; readonly instanceId: string; readonly ip: string };

/** A task as the builder sees it. */
export interface EcsTask {
  readonly cluster: string;
  readonly arn: string;
  /** `service:<name>` or `family:<name>`. */
  readonly group: string;
  readonly lastStatus: string;
  readonly healthStatus?: string;
  readonly launchType?: string;
  /** Whether the task has any attachment (an ENI for awsvpc). */
  readonly hasAttachments: boolean;
  readonly containers: readonly EcsTaskContainer[];
  readonly definition: EcsTaskDefinition;
  /** Absent for awsvpc tasks, and when the container instance could not be resolved. */
  readonly host?: EcsHost;
}

/** One routable container: the unit the configuration is built from (Traefik's "instance"). */
export interface EcsInstance {
  /** Normalised `<group>-<container>`: the auto service and router name. */
  readonly serviceName: string;
  /** Last 12 characters of the task ARN. */
  readonly id: string;
  readonly cluster: string;
  readonly taskArn: string;
  readonly containerName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ip: string;
  readonly ports: readonly EcsPortMapping[];
}
