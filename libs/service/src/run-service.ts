import { createLogger, errorMessage, type Logger } from '@chronicle/observability';
import { ConfigError, type Env } from './env-config';

export interface RunServiceOptions<Config> {
  /** The service's name in its log lines. */
  name: string;
  loadConfig(env: Env): Config;
  start(config: Config, logger: Logger): Promise<{ stop(): Promise<void> }>;
  env?: Env;
  exit?: (code: number) => void;
}

/**
 * The life of a Chronicle process: read the configuration (exit 2 naming the variable if it is
 * wrong), start, and on the first SIGTERM or SIGINT stop gracefully (the service finishes what is in
 * flight) and exit 0. A failure to start exits 1.
 */
export async function runService<Config>(options: RunServiceOptions<Config>): Promise<void> {
  const logger = createLogger(options.name);
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let config: Config;
  try {
    config = options.loadConfig(options.env ?? process.env);
  } catch (error) {
    logger.error(
      error instanceof ConfigError ? `configuration: ${error.message}` : 'could not read the configuration',
      {
        error: errorMessage(error),
      },
    );
    return exit(2);
  }
  let service: { stop(): Promise<void> };
  try {
    service = await options.start(config, logger);
  } catch (error) {
    logger.error('could not start', { error: errorMessage(error) });
    return exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing the work in flight`);
    service.stop().then(
      () => exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error: errorMessage(error) });
        exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
