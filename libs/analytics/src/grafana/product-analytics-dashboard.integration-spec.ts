import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { createPseudonymizer, getDefaultActivityCatalog } from '@chronicle/contracts';
import { stackEnvironmentFromEnv } from '@chronicle/stack';
import { AnalyticsQueries } from '../queries/analytics.queries';
import { toAnalyticsRow } from '../rows/analytics-row.mapper';
import { ReferenceAnalytics } from '../testing/reference-analytics.model';
import { generateSyntheticActivity } from '../testing/synthetic-activity.generator';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.fixture';
import { expandGrafanaQuery, type GrafanaTimeRange } from './expand-grafana-macros';
import {
  dashboardQueries,
  PRODUCT_ANALYTICS_DASHBOARD_FILE,
  readGrafanaDashboard,
  type DashboardQuery,
} from './grafana-dashboard';
import type { TemplateVariables } from './grafana-template-variables';

/*
 * Runs every SQL query of the provisioned "Product analytics" dashboard the way Grafana would send it
 * (variables and the ClickHouse plugin's macros expanded) against the ClickHouse engine, on a dataset
 * whose figures are known, and checks that the panels compute what docs/analytics.md defines.
 */

jest.setTimeout(120_000);

const { clickhouseUrl } = stackEnvironmentFromEnv();
const catalog = getDefaultActivityCatalog();
const pseudonymize = createPseudonymizer('grafana-dashboard-test-secret-32-bytes!');

// 45 days, 3,000 users (about 130,000 events); fixed days, so the retention is set long enough that
// the TTL never removes them.
const FIRST_DAY = '2026-08-01';
const LAST_DAY = '2026-09-14';
const events = generateSyntheticActivity(20261201, {
  users: 3_000,
  apps: 150,
  days: 45,
  firstDay: FIRST_DAY,
});
const reference = new ReferenceAnalytics(events, pseudonymize);
const ONE_TYPE = 'search.performed';
const onlyOneType = catalog.filterPredicate(ONE_TYPE);
const ALL_TYPES = [...new Set(events.map((event) => event.type))].sort();

const dashboard = readGrafanaDashboard(PRODUCT_ANALYTICS_DASHBOARD_FILE);
const queries = dashboardQueries(dashboard);
const panelQuery = (title: string): DashboardQuery => {
  const query = queries.find((candidate) => candidate.panel?.title === title);
  if (query === undefined) throw new Error(`the dashboard has no panel "${title}"`);
  return query;
};

/** The dataset's whole days, as Grafana's absolute range from the first to the last millisecond. */
const DATASET_RANGE: GrafanaTimeRange = {
  from: new Date(`${FIRST_DAY}T00:00:00.000Z`),
  to: new Date(`${LAST_DAY}T23:59:59.999Z`),
};
const allTypes: TemplateVariables = { activity_type: { options: ALL_TYPES, selected: 'all' } };
const oneType: TemplateVariables = { activity_type: { options: ALL_TYPES, selected: [ONE_TYPE] } };

type Row = Record<string, string | number | null>;

describe('the "Product analytics" Grafana dashboard against ClickHouse', () => {
  let db: TestDatabase;
  /** Sends unqualified table names to the test database, as the data source's default database does. */
  let dashboardClient: ClickHouseClient;

  beforeAll(async () => {
    db = await createTestDatabase(clickhouseUrl, { retentionDays: 3650 });
    dashboardClient = createClient({
      url: clickhouseUrl,
      database: db.database,
      log: { level: ClickHouseLogLevel.OFF },
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

  it('holds the dataset: about 130,000 events of 3,000 users over 45 days', () => {
    expect(events.length).toBeGreaterThan(100_000);
    expect(reference.activeUsers(LAST_DAY, 45)).toBeGreaterThan(2_500);
  });

  it('names every table without a database', () => {
    for (const query of queries) expect(query.rawSql).not.toMatch(/\bchronicle\.|\{db:Identifier\}/);
  });

  it.each([
    ['All', allTypes],
    [ONE_TYPE, oneType],
  ])(
    'runs every panel and the variable query with activity type = %s, each returning rows',
    async (_, variables) => {
      expect(queries.length).toBeGreaterThanOrEqual(6);
      for (const query of queries) {
        const rows = await run(query, DATASET_RANGE, variables);
        expect({ query: query.label, returnsRows: rows.length > 0 }).toEqual({
          query: query.label,
          returnsRows: true,
        });
      }
    },
  );

  it('offers every activity type of the range in the variable', async () => {
    const variable = queries.find((query) => query.variable?.name === 'activity_type') as DashboardQuery;
    const rows = await run(variable, DATASET_RANGE, allTypes);
    expect(rows.map((row) => row['activity_type'])).toEqual(ALL_TYPES);
  });

  describe('computes the figures of docs/analytics.md', () => {
    const dayOf = (time: unknown) => String(time).slice(0, 10);

    it('Active users: exact DAU, WAU and MAU for every day, with and without a type filter', async () => {
      for (const [variables, types] of [
        [allTypes, undefined],
        [oneType, onlyOneType],
      ] as const) {
        const rows = await run(panelQuery('Active users (DAU / WAU / MAU)'), DATASET_RANGE, variables);
        const series = (column: string) =>
          rows.map((row) => ({ day: dayOf(row['time']), users: Number(row[column]) }));
        expect(series('DAU')).toEqual(reference.activeUsersSeries(FIRST_DAY, LAST_DAY, 1, types));
        expect(series('WAU')).toEqual(reference.activeUsersSeries(FIRST_DAY, LAST_DAY, 7, types));
        expect(series('MAU')).toEqual(reference.activeUsersSeries(FIRST_DAY, LAST_DAY, 30, types));
      }
    });

    it('Active users: a range that starts mid-day still counts the window days before it', async () => {
      // Like Grafana's "last 14 days" seen at 13:45:10.123 on the dataset's last day.
      const range = { from: new Date('2026-08-31T13:45:10.123Z'), to: new Date('2026-09-14T13:45:10.123Z') };
      const rows = await run(panelQuery('Active users (DAU / WAU / MAU)'), range, allTypes);
      expect(rows.map((row) => ({ day: dayOf(row['time']), users: Number(row['MAU']) }))).toEqual(
        reference.activeUsersSeries('2026-08-31', LAST_DAY, 30),
      );
      // The same figure as the library's query for the last day.
      const analytics = new AnalyticsQueries(db.client, {
        database: db.database,
        catalog,
        resolvePseudonyms: reference.resolvePseudonyms,
      });
      expect(Number(rows.at(-1)?.['MAU'])).toBe(await analytics.monthlyActiveUsers({ day: LAST_DAY }));
    });

    it('Stickiness: DAU / MAU for every day', async () => {
      for (const [variables, types] of [
        [allTypes, undefined],
        [oneType, onlyOneType],
      ] as const) {
        const rows = await run(panelQuery('Stickiness (DAU / MAU)'), DATASET_RANGE, variables);
        const expected = reference.stickiness(FIRST_DAY, LAST_DAY, types);
        expect(rows.map((row) => dayOf(row['time']))).toEqual(expected.map(({ day }) => day));
        rows.forEach((row, index) => {
          expect(Number(row['stickiness'])).toBeCloseTo(expected[index]?.ratio as number, 12);
        });
      }
    });

    it('Retention: the share of each daily cohort active k = 0 … 29 days after its first day', async () => {
      for (const [variables, types] of [
        [allTypes, undefined],
        [oneType, onlyOneType],
      ] as const) {
        const rows = await run(panelQuery('Retention by daily cohort'), DATASET_RANGE, variables);
        const expected = reference
          .cohortRetention(FIRST_DAY, LAST_DAY, 30, 'day', types)
          .flatMap(({ cohort, users, rates }) =>
            rates.flatMap((rate, daysSince) =>
              rate === null ? [] : [{ cohort: `${cohort} (${users} users)`, daysSince, rate }],
            ),
          );
        expect(rows.map((row) => ({ cohort: row['cohort'], daysSince: Number(row['days_since']) }))).toEqual(
          expected.map(({ cohort, daysSince }) => ({ cohort, daysSince })),
        );
        rows.forEach((row, index) => {
          expect(Number(row['retention'])).toBeCloseTo(expected[index]?.rate as number, 12);
        });
      }
    });

    it('Most viewed apps: the top 10 by views, with their viewers, as the library computes them', async () => {
      const rows = await run(panelQuery('Most viewed apps'), DATASET_RANGE, oneType);
      const apps = rows.map((row) => ({
        entityId: row['app'],
        events: Number(row['views']),
        users: Number(row['viewers']),
      }));
      const expected = reference.topEntities(
        FIRST_DAY,
        LAST_DAY,
        'app',
        10,
        catalog.filterPredicate('app.viewed'),
      );
      expect(apps).toEqual(expected);
      const analytics = new AnalyticsQueries(db.client, {
        database: db.database,
        catalog,
        resolvePseudonyms: reference.resolvePseudonyms,
      });
      expect(apps.slice(0, 5)).toEqual(
        await analytics.topEntities({
          from: FIRST_DAY,
          to: LAST_DAY,
          entityType: 'app',
          types: 'app.viewed',
          limit: 5,
        }),
      );
    });

    it('Activity mix: distinct events per type per day', async () => {
      for (const [variables, types] of [
        [allTypes, undefined],
        [oneType, onlyOneType],
      ] as const) {
        const rows = await run(panelQuery('Activity mix'), DATASET_RANGE, variables);
        expect(
          rows.map((row) => ({
            day: dayOf(row['time']),
            activityType: row['activity_type'],
            events: Number(row['events']),
          })),
        ).toEqual(reference.activityMix(FIRST_DAY, LAST_DAY, types));
      }
    });
  });
});
