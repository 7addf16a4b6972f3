import type { HealthReport } from '@chronicle/observability';

// Injection tokens for what the gateway builds before Nest starts and injects by token (config,
// logger, registry, readiness, the export pool, the limits); classes such as RecordPublisher are their own token.
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
export const READINESS = Symbol('READINESS');
export const EXPORT_DATA_SOURCE = Symbol('EXPORT_DATA_SOURCE');
export const GATEWAY_LIMITS = Symbol('GATEWAY_LIMITS');
export const LOGGER = Symbol('LOGGER');

export type Readiness = () => Promise<HealthReport>;
