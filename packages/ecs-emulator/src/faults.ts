import { AwsServiceError, type AwsService } from './aws-error.js';

/** What an injected fault does to a matching call. */
export type FaultKind = 'throttle' | 'server-error' | 'latency' | 'error';

/** Describes a fault to inject; see {@link FaultInjector.inject}. */
export interface FaultSpec {
  readonly kind: FaultKind;
  /** Operation name (`ListTasks`), qualified (`ecs:ListTasks`, `ec2:DescribeInstances`) or `*`; all when absent. */
  readonly operation?: string;
  /** Restricts the fault to one service. */
  readonly service?: AwsService;
  /** Applies to the next N matching calls only; forever when absent. */
  readonly times?: number;
  /** Applies to this fraction (0–1) of matching calls, drawn from the emulator's seeded PRNG. */
  readonly ratio?: number;
  /** For `latency`: the delay added before the call is answered. */
  readonly latencyMs?: number;
  /** For `error`: the error code, status (400 by default) and message. */
  readonly code?: string;
  readonly statusCode?: number;
  readonly message?: string;
}

/** A fault that is in force. */
export interface InjectedFault {
  readonly id: number;
  readonly spec: FaultSpec;
  /** How many calls this fault has affected so far. */
  readonly hits: number;
  /** Withdraws the fault. */
  remove(): void;
}

/** The outcome of the faults for one call. */
export interface FaultDecision {
  readonly delayMs: number;
  readonly error?: AwsServiceError;
  readonly kind?: FaultKind;
}

interface ActiveFault {
  id: number;
  spec: FaultSpec;
  hits: number;
}

// Small deterministic PRNG (mulberry32) so ratio-based faults are reproducible from a seed.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The error each service answers when it throttles or fails internally. */
export function faultError(service: AwsService, kind: 'throttle' | 'server-error'): AwsServiceError {
  if (kind === 'throttle') {
    return service === 'ec2'
      ? new AwsServiceError('RequestLimitExceeded', 503, 'Request limit exceeded.')
      : new AwsServiceError('ThrottlingException', 400, 'Rate exceeded');
  }
  if (service === 'ec2') return new AwsServiceError('InternalError', 500, 'An internal error has occurred');
  if (service === 'ssm') return new AwsServiceError('InternalServerError', 500, 'An internal server error occurred.');
  return new AwsServiceError('ServerException', 500, 'Service Unavailable. Please try again later.');
}

/** Per-operation fault injection: throttling, server errors, custom errors and added latency. */
export class FaultInjector {
  readonly #faults: ActiveFault[] = [];
  readonly #random: () => number;
  #nextId = 1;

  /** @param seed - seeds the PRNG used by `ratio`. */
  constructor(seed = 1) {
    this.#random = mulberry32(seed);
  }

  /** Puts a fault in force; faults are evaluated in injection order and the first error wins. */
  inject(spec: FaultSpec): InjectedFault {
    if (spec.ratio !== undefined && !(spec.ratio >= 0 && spec.ratio <= 1)) {
      throw new RangeError(`Fault ratio must be between 0 and 1, got ${spec.ratio}`);
    }
    const fault: ActiveFault = { id: this.#nextId++, spec: { ...spec }, hits: 0 };
    this.#faults.push(fault);
    const faults = this.#faults;
    return {
      id: fault.id,
      spec: fault.spec,
      get hits() {
        return fault.hits;
      },
      remove: () => {
        const index = faults.indexOf(fault);
        if (index >= 0) faults.splice(index, 1);
      },
    };
  }

  /** Withdraws every fault. */
  clear(): void {
    this.#faults.length = 0;
  }

  /** The faults in force, as specs. */
  list(): FaultSpec[] {
    return this.#faults.map((fault) => fault.spec);
  }

  /** Decides what happens to one call of `service`'s `operation`, consuming `times` budgets. */
  decide(service: AwsService, operation: string): FaultDecision {
    let delayMs = 0;
    for (const fault of [...this.#faults]) {
      const { spec } = fault;
      if (!matches(spec, service, operation)) continue;
      if (spec.ratio !== undefined && this.#random() >= spec.ratio) continue;
      fault.hits++;
      if (spec.times !== undefined && fault.hits >= spec.times) this.#faults.splice(this.#faults.indexOf(fault), 1);
      if (spec.kind === 'latency') {
        delayMs += spec.latencyMs ?? 0;
        continue;
      }
      const error =
        spec.kind === 'error'
          ? new AwsServiceError(spec.code ?? 'ServerException', spec.statusCode ?? 400, spec.message ?? 'Injected fault')
          : faultError(service, spec.kind);
      return { delayMs, error, kind: spec.kind };
    }
    return { delayMs };
  }
}

function matches(spec: FaultSpec, service: AwsService, operation: string): boolean {
  if (spec.service !== undefined && spec.service !== service) return false;
  const target = spec.operation;
  if (target === undefined || target === '*') return true;
  const colon = target.indexOf(':');
  return colon < 0 ? target === operation : target.slice(0, colon) === service && target.slice(colon + 1) === operation;
}
