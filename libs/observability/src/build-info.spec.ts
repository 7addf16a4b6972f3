import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { readBuildInfo, registerBuildInfo } from './build-info';

describe('readBuildInfo', () => {
  const { version } = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
    version: string;
  };

  it('takes the version from the root package.json and the revision from CHRONICLE_REVISION first', () => {
    expect(readBuildInfo({ CHRONICLE_REVISION: ' 1a2b3c4 ' }, () => 'fromgit')).toEqual({
      version,
      revision: '1a2b3c4',
    });
  });

  it('falls back to git, then to "unknown"', () => {
    expect(readBuildInfo({}, () => 'abc1234').revision).toBe('abc1234');
    expect(readBuildInfo({ CHRONICLE_REVISION: '' }, () => undefined).revision).toBe('unknown');
  });

  it('asks git of this checkout when nothing else says', () => {
    expect(readBuildInfo({}).revision).toMatch(/^([0-9a-f]{4,40}|unknown)$/);
  });
});

describe('registerBuildInfo', () => {
  it('exposes chronicle_build_info at 1 with the service, version and revision', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'ingest-worker' });
    registerBuildInfo(registry, 'ingest-worker', { version: '0.1.0', revision: 'abc1234' });
    expect(await registry.metrics()).toContain(
      'chronicle_build_info{service="ingest-worker",version="0.1.0",revision="abc1234"} 1',
    );
  });
});
