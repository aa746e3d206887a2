import { randomBytes } from 'node:crypto';

/** A key pair the emulator accepts, with what it may do. */
export interface EmulatorCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Present for temporary credentials; requests must then carry it as `X-Amz-Security-Token`. */
  readonly sessionToken?: string;
  /** When set, requests signed after this instant fail with `ExpiredTokenException`. */
  readonly expiresAt?: Date;
  /**
   * IAM-like allow list of actions, such as `ecs:ListTasks`, `ecs:Describe*` or `*`.
   * Absent means everything is allowed. Anything not matched gets `AccessDeniedException`.
   */
  readonly allow?: readonly string[];
  /** The principal named in AccessDenied messages. */
  readonly principalArn?: string;
}

/** Options for {@link CredentialStore.issue}. */
export interface IssueCredentialsOptions {
  /** Temporary credentials (`ASIA…` key, session token, expiry). Defaults to false. */
  readonly temporary?: boolean;
  /** Lifetime of temporary credentials; 6 hours by default, like ECS task roles. */
  readonly ttlMs?: number;
  readonly allow?: readonly string[];
  readonly principalArn?: string;
}

const SIX_HOURS_MS = 6 * 60 * 60 * 1000;
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomKeyId(prefix: string): string {
  const bytes = randomBytes(16);
  let id = prefix;
  for (const byte of bytes) id += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  return id;
}

/** Every key pair the emulator knows, by access key id. */
export class CredentialStore {
  readonly #byKeyId = new Map<string, EmulatorCredentials>();

  /** Accepts `credentials` from now on; re-adding a key id replaces it. */
  add(credentials: EmulatorCredentials): EmulatorCredentials {
    this.#byKeyId.set(credentials.accessKeyId, credentials);
    return credentials;
  }

  /** Creates, stores and returns a fresh key pair shaped like AWS's (`AKIA…`/`ASIA…`, 40-char secret). */
  issue(options: IssueCredentialsOptions = {}): EmulatorCredentials {
    const temporary = options.temporary ?? false;
    const credentials: EmulatorCredentials = {
      accessKeyId: randomKeyId(temporary ? 'ASIA' : 'AKIA'),
      secretAccessKey: randomBytes(30).toString('base64'),
      ...(temporary
        ? {
            sessionToken: randomBytes(96).toString('base64'),
            expiresAt: new Date(Date.now() + (options.ttlMs ?? SIX_HOURS_MS)),
          }
        : {}),
      ...(options.allow === undefined ? {} : { allow: options.allow }),
      ...(options.principalArn === undefined ? {} : { principalArn: options.principalArn }),
    };
    return this.add(credentials);
  }

  /** The key pair with this access key id, or undefined. */
  get(accessKeyId: string): EmulatorCredentials | undefined {
    return this.#byKeyId.get(accessKeyId);
  }

  /** Stops accepting `accessKeyId`; true if it was known. */
  remove(accessKeyId: string): boolean {
    return this.#byKeyId.delete(accessKeyId);
  }
}

/** Whether `allow` (IAM-style patterns with `*` and `?`, case-insensitive) permits `action`. */
export function isActionAllowed(allow: readonly string[] | undefined, action: string): boolean {
  if (allow === undefined) return true;
  return allow.some((pattern) => {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp(`^${source}$`, 'i').test(action);
  });
}
