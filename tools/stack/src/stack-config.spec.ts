import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PORTS, findRepoRoot, readKafkaVersion, resolveStackConfig } from './stack-config';

describe('stack configuration', () => {
  it("keeps the stack under .local of the workspace, on ports away from the engines' usual ones", () => {
    const config = resolveStackConfig({ env: {} });
    expect(config.stackDir).toBe(join(config.repoRoot, '.local/stack'));
    expect(config.kafkaVersion).toMatch(/^4\.\d+\.\d+$/);
    expect(config.kafkaJarsDir).toBe(join(config.repoRoot, '.local/kafka', config.kafkaVersion, 'libs'));
    expect(config.external).toEqual({});
    expect(Object.values(DEFAULT_PORTS)).not.toContain(5432);
    expect(Object.values(DEFAULT_PORTS)).not.toContain(9092);
    expect(Object.values(DEFAULT_PORTS)).not.toContain(8123);
  });

  it('takes engines from KAFKA_BROKERS, DATABASE_URL and CLICKHOUSE_URL', () => {
    const config = resolveStackConfig({
      env: {
        KAFKA_BROKERS: 'k1:9092,k2:9092',
        DATABASE_URL: 'postgres://db/x',
        CLICKHOUSE_URL: 'http://ch:8123',
      },
    });
    expect(config.external).toEqual({
      kafka: 'k1:9092,k2:9092',
      postgres: 'postgres://db/x',
      clickhouse: 'http://ch:8123',
    });
  });

  it('lets a caller move the stack and its ports', () => {
    const config = resolveStackConfig({ stackDir: '/tmp/elsewhere', ports: { postgres: 25432 }, env: {} });
    expect(config.stackDir).toBe('/tmp/elsewhere');
    expect(config.ports).toEqual({ ...DEFAULT_PORTS, postgres: 25432 });
  });

  it('reads the Kafka version from the pom and refuses a pom without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chronicle-pom-'));
    writeFileSync(join(dir, 'good.xml'), '<properties><kafka.version> 4.3.1 </kafka.version></properties>');
    writeFileSync(join(dir, 'bad.xml'), '<properties></properties>');
    expect(readKafkaVersion(join(dir, 'good.xml'))).toBe('4.3.1');
    expect(() => readKafkaVersion(join(dir, 'bad.xml'))).toThrow(/declares no <kafka.version>/);
  });

  it('finds the workspace root from inside it, and says so outside it', () => {
    expect(findRepoRoot(__dirname)).toBe(resolveStackConfig({ env: {} }).repoRoot);
    expect(() => findRepoRoot(tmpdir())).toThrow(/no nx.json above/);
  });
});
