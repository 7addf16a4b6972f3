import * as api from './index';

describe('@chronicle/config', () => {
  it('exports the schemas, their reader and the docs renderers, nothing else', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ANALYTICS_MIGRATION_ENV',
      'ANALYTICS_WORKER_ENV',
      'ConfigError',
      'EVENTS_STORE_MIGRATION_ENV',
      'GATEWAY_ENV',
      'INGEST_WORKER_ENV',
      'KAFKA_ENV',
      'RUNTIME_ENV',
      'SERVICE_ENVIRONMENTS',
      'SIMULATOR_ENV',
      'TOPIC_ENV',
      'clickhouseConnection',
      'kafkaConnection',
      'readEnv',
      'renderConfigurationDoc',
      'renderEnvExample',
    ]);
  });
});
