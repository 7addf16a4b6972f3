import type { DataSource } from 'typeorm';
import { applyRetention } from './retention';

describe('applyRetention', () => {
  it('refuses a pool of one connection, where the work would wait for ever behind the lock holder', async () => {
    const obtainMasterConnection = jest.fn();
    const dataSource = {
      options: { poolSize: 1 },
      driver: { obtainMasterConnection },
    } as unknown as DataSource;
    await expect(applyRetention(dataSource, { retentionDays: 90 })).rejects.toThrow(
      'retention needs two connections of the pool; this DataSource has 1',
    );
    expect(obtainMasterConnection).not.toHaveBeenCalled();
  });
});
