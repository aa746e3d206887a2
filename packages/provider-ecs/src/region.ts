/**
 * Where the region comes from when `providers.ecs.region` is empty: AWS_REGION /
 * AWS_DEFAULT_REGION, then the ECS task metadata endpoint (Fargate and ECS on EC2), then EC2
 * instance metadata — only when this machine looks like EC2, with a short timeout, since waiting
 * for 169.254.169.254 where it does not exist is what broke Traefik on Fargate (#7096).
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '@wharf/core';

/** Where the region was found (logged at start-up). */
export type RegionSource = 'option' | 'env' | 'task-metadata' | 'imds';

/** What region resolution may consult; tests replace the parts. */
export interface RegionLookup {
  readonly env: NodeJS.ProcessEnv;
  /** Whether this looks like an EC2 instance (default: the DMI/hypervisor files say so). */
  readonly isEc2?: () => boolean;
  /** Per-request timeout for metadata endpoints (default 1 s). */
  readonly timeoutMs?: number;
}

/**
 * Resolves the region.
 * @throws ConfigError (`providers.ecs.region`, code `ECS_NO_REGION`) when no source has one.
 */
export async function resolveRegion(option: string, lookup: RegionLookup): Promise<{ region: string; source: RegionSource }> {
  if (option.trim() !== '') return { region: option.trim(), source: 'option' };
  const fromEnv = lookup.env.AWS_REGION?.trim() || lookup.env.AWS_DEFAULT_REGION?.trim();
  if (fromEnv) return { region: fromEnv, source: 'env' };
  const timeoutMs = lookup.timeoutMs ?? 1_000;
  const metadataUri = lookup.env.ECS_CONTAINER_METADATA_URI_V4 || lookup.env.ECS_CONTAINER_METADATA_URI;
  if (metadataUri) {
    const region = await regionFromTaskMetadata(metadataUri, timeoutMs);
    if (region) return { region, source: 'task-metadata' };
  }
  const imdsDisabled = lookup.env.AWS_EC2_METADATA_DISABLED?.toLowerCase() === 'true';
  if (!imdsDisabled && (lookup.isEc2 ?? looksLikeEc2)()) {
    const region = await regionFromImds(lookup.env.AWS_EC2_METADATA_SERVICE_ENDPOINT || 'http://169.254.169.254', timeoutMs);
    if (region) return { region, source: 'imds' };
  }
  throw new ConfigError(
    'providers.ecs.region',
    'no AWS region found: set --providers.ecs.region=<region> (or WHARF_PROVIDERS_ECS_REGION), or the AWS_REGION environment variable',
    { code: 'ECS_NO_REGION' },
  );
}

/** `<uri>/task`: the cluster ARN's region, else the availability zone without its letter. */
async function regionFromTaskMetadata(uri: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(`${uri.replace(/\/$/, '')}/task`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    const task = (await response.json()) as { Cluster?: string; TaskARN?: string; AvailabilityZone?: string };
    for (const arn of [task.Cluster, task.TaskARN]) {
      const region = arn?.startsWith('arn:') ? arn.split(':')[3] : undefined;
      if (region) return region;
    }
    const zone = task.AvailabilityZone;
    return zone && /^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/.test(zone) ? zone.slice(0, -1) : undefined;
  } catch {
    return undefined;
  }
}

/** IMDSv2: a session token, then the placement region. */
async function regionFromImds(base: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const root = base.replace(/\/$/, '');
    const tokenResponse = await fetch(`${root}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' }, signal: AbortSignal.timeout(timeoutMs) });
    if (!tokenResponse.ok) return undefined;
    const token = await tokenResponse.text();
    const response = await fetch(`${root}/latest/meta-data/placement/region`, { headers: { 'x-aws-ec2-metadata-token': token }, signal: AbortSignal.timeout(timeoutMs) });
    const region = response.ok ? (await response.text()).trim() : '';
    return region || undefined;
  } catch {
    return undefined;
  }
}

/** Nitro instances say "Amazon EC2" in DMI; Xen ones have a hypervisor UUID starting with "ec2". */
function looksLikeEc2(): boolean {
  const read = (path: string): string => {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch {
      return '';
    }
  };
  return /amazon ec2/i.test(read('/sys/class/dmi/id/sys_vendor')) || /^ec2/i.test(read('/sys/hypervisor/uuid')) || /^i-[0-9a-f]{8,}$/.test(read('/sys/class/dmi/id/board_asset_tag'));
}
