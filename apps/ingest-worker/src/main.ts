// The ingest worker process: configuration from the environment; SIGTERM/SIGINT finish the batch in flight.
import { runService } from '@chronicle/service';
import { loadIngestWorkerConfig } from './ingest-worker.config';
import { startIngestWorker } from './ingest-worker';

void runService({
  name: 'ingest-worker',
  loadConfig: loadIngestWorkerConfig,
  start: (config, logger) => startIngestWorker(config, { logger }),
});
