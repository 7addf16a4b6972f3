import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ComposeFile,
  interpolate,
  interpolateAll,
  MissingVariableError,
  readCompose,
} from './compose-file';
import { REPO_ROOT } from './repo-paths';

/*
 * docker-compose.yml as compose would read it (merge keys resolved, `${…}` interpolated from a given
 * .env). This machine has no Docker engine: nothing here starts a container; the topic job's script
 * runs under sh against stand-ins for Kafka's command-line tools.
 */

const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');
const compose = readCompose(COMPOSE_FILE);
const SECRETS = {
  POSTGRES_PASSWORD: 'postgres-secret',
  CLICKHOUSE_PASSWORD: 'clickhouse-secret',
  GRAFANA_ADMIN_PASSWORD: 'grafana-secret',
  ANALYTICS_PSEUDONYM_SECRET: 'a'.repeat(64),
};
const resolved = (env: Record<string, string> = {}) =>
  interpolateAll(compose, { ...SECRETS, ...env }) as ComposeFile;
const service = (name: string, env: Record<string, string> = {}) => {
  const found = resolved(env).services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
const serviceNames = Object.keys(compose.services);
const chronicleServices = serviceNames.filter(
  (name) => compose.services[name]?.image === 'chronicle-app:local',
);
/** The jobs other services wait for to have exited 0. */
const oneShotJobs = new Set(
  Object.values(compose.services).flatMap((entry) =>
    Object.entries(entry.depends_on ?? {})
      .filter(([, { condition }]) => condition === 'service_completed_successfully')
      .map(([name]) => name),
  ),
);
const megabytes = (memory: string) => {
  const [, amount, unit] = /^(\d+(?:\.\d+)?)([MG])$/.exec(memory) ?? [];
  return Number(amount) * (unit === 'G' ? 1024 : 1);
};

describe('docker-compose.yml: Kafka', () => {
  it('keeps its log on its data volume (KAFKA_LOG_DIRS is the mounted path)', () => {
    const kafka = service('kafka');
    const logDirs = String(kafka.environment?.['KAFKA_LOG_DIRS']);
    const mount = kafka.volumes?.find((volume) => volume.endsWith(`:${logDirs}`));
    expect(mount).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(mount?.split(':')[0]);
  });

  it('advertises an INTERNAL listener for the compose network and an EXTERNAL one for clients outside it', () => {
    const byDefault = service('kafka').environment ?? {};
    expect(byDefault['KAFKA_ADVERTISED_LISTENERS']).toBe('INTERNAL://kafka:9092,EXTERNAL://127.0.0.1:19092');
    const listenerNames = String(byDefault['KAFKA_LISTENERS'])
      .split(',')
      .map((listener) => listener.split(':')[0]);
    const mapped = String(byDefault['KAFKA_LISTENER_SECURITY_PROTOCOL_MAP'])
      .split(',')
      .map((entry) => entry.split(':')[0]);
    expect([...listenerNames].sort()).toEqual([...mapped].sort());
    expect(byDefault['KAFKA_INTER_BROKER_LISTENER_NAME']).toBe('INTERNAL');

    const elsewhere = service('kafka', {
      KAFKA_EXTERNAL_HOST: 'kafka.example.com',
      KAFKA_EXTERNAL_PORT: '29092',
    });
    expect(elsewhere.environment?.['KAFKA_ADVERTISED_LISTENERS']).toBe(
      'INTERNAL://kafka:9092,EXTERNAL://kafka.example.com:29092',
    );
    const externalPort = /EXTERNAL:\/\/:(\d+)/.exec(String(byDefault['KAFKA_LISTENERS']))?.[1];
    expect(elsewhere.ports).toEqual([`127.0.0.1:29092:${externalPort}`]);
    for (const name of chronicleServices.filter((name) => name !== 'migrate'))
      expect(service(name).environment?.['KAFKA_BROKERS']).toBe('kafka:9092');
  });
});

describe('docker-compose.yml: the topic job', () => {
  let stubs: string;
  beforeEach(() => {
    // Stand-ins for kafka-topics.sh and kafka-configs.sh that log how they were called.
    stubs = mkdtempSync(join(tmpdir(), 'chronicle-kafka-bin-'));
    for (const tool of ['kafka-topics.sh', 'kafka-configs.sh']) {
      writeFileSync(join(stubs, tool), `#!/bin/sh\necho "${tool} $*" >> "${join(stubs, 'calls.log')}"\n`);
      chmodSync(join(stubs, tool), 0o755);
    }
  });
  afterEach(() => rmSync(stubs, { recursive: true, force: true }));

  const runTopicJob = (env: Record<string, string> = {}) => {
    rmSync(join(stubs, 'calls.log'), { force: true });
    const job = service('kafka-topics', env);
    const script = (job.command?.[0] ?? '').replaceAll('/opt/kafka/bin/', `${stubs}/`);
    const environment = Object.fromEntries(
      Object.entries(job.environment ?? {}).map(([k, v]) => [k, String(v)]),
    );
    const run = spawnSync('/bin/sh', ['-c', script], { env: { PATH: process.env['PATH'], ...environment } });
    const log = join(stubs, 'calls.log');
    let calls: string[] = [];
    try {
      calls = readFileSync(log, 'utf8').trim().split('\n');
    } catch {
      // No tool was called.
    }
    return { status: run.status, stderr: run.stderr.toString(), calls };
  };

  it("creates the services' topics only where missing, with the partitions of the local stack", () => {
    const { status, calls } = runTopicJob();
    expect(status).toBe(0);
    const created = calls.filter((call) => call.startsWith('kafka-topics.sh'));
    expect(created).toHaveLength(4);
    for (const call of created) expect(call).toContain('--create --if-not-exists');
    const partitions = created.map((call) => /--topic (\S+) --partitions (\d+)/.exec(call)?.slice(1, 3));
    expect(partitions).toEqual([
      ['activity.events.v1', '12'],
      ['activity.events.dlq.v1', '3'],
      ['activity.erasure.v1', '3'],
      ['activity.erasure.status.v1', '3'],
    ]);
    const names = ['EVENTS_TOPIC', 'DLQ_TOPIC', 'ERASURE_TOPIC', 'ERASURE_STATUS_TOPIC'];
    for (const worker of ['ingest-worker', 'analytics-worker'])
      for (const name of names)
        expect(compose.services[worker]?.environment?.[name]).toBe(
          compose.services['kafka-topics']?.environment?.[name],
        );
  });

  it("sets the events topic's retention explicitly, 30 days unless EVENTS_TOPIC_RETENTION_DAYS says otherwise", () => {
    const byDefault = runTopicJob();
    expect(byDefault.calls).toContain(
      'kafka-configs.sh --bootstrap-server kafka:9092 --alter --entity-type topics --entity-name activity.events.v1 --add-config retention.ms=2592000000',
    );
    const week = runTopicJob({ EVENTS_TOPIC_RETENTION_DAYS: '7', EVENTS_TOPIC: 'events' });
    expect(week.calls.filter((call) => call.includes('retention.ms'))).toEqual([
      'kafka-configs.sh --bootstrap-server kafka:9092 --alter --entity-type topics --entity-name events --add-config retention.ms=604800000',
    ]);
  });

  it('stops before touching a topic when the retention is not a whole number of days', () => {
    const { status, stderr, calls } = runTopicJob({ EVENTS_TOPIC_RETENTION_DAYS: '7.5' });
    expect(status).not.toBe(0);
    expect(stderr).toContain('EVENTS_TOPIC_RETENTION_DAYS');
    expect(calls).toEqual([]);
  });
});

describe('docker-compose.yml: every service', () => {
  it('restarts the long-running services and not the one-shot jobs (kafka-topics, migrate)', () => {
    expect([...oneShotJobs].sort()).toEqual(['kafka-topics', 'migrate']);
    for (const name of serviceNames)
      expect({ name, restart: compose.services[name]?.restart }).toEqual({
        name,
        restart: oneShotJobs.has(name) ? 'no' : 'unless-stopped',
      });
  });

  it('limits its memory and CPUs, Postgres and ClickHouse getting the most memory', () => {
    const memory = Object.fromEntries(
      serviceNames.map((name) => {
        const limits = compose.services[name]?.deploy?.resources?.limits;
        expect({ name, cpus: Number(limits?.cpus) > 0 }).toEqual({ name, cpus: true });
        return [name, megabytes(limits?.memory ?? '')];
      }),
    );
    for (const [name, megs] of Object.entries(memory))
      expect({ name, megs: megs > 0 }).toEqual({ name, megs: true });
    const others = serviceNames.filter((name) => name !== 'postgres' && name !== 'clickhouse');
    const largestOther = Math.max(...others.map((name) => memory[name] as number));
    expect(memory['postgres']).toBeGreaterThan(largestOther);
    expect(memory['clickhouse']).toBeGreaterThan(largestOther);
  });

  it('publishes every port on CHRONICLE_BIND_ADDRESS, 127.0.0.1 unless set', () => {
    const published = serviceNames.flatMap((name) => compose.services[name]?.ports ?? []);
    expect(published.length).toBeGreaterThanOrEqual(9);
    for (const port of published) expect(port.startsWith('${CHRONICLE_BIND_ADDRESS:-127.0.0.1}:')).toBe(true);
    for (const port of published) expect(interpolate(port, {})).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    expect(interpolate(published[0] as string, { CHRONICLE_BIND_ADDRESS: '10.0.0.5' })).toMatch(
      /^10\.0\.0\.5:/,
    );
  });
});

describe('docker-compose.yml: secrets', () => {
  it('refuses to start without each required secret, naming it', () => {
    expect(() => resolved()).not.toThrow();
    for (const name of Object.keys(SECRETS)) {
      const withoutIt: Record<string, string | undefined> = { ...SECRETS, [name]: '' };
      expect(() => interpolateAll(compose, withoutIt)).toThrow(MissingVariableError);
      expect(() => interpolateAll(compose, withoutIt)).toThrow(new RegExp(`^${name}: `));
    }
  });

  it('never gives a secret a default', () => {
    const text = readFileSync(COMPOSE_FILE, 'utf8');
    for (const name of Object.keys(SECRETS)) {
      const uses = [...text.matchAll(new RegExp(`\\$\\{${name}(.{2})`, 'g'))].map((match) => match[1]);
      expect(uses.length).toBeGreaterThan(0);
      expect(new Set(uses)).toEqual(new Set([':?']));
    }
  });

  it('gives Postgres its password from .env and the migrations the same in their URL', () => {
    expect(service('postgres').environment?.['POSTGRES_PASSWORD']).toBe('postgres-secret');
    expect(service('migrate').environment?.['DATABASE_URL']).toBe(
      'postgres://chronicle:postgres-secret@postgres:5432/chronicle',
    );
  });

  it('gives ClickHouse a user and password from .env, and the same to everything that logs in to it', () => {
    const env = { CLICKHOUSE_USER: 'chronicle' };
    const server = service('clickhouse', env).environment ?? {};
    expect([server['CLICKHOUSE_USER'], server['CLICKHOUSE_PASSWORD']]).toEqual([
      'chronicle',
      'clickhouse-secret',
    ]);
    expect(service('clickhouse').environment?.['CLICKHOUSE_USER']).toBe('default');
    for (const client of ['migrate', 'analytics-worker', 'gateway', 'grafana']) {
      const environment = service(client, env).environment ?? {};
      expect([client, environment['CLICKHOUSE_USER'], environment['CLICKHOUSE_PASSWORD']]).toEqual([
        client,
        'chronicle',
        'clickhouse-secret',
      ]);
    }
    const datasources = readFileSync(
      join(REPO_ROOT, 'deploy/grafana/provisioning/datasources/datasources.yml'),
      'utf8',
    );
    expect(datasources).toMatch(/username: \$CLICKHOUSE_USER\n/);
    expect(datasources).toMatch(/secureJsonData:\n\s+password: \$CLICKHOUSE_PASSWORD\n/);
  });

  it('gives Grafana an admin password from .env and no anonymous access, and keeps its data on a volume', () => {
    const grafana = service('grafana');
    expect(grafana.environment?.['GF_SECURITY_ADMIN_PASSWORD']).toBe('grafana-secret');
    expect([undefined, 'false']).toContain(grafana.environment?.['GF_AUTH_ANONYMOUS_ENABLED']);
    expect(grafana.volumes).toContain('grafana-data:/var/lib/grafana');
  });
});

describe('docker-compose.yml: Prometheus and the Chronicle services', () => {
  it("keeps Prometheus's data on a volume, for the retention it is given", () => {
    const prometheus = service('prometheus');
    const path = prometheus.command?.find((flag) => flag.startsWith('--storage.tsdb.path='))?.split('=')[1];
    expect(prometheus.volumes).toContain(`prometheus-data:${path}`);
    expect(Object.keys(compose.volumes ?? {})).toContain('prometheus-data');
    expect(prometheus.command).toContain('--storage.tsdb.retention.time=15d');
    expect(service('prometheus', { PROMETHEUS_RETENTION: '90d' }).command).toContain(
      '--storage.tsdb.retention.time=90d',
    );
  });

  it('runs every Chronicle service from the built JavaScript with node, never tsx', () => {
    const commands = Object.fromEntries(
      chronicleServices.map((name) => [name, (compose.services[name]?.command ?? []).join(' ')]),
    );
    expect(commands).toEqual({
      migrate:
        'sh -c node dist/libs/events-store/src/migrate.main.js --local-logins && node dist/libs/analytics/src/migrate.main.js',
      'ingest-worker': 'node --max-semi-space-size=64 dist/apps/ingest-worker/src/main.js',
      'analytics-worker': 'node --max-semi-space-size=64 dist/apps/analytics-worker/src/main.js',
      gateway: 'node dist/apps/gateway/src/main.js',
      simulator: expect.stringMatching(/^node dist\/apps\/simulator\/src\/main\.js --rate 50 /),
    });
    expect(JSON.stringify(commands)).not.toContain('tsx');
  });
});
