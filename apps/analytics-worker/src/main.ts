// The analytics worker process: configuration from the environment, SIGTERM/SIGINT finish the batch in flight.
import { createLogger, errorMessage } from '@chronicle/observability';
import { ConfigError, loadAnalyticsWorkerConfig } from './analytics-worker.config';
import { startAnalyticsWorker } from './analytics-worker';

async function main(): Promise<void> {
  const logger = createLogger('analytics-worker');
  let config;
  try {
    config = loadAnalyticsWorkerConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.error(`configuration: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const worker = await startAnalyticsWorker(config, { logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing the batch in flight`);
    worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error: errorMessage(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  createLogger('analytics-worker').error('could not start', { error: errorMessage(error) });
  process.exit(1);
});
