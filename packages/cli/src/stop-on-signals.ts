import { errorMessage, type Logger, type Wharf } from '@wharf/core';

/**
 * Stops `wharf` gracefully on the first SIGTERM or SIGINT (later ones are ignored while it
 * drains); resolves with the exit code, 0 once stopped, 1 when stopping failed.
 */
export function stopOnSignals(wharf: Wharf, logger: Logger, message: string): Promise<number> {
  let stopping = false;
  return new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, message);
      wharf.stop().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error({ err: errorMessage(err) }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
