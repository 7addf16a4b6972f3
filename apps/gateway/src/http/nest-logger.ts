import type { Logger } from '@chronicle/observability';
import type { LoggerService } from '@nestjs/common';

/** Nest's own messages as our JSON lines; its start-up chatter (every mapped route) is left out. */
export function nestLogger(logger: Logger): LoggerService {
  const text = (message: unknown) => (typeof message === 'string' ? message : String(message));
  return {
    log: () => undefined,
    warn: (message: unknown) => logger.warn(text(message), { from: 'nest' }),
    error: (message: unknown) => logger.error(text(message), { from: 'nest' }),
  };
}
