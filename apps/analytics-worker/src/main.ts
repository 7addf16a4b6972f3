// The analytics worker process: configuration from the environment; SIGTERM/SIGINT finish the batch in flight.
import { runService } from '@chronicle/service';
import { loadAnalyticsWorkerConfig } from './analytics-worker.config';
import { startAnalyticsWorker } from './analytics-worker';

void runService({
  name: 'analytics-worker',
  loadConfig: loadAnalyticsWorkerConfig,
  start: (config, logger) => startAnalyticsWorker(config, { logger }),
});
