// The gateway process: configuration from the environment; SIGTERM/SIGINT stop it gracefully.
import { runService } from '@chronicle/service';
import { loadGatewayConfig } from './gateway.config';
import { startGateway } from './gateway';

void runService({
  name: 'gateway',
  loadConfig: loadGatewayConfig,
  start: (config, logger) => startGateway(config, { logger }),
});
