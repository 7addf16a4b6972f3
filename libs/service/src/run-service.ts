import { createLogger, errorMessage, type Logger } from '@chronicle/observability';
import { ConfigError, readEnv, RUNTIME_ENV, type Env } from '@chronicle/config';

export interface RunServiceOptions<Config> {
  /** The service's name in its log lines. */
  name: string;
  loadConfig(env: Env): Config;
  start(config: Config, logger: Logger): Promise<{ stop(): Promise<void> }>;
  env?: Env;
  exit?: (code: number) => void;
  /** The process object whose signals and failures are handled (a test passes its own emitter). */
  process?: Pick<NodeJS.Process, 'once' | 'on'>;
}

/**
 * The life of a Chronicle process: read the configuration (exit 2 naming the variable if it is
 * wrong), start (exit 1 if that fails), and stop gracefully — the service finishes what is in
 * flight — on the first SIGTERM or SIGINT (exit 0), or after an unhandled rejection or an uncaught
 * exception, which are logged (exit 1). A stop that takes longer than `STOP_DEADLINE_MS` (30 s) is
 * cut short with exit 1, so an orchestrator never waits on a hung shutdown.
 */
export async function runService<Config>(options: RunServiceOptions<Config>): Promise<void> {
  const logger = createLogger(options.name);
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const host = options.process ?? process;
  const env = options.env ?? process.env;
  let config: Config;
  let deadlineMs: number;
  try {
    config = options.loadConfig(env);
    deadlineMs = readEnv(RUNTIME_ENV, env).stopDeadlineMs;
  } catch (error) {
    logger.error(
      error instanceof ConfigError ? `configuration: ${error.message}` : 'could not read the configuration',
      { error: errorMessage(error) },
    );
    return exit(2);
  }

  let service: { stop(): Promise<void> } | undefined;
  let stopping = false;
  const stop = (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${reason}: finishing the work in flight`);
    const deadline = setTimeout(() => {
      logger.error('stop took longer than its deadline; exiting', { deadlineMs });
      exit(1);
    }, deadlineMs);
    deadline.unref();
    (service?.stop() ?? Promise.resolve()).then(
      () => {
        clearTimeout(deadline);
        exit(code);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        logger.error('stop failed', { error: errorMessage(error) });
        exit(1);
      },
    );
  };
  // Installed before the start, so that a failure while starting is logged and stops what started.
  host.on('unhandledRejection', (reason: unknown) => {
    logger.error('unhandled promise rejection; stopping', { error: errorMessage(reason) });
    stop('unhandled rejection', 1);
  });
  host.on('uncaughtException', (error: Error) => {
    logger.error('uncaught exception; stopping', { error: errorMessage(error) });
    stop('uncaught exception', 1);
  });
  host.once('SIGTERM', () => stop('SIGTERM', 0));
  host.once('SIGINT', () => stop('SIGINT', 0));

  try {
    service = await options.start(config, logger);
  } catch (error) {
    logger.error('could not start', { error: errorMessage(error) });
    stopping = true;
    return exit(1);
  }
}
