export { BenchReport, benchDir } from './bench-report';
export type { BenchMetric, BenchReportJson, BenchTarget } from './bench-report';
export { addBuckets, bucketDelta, bucketQuantile, readBuckets } from './histogram';
export type { Buckets } from './histogram';
