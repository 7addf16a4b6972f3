/** One series of a /metrics page: its labels and value. */
export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/**
 * The series of `metric` in a page of the Prometheus text format whose labels include `labels`: for
 * tests and tools that read a service's /metrics as Prometheus would. `metric` is a sample's full
 * name (`…_count`, `…_bucket` for a histogram's parts).
 */
export function metricSamples(
  text: string,
  metric: string,
  labels: Record<string, string> = {},
): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const own: Record<string, string> = {};
    if (line[metric.length] === '{')
      for (const [, name, value] of line.slice(metric.length + 1, line.lastIndexOf('}')).matchAll(LABEL))
        own[name as string] = (value as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    if (Object.entries(labels).every(([name, value]) => own[name] === value))
      samples.push({ labels: own, value: Number(line.slice(line.lastIndexOf(' ') + 1)) });
  }
  return samples;
}

/** The sum of the series of `metric` whose labels include `labels` (every series by default). */
export function metricSum(text: string, metric: string, labels: Record<string, string> = {}): number {
  return metricSamples(text, metric, labels).reduce((sum, sample) => sum + sample.value, 0);
}

/**
 * Whether a /metrics page reports `chronicle_kafka_consumer_lag` 0 for each of `partitions` partitions
 * of `topic`: the broker's answer (read on the worker's timer) that its group has caught up.
 */
export function lagCaughtUp(text: string, topic: string, partitions: number): boolean {
  const lag = metricSamples(text, 'chronicle_kafka_consumer_lag', { topic });
  return lag.length === partitions && lag.every((sample) => sample.value === 0);
}
