import { integer, optionalText, text } from '../env-schema';

/**
 * What docker-compose.yml itself reads from .env, beyond the services' own variables: passwords of
 * the engines it runs, where it publishes ports, and the events topic's retention.
 */
export const DEPLOYMENT_ENV = {
  postgresPassword: optionalText('POSTGRES_PASSWORD', {
    secret: true,
    description: 'Compose: password of the Postgres superuser `chronicle` (required by compose).',
  }),
  grafanaAdminPassword: optionalText('GRAFANA_ADMIN_PASSWORD', {
    secret: true,
    description: 'Compose: Grafana’s admin password (required by compose; there is no anonymous access).',
  }),
  grafanaAdminUser: text('GRAFANA_ADMIN_USER', {
    default: 'admin',
    description: 'Compose: Grafana’s admin user.',
  }),
  prometheusRetention: text('PROMETHEUS_RETENTION', {
    default: '15d',
    pattern: /^\d+[smhdwy]$/,
    patternText: 'a duration such as 15d',
    description: 'Compose: how long Prometheus keeps its samples.',
  }),
  bindAddress: text('CHRONICLE_BIND_ADDRESS', {
    default: '127.0.0.1',
    description:
      'Compose: the host address every published port binds to; 0.0.0.0 to publish them on the network.',
  }),
  kafkaExternalHost: text('KAFKA_EXTERNAL_HOST', {
    default: '127.0.0.1',
    description: 'Compose: the host name Kafka advertises to clients outside compose.',
  }),
  kafkaExternalPort: integer('KAFKA_EXTERNAL_PORT', {
    default: 19092,
    min: 1,
    max: 65_535,
    description: 'Compose: the port of Kafka’s external listener on the host.',
  }),
  eventsTopicRetentionDays: integer('EVENTS_TOPIC_RETENTION_DAYS', {
    default: 30,
    min: 1,
    max: 3_650,
    description:
      'Compose: days the events topic keeps records — the replay window: the stores can be rebuilt by replaying this many days.',
  }),
};
