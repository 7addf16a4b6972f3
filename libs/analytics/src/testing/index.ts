// @chronicle/analytics/testing: the deterministic dataset and the plain-TypeScript reference
// computation, for tests of anything that feeds or reads the analytics model. Never for shipped code.
export { ReferenceAnalytics } from './reference-analytics.model';
export { generateSyntheticActivity, userId } from './synthetic-activity.generator';
export type { SyntheticActivityOptions } from './synthetic-activity.generator';
