export { BenchReport, benchDir } from './bench-report';
export type { BenchMetric, BenchReportJson, BenchTarget } from './bench-report';
