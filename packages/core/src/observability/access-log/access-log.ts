import type { ServerResponse } from 'node:http';
import type { AccessLogConfig } from '../../config/static/types.js';
import type { WharfRequest } from '../../middlewares/middleware-factory.js';
import type { RequestObserver, RequestOutcome } from '../../server/request-observer.js';
import { isInternalRouter, trackRequest } from '../request-tracker.js';
import { buildAccessLogEntry, type AccessLogEntry } from './entry.js';
import { compileFilters, type AccessLogFilter } from './filters.js';
import { lineFormatter } from './format.js';
import { LineWriter } from './line-writer.js';

/**
 * The access log (`--accessLog`): one line per request in Traefik's `common`, `genericCLF` or
 * `json` format, filtered and trimmed as `accessLog.filters` / `accessLog.fields` say, written
 * in batches. Requests served by Wharf's own routers (`*@internal`) are left out unless
 * `addInternals`, as in Traefik.
 */
export class AccessLog implements RequestObserver {
  private readonly filter: AccessLogFilter;
  private readonly format: (entry: AccessLogEntry) => string;
  private requestCount = 0;
  private readonly addInternals: boolean;

  constructor(
    config: AccessLogConfig,
    private readonly writer: LineWriter = LineWriter.open(config.filePath, config.bufferingSize),
  ) {
    this.addInternals = config.addInternals === true;
    this.filter = compileFilters(config.filters);
    this.format = lineFormatter(config.format, config.fields);
  }

  /** Optional hook (entry points that offer it): keeps the URL before rewrites and counts body bytes. */
  requestStarted(req: WharfRequest, res: ServerResponse): void {
    trackRequest(req, res);
  }

  requestDone(req: WharfRequest, res: ServerResponse, outcome: RequestOutcome): void {
    if (!this.addInternals && isInternalRouter(req.wharf.router)) return;
    const count = ++this.requestCount;
    const entry = buildAccessLogEntry(req, res, outcome, count);
    if (!this.filter.keep(Number(entry.fields.DownstreamStatus), Number(entry.fields.RetryAttempts), outcome.durationMs)) return;
    this.writer.write(this.format(entry));
  }

  /** Writes what is buffered and releases the file. */
  close(): void {
    this.writer.close();
  }
}
