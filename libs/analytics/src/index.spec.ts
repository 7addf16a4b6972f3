import * as analytics from './index';

describe('@chronicle/analytics (its index)', () => {
  it('exports exactly the runtime API other projects build on, every name defined', () => {
    expect(Object.keys(analytics).sort()).toEqual([
      'ANALYTICS_TABLES',
      'AnalyticsQueries',
      'AnalyticsQueryError',
      'ENTITY_RANKS',
      'ErasureLog',
      'MAX_ANALYTICS_RETENTION_DAYS',
      'MAX_PERIODS',
      'MAX_RANGE_DAYS',
      'MIGRATIONS_DIR',
      'MigrationError',
      'PER_ACTOR_TABLES',
      'RETENTION_MODES',
      'assertClickHouseMigrated',
      'checkDay',
      'checkRetentionDays',
      'checkTimeZone',
      'classifyClickHouseError',
      'dayIn',
      'eraseActor',
      'migrateClickHouse',
      'toAnalyticsRow',
      'toClickHouseTime',
    ]);
    for (const value of Object.values(analytics)) expect(value).toBeDefined();
  });

  it('names the tables a worker inserts into', () => {
    expect(analytics.ANALYTICS_TABLES).toEqual({ events: 'events' });
  });
});
