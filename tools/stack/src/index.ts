export { startStack, stopStack, stackStatus, stackEnvironment } from './stack';
export type { EngineStatus, RunningStack, StackRunOptions } from './stack';
export { findRepoRoot, resolveStackConfig, DEFAULT_PORTS } from './stack-config';
export type { StackConfig, StackOptions, StackPorts, EngineName } from './stack-config';
export {
  ensureKafkaJars,
  formatKafkaStorage,
  jvmOptions,
  newClusterId,
  runKafkaClass,
  singleNodeProperties,
  STACK_TOPICS,
  startKafkaProcess,
} from './engines/kafka';
export { ensureTopics } from './kafka-topics';
export { findProcessesMentioning, isAlive, spawnDaemon, stopProcess } from './processes';
export { startClickHouseEndpoint } from './clickhouse-http/clickhouse-endpoint';
export type { ClickHouseEndpoint } from './clickhouse-http/clickhouse-endpoint';
export { waitFor, waitForMetrics } from './wait-for';
export { stackEnvironmentFromEnv } from './stack-environment';
export type { StackEnvironment } from './stack-environment';
export { createTestTopic } from './test-topic';
export type { TestTopic, ReceivedMessage } from './test-topic';
export { createTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
export { waitForGroupCaughtUp } from './consumer-group';
export { spawnService } from './service-process';
export type { ServiceProcess, SpawnServiceOptions } from './service-process';
export { startTestPgBouncer } from './test-pgbouncer';
export type { PgBouncerLogin, TestPgBouncer, TestPgBouncerOptions } from './test-pgbouncer';
export { freePort } from './free-port';
export { startSecureKafka } from './secure-kafka';
export type {
  SaslMechanism,
  SecureKafka,
  SecureKafkaClientSecurity,
  SecureKafkaOptions,
} from './secure-kafka';
export { makeTestCertificates } from './test-certificates';
export type { TestCertificates } from './test-certificates';
export { withKafkaAdmin } from './kafka-admin';
export { spawnSimulator } from './simulator-process';
export type { SimulatorProcess } from './simulator-process';
