import type { HealthReport } from '@chronicle/observability';

// Injection tokens for what the gateway builds before Nest starts (connections, clients, config).
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
export const READINESS = Symbol('READINESS');
export const EVENTS_DATA_SOURCE = Symbol('EVENTS_DATA_SOURCE');
export const CLICKHOUSE = Symbol('CLICKHOUSE');
export const RECORD_PUBLISHER = Symbol('RECORD_PUBLISHER');
export const LOGGER = Symbol('LOGGER');

export type Readiness = () => Promise<HealthReport>;
