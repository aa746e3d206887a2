/**
 * Traefik's `normalize`: split on every rune that is not a Unicode letter or digit, drop empty
 * parts, join with `-`; case is kept (spec/ecs-provider.md §6).
 */
export function normalizeName(name: string): string {
  return name.split(/[^\p{L}\p{N}]+/u).filter((part) => part !== '').join('-');
}

/**
 * The instance name of a task container: the task group with its first `:` turned into `-`,
 * then `-` and the container name (`service:whoami` + `whoami` → `service-whoami-whoami`).
 */
export function instanceName(group: string, containerName: string): string {
  return `${group.replace(':', '-')}-${containerName}`;
}

/** The instance id: the last 12 characters of the task ARN. */
export function instanceId(taskArn: string): string {
  return taskArn.slice(-12);
}
