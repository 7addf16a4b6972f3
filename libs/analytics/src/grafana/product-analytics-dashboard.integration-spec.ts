import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { createPseudonymizer, getDefaultActivityCatalog } from '@chronicle/contracts';
import { stackEnvironmentFromEnv } from '@chronicle/stack';
import { AnalyticsQueries } from '../queries/analytics.queries';
import { toAnalyticsRow } from '../rows/analytics-row.mapper';
import { dayIn } from '../queries/time-zone.util';
import { ReferenceAnalytics } from '../testing/reference-analytics.model';
import { generateSyntheticActivity } from '../testing/synthetic-activity.generator';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.fixture';
import { expandGrafanaQuery, type GrafanaTimeRange } from './expand-grafana-macros';
import {
  customVariable,
  dashboardQueries,
  PRODUCT_ANALYTICS_DASHBOARD_FILE,
  readGrafanaDashboard,
  type DashboardQuery,
} from './grafana-dashboard';
import type { TemplateVariables } from './grafana-template-variables';

/*
 * Runs every SQL query of the provisioned "Product analytics" dashboard the way Grafana would send it
 * (variables and the ClickHouse plugin's macros expanded) against the ClickHouse engine, on a dataset
 * whose figures are known, and checks that the panels compute what docs/analytics.md defines: in UTC
 * (the aggregate tables) and in Pacific/Auckland (the raw events; UTC+12, and +13 from 27 September
 * 2026, inside the range), and the retention panel in each mode — all equal to the reference model.
 */

jest.setTimeout(120_000);

const { clickhouseUrl } = stackEnvironmentFromEnv();
const catalog = getDefaultActivityCatalog();
const pseudonymize = createPseudonymizer('grafana-dashboard-test-secret-32-bytes!');

// 60 days, 3,000 users (about 157,000 events); fixed days, so the retention is set long enough that
// the TTL never removes them.
const FIRST_DAY = '2026-08-01';
const LAST_DAY = '2026-09-29';
const events = generateSyntheticActivity(20261201, {
  users: 3_000,
  apps: 150,
  days: 60,
  firstDay: FIRST_DAY,
});
const ZONES = ['UTC', 'Pacific/Auckland'] as const;
type Zone = (typeof ZONES)[number];
const MODES = ['calendar', 'rolling', 'unbounded'] as const;
const references = new Map(
  ZONES.map((tz) => [tz, new ReferenceAnalytics(events, pseudonymize, { timeZone: tz })] as const),
);
const referenceIn = (tz: Zone) => references.get(tz) as ReferenceAnalytics;
const ONE_TYPE = 'search.performed';
const onlyOneType = catalog.filterPredicate(ONE_TYPE);
const ALL_TYPES = [...new Set(events.map((event) => event.type))].sort();

const dashboard = readGrafanaDashboard(PRODUCT_ANALYTICS_DASHBOARD_FILE);
const queries = dashboardQueries(dashboard);
/** The panel whose title starts with `title` (titles go on with the zone and mode in use). */
const panelQuery = (title: string): DashboardQuery => {
  const query = queries.find((candidate) => candidate.panel?.title.startsWith(title));
  if (query === undefined) throw new Error(`the dashboard has no panel "${title}"`);
  return query;
};

/** The dataset's whole UTC days, as Grafana's absolute range from the first to the last millisecond. */
const DATASET_RANGE: GrafanaTimeRange = {
  from: new Date(`${FIRST_DAY}T00:00:00.000Z`),
  to: new Date(`${LAST_DAY}T23:59:59.999Z`),
};
/** The range's first and last days in `tz`: the days the panels show (Auckland: 1 to 30 September). */
const daysOf = (range: GrafanaTimeRange, tz: string) => ({
  first: dayIn(tz, range.from.getTime()),
  last: dayIn(tz, range.to.getTime()),
});

/** The variables as Grafana sends them: the activity types (All or one), a zone and a retention mode. */
function variables(
  selection: { types?: 'all' | string[]; tz?: string; mode?: string } = {},
): TemplateVariables {
  return {
    activity_type: { options: ALL_TYPES, selected: selection.types ?? 'all' },
    tz: customVariable(dashboard, 'tz', selection.tz),
    mode: customVariable(dashboard, 'mode', selection.mode),
  };
}
/** With All and with one type: the variables and the reference's type predicate. */
const TYPE_SELECTIONS = [
  ['all', undefined],
  [[ONE_TYPE], onlyOneType],
] as const;

type Row = Record<string, string | number | null>;

describe('the "Product analytics" Grafana dashboard against ClickHouse', () => {
  let db: TestDatabase;
  /** Sends unqualified table names to the test database, as the data source's default database does. */
  let dashboardClient: ClickHouseClient;
  let analytics: AnalyticsQueries;

  beforeAll(async () => {
    db = await createTestDatabase(clickhouseUrl, { retentionDays: 3650 });
    dashboardClient = createClient({
      url: clickhouseUrl,
      database: db.database,
      log: { level: ClickHouseLogLevel.OFF },
    });
    analytics = new AnalyticsQueries(db.client, {
      database: db.database,
      catalog,
      resolvePseudonyms: referenceIn('UTC').resolvePseudonyms,
    });
    for (let start = 0; start < events.length; start += 20_000) {
      const batch = events.slice(start, start + 20_000);
      const rows = batch.map((event) => toAnalyticsRow(event, catalog, pseudonymize, Date.now()));
      // Twice, as a retried insert would: a panel counting rows instead of distinct ids is caught.
      for (let copy = 0; copy < 2; copy++) {
        await db.client.insert({ table: `${db.database}.events`, values: rows, format: 'JSONEachRow' });
      }
    }
  });
  afterAll(async () => {
    await dashboardClient?.close();
    await db?.drop();
  });

  /** Runs a dashboard query as Grafana would send it for the range and variables. */
  async function run(query: DashboardQuery, range: GrafanaTimeRange, variables: TemplateVariables) {
    const sql = expandGrafanaQuery(query.rawSql, { range, variables });
    try {
      const result = await dashboardClient.query({ query: sql, format: 'JSONEachRow' });
      return await result.json<Row>();
    } catch (error) {
      throw new Error(`${query.label} failed: ${(error as Error).message}\n${sql}`);
    }
  }

  it('holds the dataset: about 157,000 events of 3,000 users over 60 days, across a DST change', () => {
    expect(events.length).toBeGreaterThan(150_000);
    expect(referenceIn('UTC').activeUsers(LAST_DAY, 60)).toBeGreaterThan(2_500);
    const offset = (time: string) =>
      new Intl.DateTimeFormat('en-US', { timeZone: 'Pacific/Auckland', timeZoneName: 'shortOffset' })
        .formatToParts(Date.parse(time))
        .find((part) => part.type === 'timeZoneName')?.value;
    expect([offset('2026-09-26T12:00:00Z'), offset('2026-09-27T12:00:00Z')]).toEqual(['GMT+12', 'GMT+13']);
    expect(daysOf(DATASET_RANGE, 'Pacific/Auckland')).toEqual({ first: FIRST_DAY, last: '2026-09-30' });
  });

  it('names every table without a database', () => {
    for (const query of queries) expect(query.rawSql).not.toMatch(/\bchronicle\.|\{db:Identifier\}/);
  });

  it.each([
    ['All', 'UTC', 'all'],
    [ONE_TYPE, 'UTC', [ONE_TYPE]],
    ['All', 'Pacific/Auckland', 'all'],
    [ONE_TYPE, 'Asia/Kolkata', [ONE_TYPE]],
  ] as const)(
    'runs every panel and the variable query with activity type = %s in %s, each returning rows',
    async (_, tz, types) => {
      expect(queries.length).toBeGreaterThanOrEqual(6);
      for (const mode of MODES) {
        for (const query of queries) {
          if (mode !== 'calendar' && !query.rawSql.includes('${mode')) continue;
          const rows = await run(
            query,
            DATASET_RANGE,
            variables({ types: types === 'all' ? 'all' : [...types], tz, mode }),
          );
          expect({ query: query.label, mode, returnsRows: rows.length > 0 }).toEqual({
            query: query.label,
            mode,
            returnsRows: true,
          });
        }
      }
    },
  );

  it('offers every activity type of the range in the variable', async () => {
    const variable = queries.find((query) => query.variable?.name === 'activity_type') as DashboardQuery;
    const rows = await run(variable, DATASET_RANGE, variables());
    expect(rows.map((row) => row['activity_type'])).toEqual(ALL_TYPES);
  });

  describe.each(ZONES)('computes the figures of docs/analytics.md with days in %s', (tz) => {
    const dayOf = (time: unknown) => String(time).slice(0, 10);
    const reference = referenceIn(tz);
    const { first, last } = daysOf(DATASET_RANGE, tz);

    it('Active users: exact DAU, WAU and MAU for every day, with and without a type filter', async () => {
      for (const [selected, types] of TYPE_SELECTIONS) {
        const rows = await run(
          panelQuery('Active users (DAU / WAU / MAU)'),
          DATASET_RANGE,
          variables({ types: selected === 'all' ? 'all' : [...selected], tz }),
        );
        const series = (column: string) =>
          rows.map((row) => ({ day: dayOf(row['time']), users: Number(row[column]) }));
        const expected = (window: number) =>
          reference.activeUsersSeries(first, last, window, types).map(({ day, users }) => ({ day, users }));
        expect(series('DAU')).toEqual(expected(1));
        expect(series('WAU')).toEqual(expected(7));
        expect(series('MAU')).toEqual(expected(30));
      }
    });

    it('Active users: each point is the midnight of its day in the zone', async () => {
      const rows = await run(panelQuery('Active users (DAU / WAU / MAU)'), DATASET_RANGE, variables({ tz }));
      const result = await dashboardClient.query({
        query: `SELECT toUnixTimestamp(toDateTime({day:Date}, {tz:String})) AS at`,
        query_params: { day: dayOf(rows[0]?.['time']), tz },
        format: 'JSONEachRow',
      });
      const at = (await result.json<{ at: number }>())[0]?.at;
      expect(dayIn(tz, Number(at) * 1000)).toBe(first);
      expect(dayIn(tz, Number(at) * 1000 - 1)).not.toBe(first);
    });

    it('Active users: a range that starts mid-day still counts the window days before it', async () => {
      // Like Grafana's "last 14 days" seen at 13:45:10.123 UTC on the dataset's last day.
      const range = { from: new Date('2026-09-15T13:45:10.123Z'), to: new Date('2026-09-29T13:45:10.123Z') };
      const days = daysOf(range, tz);
      const rows = await run(panelQuery('Active users (DAU / WAU / MAU)'), range, variables({ tz }));
      expect(rows.map((row) => ({ day: dayOf(row['time']), users: Number(row['MAU']) }))).toEqual(
        reference.activeUsersSeries(days.first, days.last, 30).map(({ day, users }) => ({ day, users })),
      );
      // The same figure as the library's query for the last day.
      expect(Number(rows.at(-1)?.['MAU'])).toBe(await analytics.monthlyActiveUsers({ day: days.last, tz }));
    });

    it('Stickiness: DAU / MAU for every day', async () => {
      for (const [selected, types] of TYPE_SELECTIONS) {
        const rows = await run(
          panelQuery('Stickiness (DAU / MAU)'),
          DATASET_RANGE,
          variables({ types: selected === 'all' ? 'all' : [...selected], tz }),
        );
        const expected = reference.stickiness(first, last, types);
        expect(rows.map((row) => dayOf(row['time']))).toEqual(expected.map(({ day }) => day));
        rows.forEach((row, index) => {
          expect(Number(row['stickiness'])).toBeCloseTo(expected[index]?.ratio as number, 12);
        });
      }
    });

    it.each(MODES)(
      'Retention (%s): the share of each daily cohort retained in period k = 0 … 29',
      async (mode) => {
        for (const [selected, types] of TYPE_SELECTIONS) {
          const rows = await run(
            panelQuery('Retention by daily cohort'),
            DATASET_RANGE,
            variables({ types: selected === 'all' ? 'all' : [...selected], tz, mode }),
          );
          const expected = reference
            .cohortRetention(first, last, 30, 'day', types, { mode })
            .flatMap(({ cohort, users, rates }) =>
              rates.flatMap((rate, daysSince) =>
                rate === null ? [] : [{ cohort: `${cohort} (${users} users)`, daysSince, rate }],
              ),
            );
          expect(
            rows.map((row) => ({ cohort: row['cohort'], daysSince: Number(row['days_since']) })),
          ).toEqual(expected.map(({ cohort, daysSince }) => ({ cohort, daysSince })));
          const mismatches = rows.filter(
            (row, index) => Math.abs(Number(row['retention']) - (expected[index]?.rate as number)) > 1e-12,
          );
          expect(mismatches).toEqual([]);
        }
      },
    );

    it('Retention: the modes differ on this dataset (the panel follows the variable)', async () => {
      const byMode = await Promise.all(
        MODES.map(async (mode) =>
          (await run(panelQuery('Retention by daily cohort'), DATASET_RANGE, variables({ tz, mode }))).map(
            (row) => Number(row['retention']),
          ),
        ),
      );
      expect(byMode[0]).not.toEqual(byMode[1]);
      expect(byMode[0]).not.toEqual(byMode[2]);
    });

    it('Most viewed apps: the top 10 by views, with their viewers, as the library computes them', async () => {
      const rows = await run(
        panelQuery('Most viewed apps'),
        DATASET_RANGE,
        variables({ types: [ONE_TYPE], tz }),
      );
      const apps = rows.map((row) => ({
        entityId: row['app'],
        events: Number(row['views']),
        users: Number(row['viewers']),
      }));
      expect(apps).toEqual(
        reference.topEntities(first, last, 'app', 10, catalog.filterPredicate('app.viewed')),
      );
      expect(apps.slice(0, 5)).toEqual(
        await analytics.topEntities({
          from: first,
          to: last,
          entityType: 'app',
          types: 'app.viewed',
          limit: 5,
          tz,
        }),
      );
    });

    it('Activity mix: distinct events per type per day', async () => {
      for (const [selected, types] of TYPE_SELECTIONS) {
        const rows = await run(
          panelQuery('Activity mix'),
          DATASET_RANGE,
          variables({ types: selected === 'all' ? 'all' : [...selected], tz }),
        );
        expect(
          rows.map((row) => ({
            day: dayOf(row['time']),
            activityType: row['activity_type'],
            events: Number(row['events']),
          })),
        ).toEqual(
          reference
            .activityMix(first, last, types)
            .map(({ day, activityType, events: count }) => ({ day, activityType, events: count })),
        );
      }
    });
  });

  it('shows other figures in Auckland than in UTC (the zone reaches every panel)', async () => {
    // Two days, so that the 12 or 13 hours' shift shows in the totals of "Most viewed apps" too.
    const range = { from: new Date('2026-09-10T00:00:00Z'), to: new Date('2026-09-11T23:59:59.999Z') };
    for (const query of queries.filter((candidate) => candidate.panel !== undefined)) {
      const [utc, auckland] = await Promise.all(ZONES.map((tz) => run(query, range, variables({ tz }))));
      expect({ query: query.label, differs: JSON.stringify(utc) !== JSON.stringify(auckland) }).toEqual({
        query: query.label,
        differs: true,
      });
    }
  });

  describe('hostile variable values', () => {
    const HOSTILE_ZONES = [
      "UTC') OR 1=1 --",
      "UTC'; DROP TABLE events; --",
      "UTC\\'), 'UTC') --",
      'UTC\n SELECT 1 --',
      '$__fromTime',
      '${activity_type}',
    ];

    it.each(HOSTILE_ZONES)(
      'refuses the zone %j as an unknown time zone, running nothing else',
      async (tz) => {
        for (const query of queries.filter((candidate) => candidate.rawSql.includes('${tz'))) {
          await expect(run(query, DATASET_RANGE, variables({ tz }))).rejects.toThrow(
            /Cannot load time zone|time zone/i,
          );
        }
        const tables = await dashboardClient.query({ query: 'EXISTS TABLE events', format: 'JSONEachRow' });
        expect(await tables.json()).toEqual([{ result: 1 }]);
      },
    );

    it('refuses a mode that is not one of the three, even one sent around the picker (a URL)', async () => {
      expect(() => variables({ mode: 'weekly' })).toThrow(/does not offer "weekly"/);
      const sent = { ...variables(), mode: { options: ['calendar'], selected: ["calendar') OR ('1"] } };
      await expect(run(panelQuery('Retention by daily cohort'), DATASET_RANGE, sent)).rejects.toThrow(
        /mode must be calendar, rolling or unbounded/,
      );
    });
  });
});
