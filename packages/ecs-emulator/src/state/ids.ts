import { randomBytes, randomUUID } from 'node:crypto';

/** Random lower-case hex of `length` characters. */
export function hexId(length: number): string {
  return randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
}

export { randomUUID };

/** Builds the ARNs of ECS resources in one region and account. */
export class ArnFactory {
  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  #arn(resource: string): string {
    return `arn:aws:ecs:${this.region}:${this.accountId}:${resource}`;
  }

  cluster(name: string): string {
    return this.#arn(`cluster/${name}`);
  }

  taskDefinition(family: string, revision: number): string {
    return this.#arn(`task-definition/${family}:${revision}`);
  }

  /** New-format task ARN: `task/<cluster>/<32-hex id>`. */
  task(clusterName: string, id: string): string {
    return this.#arn(`task/${clusterName}/${id}`);
  }

  container(clusterName: string, taskId: string): string {
    return this.#arn(`container/${clusterName}/${taskId}/${randomUUID()}`);
  }

  containerInstance(clusterName: string, id: string): string {
    return this.#arn(`container-instance/${clusterName}/${id}`);
  }
}

/** The last path segment of an ARN (or the string itself): how ECS accepts short ids. */
export function resourceId(arnOrId: string): string {
  return arnOrId.slice(arnOrId.lastIndexOf('/') + 1);
}

/**
 * Hands out private IPv4 addresses from a /16, skipping network and broadcast octets, so defaults
 * look like VPC addresses (10.0.x.y) and never collide.
 */
export class IpAllocator {
  #next = 0;

  constructor(
    private readonly prefix: string,
    private readonly firstThirdOctet: number,
  ) {}

  next(): string {
    const n = this.#next++;
    return `${this.prefix}.${this.firstThirdOctet + Math.floor(n / 254)}.${(n % 254) + 1}`;
  }
}

/** Seconds since the epoch, the timestamp format of AWS JSON 1.1. */
export function epochSeconds(date: Date = new Date()): number {
  return date.getTime() / 1000;
}
