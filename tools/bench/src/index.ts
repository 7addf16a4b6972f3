export { BenchReport, benchDir } from './bench-report';
export { profiled } from './cpu-profile';
export type { BenchMetric, BenchReportJson, BenchTarget } from './bench-report';
export { addBuckets, bucketDelta, bucketQuantile, readBuckets } from './histogram';
export type { Buckets } from './histogram';
export { freshnessPercentiles, producePaced } from './paced-load';
