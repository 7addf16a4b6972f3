import { Kafka, logLevel, type Admin } from 'kafkajs';
import { readBuckets } from '@chronicle/bench';
import type { GroupName, Sample, StoreName } from './samples';

export interface SampledWorker {
  opsUrl: string;
  store: StoreName;
}

export interface SamplerOptions {
  brokers: string[];
  topic: string;
  groups: Record<GroupName, string>;
  /** The workers running now (the fleet changes during the run). */
  workers: () => SampledWorker[];
  intervalMs?: number;
}

/**
 * Once a second: each consumer group's lag, measured at the brokers (end offsets minus committed
 * offsets, so a killed worker's partitions count until someone commits them), and each worker's
 * freshness histogram. A broker or worker that does not answer within the interval leaves a gap.
 */
export class Sampler {
  readonly samples: Sample[] = [];
  private admin: Admin | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: SamplerOptions) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await this.admin?.disconnect().catch(() => undefined);
  }

  /** The latest sample's lag of both groups (undefined parts while the brokers do not answer). */
  latest(): Sample | undefined {
    return this.samples[this.samples.length - 1];
  }

  private async loop(): Promise<void> {
    const intervalMs = this.options.intervalMs ?? 1_000;
    while (!this.stopped) {
      const began = Date.now();
      this.samples.push(await this.sample());
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - (Date.now() - began))));
    }
  }

  private async sample(): Promise<Sample> {
    const at = Date.now();
    const [lag, freshness] = await Promise.all([this.lag(), this.freshness()]);
    return { at, lag, freshness };
  }

  private async lag(): Promise<Sample['lag']> {
    const lag: Sample['lag'] = {};
    try {
      this.admin ??= await this.connectAdmin();
      const ends = new Map(
        (await this.admin.fetchTopicOffsets(this.options.topic)).map((p) => [p.partition, Number(p.high)]),
      );
      for (const [group, groupId] of Object.entries(this.options.groups) as [GroupName, string][]) {
        const [committed] = await this.admin.fetchOffsets({ groupId, topics: [this.options.topic] });
        let behind = 0;
        for (const partition of committed?.partitions ?? []) {
          const at = partition.offset === '-1' ? 0 : Number(partition.offset);
          behind += Math.max(0, (ends.get(partition.partition) ?? 0) - at);
        }
        lag[group] = behind;
      }
    } catch {
      // A broker being killed or elected: the gap shows in the samples, the next one reconnects.
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
    }
    return lag;
  }

  private async connectAdmin(): Promise<Admin> {
    const admin = new Kafka({
      clientId: 'chronicle-chaos-sampler',
      brokers: this.options.brokers,
      logLevel: logLevel.NOTHING,
      // Generous: on a saturated machine a slow answer is still an answer (a timeout leaves a gap).
      connectionTimeout: 3_000,
      requestTimeout: 5_000,
      retry: { retries: 1 },
    }).admin();
    await admin.connect();
    return admin;
  }

  private async freshness(): Promise<Sample['freshness']> {
    const freshness: Sample['freshness'] = new Map();
    await Promise.all(
      this.options.workers().map(async ({ opsUrl, store }) => {
        try {
          const response = await fetch(`${opsUrl}/metrics`, { signal: AbortSignal.timeout(2_000) });
          const buckets = readBuckets(await response.text(), 'chronicle_freshness_seconds', {
            store,
            since: 'kafka_append',
          });
          freshness.set(opsUrl, { store, buckets });
        } catch {
          // A worker just killed, or too busy to answer: no sample from it this time.
        }
      }),
    );
    return freshness;
  }
}
