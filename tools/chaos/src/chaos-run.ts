import { randomInt } from 'node:crypto';
import { AnalyticsQueries } from '@chronicle/analytics';
import { ReferenceAnalytics } from '@chronicle/analytics/testing';
import {
  createPseudonymizer,
  encodeBinary,
  TOPICS,
  type ActivityEvent,
  type ErasureCompletion,
} from '@chronicle/contracts';
import { DLQ_HEADERS } from '@chronicle/kafka';
import { waitFor, waitForGroupCaughtUp } from '@chronicle/stack';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { DriverProducer } from './driver-producer';
import { ChaosRig, CLICKHOUSE_DATABASE, GROUPS, type RigPorts } from './chaos-rig';
import { appViewed, erasureRequestMessage, poisonRecords, redeliveries } from './driver-records';
import { asActivityEvent, readLedger, toLedgerEvent, type LedgerEvent } from './ledger';
import { formatReport, type ChaosReport, type FaultFigures, type Throughput } from './report';
import { peakLagBetween, recoveredAt, windowFigures } from './samples';
import { Sampler } from './sampler';
import {
  checkDeadLetters,
  checkDropsAccounted,
  checkErasures,
  checkFigure,
  checkNoCrashes,
  checkStoredIds,
  type Check,
  type ErasureOutcome,
} from './verdict';

export interface ChaosOptions {
  title: string;
  /** Where the run keeps its engines' data, the ledger and the logs. */
  dir: string;
  ports: RigPorts;
  /** Events per second the simulator offers. */
  rate: number;
  /** The faults are spread over this long (each starts no earlier than its slot). */
  durationMs: number;
  /** The quiet windows before the first fault and after the last recovery (throughput). */
  quietMs: number;
  brokerDownMs: number;
  storeDownMs: number;
  seed: string;
  progress: (line: string) => void;
}

/** A fault: done to the running pipeline; resolves when the fault is over (the part restarted). */
interface Fault {
  name: string;
  run(): Promise<void>;
}

const INGEST_WORKERS = 3;
const ANALYTICS_WORKERS = 2;
const ERASURE_SUBJECTS = 4;
const EVENTS_PER_SUBJECT = 25;
const REDELIVERED_EVENTS = 50;
/**
 * Lag is back to normal when it holds under this many seconds of offered traffic, or under twice the
 * peak lag of the quiet window before the first fault, whichever is higher (a slower machine runs with
 * more lag at the same load)…
 */
const NORMAL_LAG_SECONDS = 2;
/** …for this long. */
const RECOVERY_HOLD_MS = 3_000;
const RECOVERY_TIMEOUT_MS = 240_000;

/**
 * The chaos run: a pipeline on a 3-broker cluster under the simulator's load, a scripted series of
 * faults, and a verdict computed from the ledger of what the SDK published and from the stores.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const began = Date.now();
  // Seconds since the start on every line: a CI log then tells how long each wait took.
  const say = (line: string) =>
    options.progress(`[chaos ${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const rig = new ChaosRig(options.dir, options.ports, say);
  try {
    say(`starting a 3-broker Kafka cluster, Postgres and ClickHouse under ${options.dir}`);
    await rig.start();
    const producer = new DriverProducer(rig.brokers);
    await producer.connect();
    try {
      return await drive(rig, producer, options, say);
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  } finally {
    say('stopping the workers and the engines');
    await rig.teardown();
    say(`done in ${((Date.now() - began) / 1000).toFixed(0)} s; logs in ${rig.logDir}`);
  }
}

async function drive(
  rig: ChaosRig,
  producer: DriverProducer,
  options: ChaosOptions,
  say: (line: string) => void,
): Promise<ChaosReport> {
  say(`starting ${INGEST_WORKERS} ingest and ${ANALYTICS_WORKERS} analytics workers`);
  await Promise.all([
    ...Array.from({ length: INGEST_WORKERS }, () => rig.fleet.spawn('ingest')),
    ...Array.from({ length: ANALYTICS_WORKERS }, () => rig.fleet.spawn('analytics')),
  ]);
  const sampler = new Sampler({
    brokers: rig.brokers,
    topic: TOPICS.events,
    groups: GROUPS,
    workers: () => rig.fleet.running(),
  });
  const tag = String(Date.now());
  const driverEvents: ActivityEvent[] = [];
  const subjects = Array.from({ length: ERASURE_SUBJECTS }, (_, i) => `chaos-erasure-${tag}-${i}`);
  const subjectEvents = subjects.flatMap((user) =>
    Array.from({ length: EVENTS_PER_SUBJECT }, (_, i) => appViewed(user, `app_${i % 5}`, 60_000 * (i + 1))),
  );
  const originals = Array.from({ length: REDELIVERED_EVENTS }, (_, i) =>
    appViewed(`chaos-redelivered-${tag}-${i % 10}`, `app_${i % 7}`, 1_000 * i),
  );
  await producer.send(TOPICS.events, [...subjectEvents, ...originals].map(encodeBinary));
  driverEvents.push(...subjectEvents, ...originals);

  say(`the simulator offers ${options.rate} events/s`);
  const simulator = rig.startSimulator(options.rate, options.seed);
  const trafficStartedAt = Date.now();
  const faults: FaultFigures[] = [];
  const timeline: Array<{ fault: string; startedAt: string; endedAt: string }> = [];
  const poison = new Map<string, string>();
  const erasureRequests: string[] = [];
  let simulatorResult: Awaited<ReturnType<typeof simulator.stop>> | undefined;
  sampler.start();
  try {
    const keepingUp = Math.max(500, options.rate * NORMAL_LAG_SECONDS);
    await waitFor(() => recoveredAt(sampler.samples, 0, keepingUp, RECOVERY_HOLD_MS), {
      timeoutMs: 120_000,
      what: 'the pipeline to keep up with the offered load',
    });
    const quietFrom = Date.now();
    const before = await throughput(rig, options.quietMs);
    const normalLag = Math.max(keepingUp, 2 * peakLagBetween(sampler.samples, quietFrom, Date.now()));
    say(
      `before the faults: ${before.postgres.toFixed(0)} events/s into Postgres, ${before.clickhouse.toFixed(0)} into ClickHouse; ` +
        `recovered means both groups' lag under ${normalLag} for ${RECOVERY_HOLD_MS / 1000} s`,
    );

    const plan = faultPlan(
      rig,
      producer,
      options,
      { subjects, originals, poison, erasureRequests, sampler, normalLag },
      say,
    );
    const start = Date.now();
    const slotMs = Math.max(0, options.durationMs - 2 * options.quietMs) / plan.length;
    for (const [index, fault] of plan.entries()) {
      const slot = start + index * slotMs;
      if (Date.now() < slot) await delay(slot - Date.now());
      say(`fault ${index + 1}/${plan.length}: ${fault.name}`);
      const startedAt = Date.now();
      await fault.run();
      const endedAt = Date.now();
      timeline.push({
        fault: fault.name,
        startedAt: new Date(startedAt).toISOString(),
        endedAt: new Date(endedAt).toISOString(),
      });
      const reporting = setInterval(() => say(`  waiting to recover: ${describeLag(sampler)}`), 30_000);
      const recovered = await waitFor(
        () => recoveredAt(sampler.samples, endedAt, normalLag, RECOVERY_HOLD_MS),
        {
          timeoutMs: RECOVERY_TIMEOUT_MS,
          intervalMs: 500,
          what: `the pipeline to recover from "${fault.name}"`,
        },
      )
        .catch(() => undefined)
        .finally(() => clearInterval(reporting));
      if (recovered === undefined) say(`  not recovered: ${describeLag(sampler)}`);
      const figures = windowFigures(sampler.samples, startedAt, recovered ?? Date.now());
      faults.push({
        name: fault.name,
        faultSeconds: (endedAt - startedAt) / 1000,
        recoverySeconds: recovered === undefined ? undefined : Math.max(0, recovered - endedAt) / 1000,
        ...figures,
      });
      say(
        `  the fault lasted ${((endedAt - startedAt) / 1000).toFixed(1)} s; recovered ${recovered === undefined ? 'NOT within the timeout' : `${((recovered - endedAt) / 1000).toFixed(1)} s after`}; ` +
          `peak lag ${figures.peakLag.ingest ?? '?'} (ingest) / ${figures.peakLag.analytics ?? '?'} (analytics)`,
      );
    }
    // The traffic lasts the run's length at least: the last quiet window ends no earlier.
    await delay(trafficStartedAt + options.durationMs - options.quietMs - Date.now());
    const after = await throughput(rig, options.quietMs);
    say(
      `after the faults: ${after.postgres.toFixed(0)} events/s into Postgres, ${after.clickhouse.toFixed(0)} into ClickHouse`,
    );
    simulatorResult = await simulator.stop();
    const trafficSeconds = Math.round((Date.now() - trafficStartedAt) / 1000);
    rig.writeLog('simulator.log', simulatorResult.stderr + simulatorResult.stdout);
    say('the simulator stopped; waiting for both groups to reach the end of the topics');
    // Each worker reads erasure requests in a group of its own (`<group>.erasure`).
    for (const groupId of Object.values(GROUPS)) {
      await waitForGroupCaughtUp(rig.brokers, groupId, TOPICS.events, { timeoutMs: 300_000 });
      await waitForGroupCaughtUp(rig.brokers, `${groupId}.erasure`, TOPICS.erasure, { timeoutMs: 300_000 });
    }
    await sampler.stop();

    say('computing the verdict from the ledger and the stores');
    const ledger = await readLedger(simulator.ledger);
    const erased = new Set(subjects);
    const accepted: LedgerEvent[] = [...ledger.published, ...driverEvents.map(toLedgerEvent)];
    const kept = accepted.filter((event) => !(event.actor.type === 'user' && erased.has(event.actor.id)));
    const checks: Check[] = [];
    const stored = await storedIds(rig);
    const expectedIds = new Map(kept.map((event) => [event.id, event.time]));
    checks.push(checkStoredIds('Postgres holds exactly the accepted valid events', expectedIds, stored));
    // Distinct ids: ReplacingMergeTree keeps a redelivered row until a merge, and the queries count each id once.
    const inClickHouse = await clickhouseIds(rig);
    checks.push(
      checkStoredIds("ClickHouse's events table holds every accepted valid event", expectedIds, {
        rows: inClickHouse.size,
        ids: inClickHouse,
      }),
    );
    // For a post-mortem: every event a store misses, with its actor (the Kafka key, so its partition).
    const missing = kept.filter((event) => !stored.ids.has(event.id) || !inClickHouse.has(event.id));
    rig.writeLog(
      'missing-events.ndjson',
      missing
        .map((event) =>
          JSON.stringify({
            ...event,
            postgres: stored.ids.has(event.id),
            clickhouse: inClickHouse.has(event.id),
          }),
        )
        .join('\n'),
    );
    // The anonymous aggregates keep counting an erased user's events stored before the erasure
    // (docs/analytics.md, "Erasure"), and the suite waited for them to be stored first.
    checks.push(...(await compareAnalytics(rig, accepted.map(asActivityEvent))));
    checks.push(checkDeadLetters(poison, await readDeadLetters(rig.brokers, poison.size)));
    checks.push(
      checkDropsAccounted(generatedCount(simulatorResult.stdout), ledger.published.length, ledger.dropped),
    );
    checks.push(checkErasures(await erasureOutcomes(rig, subjects, erasureRequests)));
    checks.push(checkNoCrashes(rig.fleet.unexpectedExits));
    const report: ChaosReport = {
      title: options.title,
      load: `${options.rate.toLocaleString('en-US')} events/s offered for ${trafficSeconds} s`,
      faults,
      throughput: { before, after },
      totals: {
        published: accepted.length,
        stored: stored.rows,
        deadLettered: poison.size,
        dropped: Object.values(ledger.dropped).reduce((sum, n) => sum + n, 0),
        erased: accepted.length - kept.length,
      },
      checks,
    };
    say(`verdict:\n${formatReport(report)}`);
    rig.writeLog('report.json', `${JSON.stringify({ ...report, timeline }, null, 2)}\n`);
    return report;
  } finally {
    if (!simulatorResult) await simulator.stop();
    await sampler.stop();
  }
}

interface ScenarioState {
  subjects: string[];
  originals: ActivityEvent[];
  /** `partition:offset` → the reason its dead letter must carry. */
  poison: Map<string, string>;
  erasureRequests: string[];
  sampler: Sampler;
  normalLag: number;
}

/** Every fault once, in this order; each strikes at a random moment while batches are in flight. */
function faultPlan(
  rig: ChaosRig,
  producer: DriverProducer,
  options: ChaosOptions,
  state: ScenarioState,
  say: (line: string) => void,
): Fault[] {
  const { fleet, cluster } = rig;
  const pick = <T>(items: T[]): T => items[randomInt(items.length)] as T;
  const inBatch = () => delay(randomInt(1_000));
  return [
    {
      name: 'SIGKILL an ingest worker',
      async run() {
        await inBatch();
        const victim = pick(fleet.running('ingest'));
        await fleet.stop(victim, 'SIGKILL');
        say(`  killed ${victim.name}; starting a replacement`);
        await fleet.spawn('ingest');
      },
    },
    {
      name: `SIGKILL the broker leading the most partitions, restart it ${options.brokerDownMs / 1000} s later`,
      async run() {
        await inBatch();
        const { node, partitions } = await cluster.busiestLeader(TOPICS.events);
        await cluster.kill(node);
        say(`  killed broker ${node.id} (leader of ${partitions} partitions)`);
        await delay(options.brokerDownMs);
        await cluster.restart(node);
        say(`  broker ${node.id} is back`);
      },
    },
    {
      name: `stop Postgres for ${options.storeDownMs / 1000} s`,
      async run() {
        await inBatch();
        await rig.stopEngine('postgres');
        await delay(options.storeDownMs);
        await rig.startEngine('postgres');
      },
    },
    {
      name: `stop the ClickHouse endpoint for ${options.storeDownMs / 1000} s`,
      async run() {
        await inBatch();
        await rig.stopEngine('clickhouse');
        await delay(options.storeDownMs);
        await rig.startEngine('clickhouse');
      },
    },
    {
      name: 'scale the ingest workers 3 → 1 → 3',
      async run() {
        const leaving = fleet.running('ingest').slice(1);
        await Promise.all(leaving.map((worker) => fleet.stop(worker, 'SIGTERM')));
        say(`  ${fleet.running('ingest').length} ingest worker left; waiting for it to take every partition`);
        const leftAt = Date.now();
        await waitFor(() => recoveredAt(state.sampler.samples, leftAt, state.normalLag, RECOVERY_HOLD_MS), {
          timeoutMs: 60_000,
        }).catch(() => undefined);
        await Promise.all(leaving.map(() => fleet.spawn('ingest')));
      },
    },
    {
      name: 'SIGKILL an analytics worker during an erasure',
      async run() {
        // The erasure must find every event of its users stored, so that what it deletes is known.
        await waitFor(
          async () =>
            (await subjectRows(rig, state.subjects)).every(
              (n) => n.postgres === EVENTS_PER_SUBJECT && n.clickhouse === EVENTS_PER_SUBJECT,
            ),
          {
            timeoutMs: 60_000,
            what: "the erased users' events to be stored in both stores",
          },
        );
        for (const user of state.subjects) {
          const { request, key, value } = erasureRequestMessage(user);
          state.erasureRequests.push(request.requestId);
          await producer.send(TOPICS.erasure, [{ key, value }]);
        }
        await delay(250 + randomInt(2_000));
        const victim = pick(fleet.running('analytics'));
        await fleet.stop(victim, 'SIGKILL');
        say(`  requested ${state.subjects.length} erasures; killed ${victim.name}; starting a replacement`);
        await fleet.spawn('analytics');
      },
    },
    {
      name: 'publish poison records (undecodable, invalid, oversized) and redeliveries',
      async run() {
        for (const record of poisonRecords(String(Date.now()))) {
          const [sent] = await producer.send(TOPICS.events, [record.message]);
          if (sent) state.poison.set(`${sent.partition}:${sent.baseOffset}`, record.expectedReason);
        }
        await producer.send(TOPICS.events, redeliveries(state.originals));
      },
    },
  ];
}

/** Events stored per second in each store over `windowMs`. */
/** The latest lag of each group, and how many of the last 30 samples the brokers did not answer. */
function describeLag(sampler: Sampler): string {
  const recent = sampler.samples.slice(-30);
  const gaps = recent.filter((s) => s.lag.ingest === undefined || s.lag.analytics === undefined).length;
  const { ingest = '?', analytics = '?' } = sampler.latest()?.lag ?? {};
  return `lag ${ingest} (ingest) / ${analytics} (analytics); ${gaps} of the last ${recent.length} samples unanswered`;
}

async function throughput(rig: ChaosRig, windowMs: number): Promise<Throughput> {
  const counts = async () => ({ postgres: await postgresRows(rig), clickhouse: await clickhouseRows(rig) });
  const first = await counts();
  const began = Date.now();
  await delay(windowMs);
  const last = await counts();
  const seconds = (Date.now() - began) / 1000;
  return {
    postgres: (last.postgres - first.postgres) / seconds,
    clickhouse: (last.clickhouse - first.clickhouse) / seconds,
  };
}

async function postgresRows(rig: ChaosRig): Promise<number> {
  const [row] = await rig.postgres.query('SELECT count(*)::bigint AS n FROM activity_events');
  return Number(row.n);
}

async function clickhouseRows(rig: ChaosRig): Promise<number> {
  const result = await rig.clickhouseClient.query({
    query: `SELECT count() AS n FROM ${CLICKHOUSE_DATABASE}.events`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string }>();
  return Number(row?.n ?? 0);
}

async function clickhouseIds(rig: ChaosRig): Promise<Set<string>> {
  const result = await rig.clickhouseClient.query({
    query: `SELECT DISTINCT toString(event_id) AS id FROM ${CLICKHOUSE_DATABASE}.events`,
    format: 'JSONCompactEachRow',
  });
  const rows = await result.json<[string]>();
  return new Set(rows.map(([id]) => id));
}

async function storedIds(rig: ChaosRig): Promise<{ rows: number; ids: Set<string> }> {
  const rows: { id: string }[] = await rig.postgres.query('SELECT id FROM activity_events');
  return { rows: rows.length, ids: new Set(rows.map((row) => row.id)) };
}

/** Events per day and type, DAU and the top apps: ClickHouse's answers against the reference's. */
async function compareAnalytics(rig: ChaosRig, events: ActivityEvent[]): Promise<Check[]> {
  const reference = new ReferenceAnalytics(events, createPseudonymizer(rig.pseudonymSecret));
  const days = events.map((event) => event.time.slice(0, 10)).sort();
  const from = days[0] as string;
  const to = days[days.length - 1] as string;
  const queries = new AnalyticsQueries(rig.clickhouseClient, {
    database: CLICKHOUSE_DATABASE,
    resolvePseudonyms: reference.resolvePseudonyms,
  });
  return [
    checkFigure(
      'ClickHouse events per day and type = ledger',
      reference.activityMix(from, to),
      await queries.activityMix({ from, to }),
    ),
    checkFigure(
      'ClickHouse DAU = ledger',
      reference.activeUsersSeries(from, to, 1),
      await queries.dailyActiveUsersSeries({ from, to }),
    ),
    checkFigure(
      'ClickHouse top 10 apps = ledger',
      reference.topEntities(from, to, 'app', 10),
      await queries.topEntities({ from, to, entityType: 'app', limit: 10 }),
    ),
  ];
}

/** Every dead letter on the DLQ, by the partition and offset of its source record. */
async function readDeadLetters(
  brokers: string[],
  atLeast: number,
): Promise<Array<{ source: string; reason: string | undefined }>> {
  const messages = await readTopic(brokers, TOPICS.dlq, atLeast);
  return messages.map((message) => ({
    source: `${header(message, DLQ_HEADERS.sourcePartition)}:${header(message, DLQ_HEADERS.sourceOffset)}`,
    reason: header(message, DLQ_HEADERS.reason),
  }));
}

async function erasureOutcomes(
  rig: ChaosRig,
  subjects: string[],
  requestIds: string[],
): Promise<ErasureOutcome[]> {
  const completions = new Map<string, Set<string>>(requestIds.map((id) => [id, new Set<string>()]));
  await waitFor(
    async () => {
      for (const message of await readTopic(rig.brokers, TOPICS.erasureStatus, 0)) {
        const completion = readCompletion(message);
        if (completion?.status === 'completed' && completion.requestId && completion.store)
          completions.get(completion.requestId)?.add(completion.store);
      }
      return [...completions.values()].every((stores) => stores.size === 2);
    },
    { timeoutMs: 120_000, intervalMs: 2_000, what: 'both stores to report every erasure complete' },
  ).catch(() => undefined);
  const remaining = await subjectRows(rig, subjects);
  return requestIds.map((requestId, index) => ({
    requestId,
    completedBy: completions.get(requestId) ?? new Set<string>(),
    remaining: remaining[index] ?? { postgres: -1, clickhouse: -1 },
  }));
}

/** Each user's distinct events in each store. */
async function subjectRows(
  rig: ChaosRig,
  users: string[],
): Promise<Array<{ postgres: number; clickhouse: number }>> {
  const pseudonymize = createPseudonymizer(rig.pseudonymSecret);
  return Promise.all(
    users.map(async (user) => {
      const [pg] = await rig.postgres.query(
        `SELECT count(*)::int AS n FROM activity_events WHERE actor_type = 'user' AND actor_id = $1`,
        [user],
      );
      const result = await rig.clickhouseClient.query({
        query: `SELECT uniqExact(event_id) AS n FROM ${CLICKHOUSE_DATABASE}.events WHERE actor_key = {key:String}`,
        query_params: { key: pseudonymize('user', user) },
        format: 'JSONEachRow',
      });
      const [ch] = await result.json<{ n: string }>();
      return { postgres: pg.n as number, clickhouse: Number(ch?.n ?? 0) };
    }),
  );
}

/** Reads a topic from the beginning to its current end (at least `atLeast` records). */
async function readTopic(brokers: string[], topic: string, atLeast: number): Promise<KafkaMessage[]> {
  const kafka = new Kafka({ clientId: 'chronicle-chaos-reader', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = ends.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  const want = Math.max(total, atLeast);
  const received: KafkaMessage[] = [];
  if (want === 0) return received;
  const consumer = kafka.consumer({ groupId: `chronicle-chaos-reader-${Date.now()}-${randomInt(1e9)}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        received.push(...batch.messages);
      },
    });
    await waitFor(() => received.length >= want, { timeoutMs: 60_000, what: `${want} records on ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

function readCompletion(message: KafkaMessage): Partial<ErasureCompletion> | undefined {
  try {
    return JSON.parse(message.value?.toString() ?? '') as Partial<ErasureCompletion>;
  } catch {
    return undefined;
  }
}

function header(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  return value === undefined ? undefined : String(value);
}

/** "sent      12,345 events in …" from the simulator's summary. */
export function generatedCount(summary: string): number {
  const match = /sent\s+([\d,]+) events/.exec(summary);
  if (!match?.[1]) throw new Error(`no "sent … events" line in the simulator's summary:\n${summary}`);
  return Number(match[1].replace(/,/g, ''));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
