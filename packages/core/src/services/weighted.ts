import type { ServerResponse } from 'node:http';
import type { WharfRequest } from '../middlewares/middleware-factory.js';
import { sendError } from '../proxy/send-error.js';
import type { ServiceHandler } from './service-handler.js';
import { SmoothWeightedRoundRobin, type WeightedItem } from './smooth-wrr.js';

class WeightedChild implements WeightedItem {
  constructor(
    readonly handler: ServiceHandler,
    readonly weight: number,
  ) {}
  available(): boolean {
    return this.handler.available();
  }
}

/** A `weighted` service: smooth weighted round robin between child services; a child that cannot serve is skipped. */
export class WeightedService implements ServiceHandler {
  private readonly children: WeightedChild[];
  private readonly wrr: SmoothWeightedRoundRobin<WeightedChild>;

  constructor(children: ReadonlyArray<{ handler: ServiceHandler; weight: number }>) {
    this.children = children.map((c) => new WeightedChild(c.handler, c.weight));
    this.wrr = new SmoothWeightedRoundRobin(this.children);
  }

  handle(req: WharfRequest, res: ServerResponse): void {
    const child = this.wrr.next();
    if (!child) {
      sendError(res, 503);
      return;
    }
    child.handler.handle(req, res);
  }

  available(): boolean {
    return this.children.some((c) => c.weight > 0 && c.available());
  }
}
