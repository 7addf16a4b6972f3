export { startStack, stopStack, stackStatus, stackEnvironment } from './stack';
export type { EngineStatus, RunningStack, StackRunOptions } from './stack';
export { resolveStackConfig, DEFAULT_PORTS } from './stack-config';
export type { StackConfig, StackOptions, StackPorts, EngineName } from './stack-config';
export { runKafkaClass, STACK_TOPICS } from './engines/kafka';
export { startClickHouseEndpoint } from './clickhouse-http/clickhouse-endpoint';
export { waitFor } from './wait-for';
export { stackEnvironmentFromEnv } from './stack-environment';
export type { StackEnvironment } from './stack-environment';
