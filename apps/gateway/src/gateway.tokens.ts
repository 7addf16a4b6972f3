import type { HealthReport } from '@chronicle/observability';

// Injection tokens for what the gateway builds before Nest starts and injects by token (config,
// logger, registry, readiness, the events DataSource); classes such as RecordPublisher are their own token.
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
export const READINESS = Symbol('READINESS');
export const EVENTS_DATA_SOURCE = Symbol('EVENTS_DATA_SOURCE');
export const LOGGER = Symbol('LOGGER');

export type Readiness = () => Promise<HealthReport>;
