import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validateAgainstSchema } from './kubernetes-schemas';
import { readRuleGroups, renderPrometheusRule } from './prometheus-rule';
import { ALERT_RULES_DIR, PROMETHEUS_RULE_FILE, REPO_ROOT } from './repo-paths';

const checkedIn = () => readFileSync(PROMETHEUS_RULE_FILE, 'utf8');

describe('deploy/k8s/base/prometheus-rule.yaml', () => {
  it('is what `npm run deploy:k8s-rules` makes of deploy/prometheus/rules now (run it after changing a rule)', () => {
    expect(checkedIn()).toBe(renderPrometheusRule(ALERT_RULES_DIR));
  });

  it('holds every group and rule of the rule files compose loads, and is a valid PrometheusRule', () => {
    const resource = parse(checkedIn()) as { apiVersion: string; kind: string; spec: { groups: unknown[] } };
    expect(resource.spec.groups).toEqual(readRuleGroups(ALERT_RULES_DIR));
    const alerts = resource.spec.groups.flatMap((group) => (group as { rules: { alert: string }[] }).rules);
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    expect(() => validateAgainstSchema(resource)).not.toThrow();
  });

  it('no longer matches once a rule file changes', () => {
    const changed = mkdtempSync(join(tmpdir(), 'chronicle-rules-'));
    try {
      cpSync(ALERT_RULES_DIR, changed, { recursive: true });
      const file = join(changed, 'gateway.yml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('> 0.01', '> 0.02'));
      expect(renderPrometheusRule(changed)).not.toBe(checkedIn());
    } finally {
      rmSync(changed, { recursive: true, force: true });
    }
  });

  it('is left as it is by prettier, so formatting the repository does not make it stale', () => {
    const prettier = join(REPO_ROOT, 'node_modules/prettier/bin/prettier.cjs');
    const check = spawnSync(process.execPath, [prettier, '--check', PROMETHEUS_RULE_FILE], {
      cwd: REPO_ROOT,
    });
    expect({ status: check.status, output: check.stdout.toString() + check.stderr.toString() }).toEqual({
      status: 0,
      output: expect.any(String),
    });
  });
});
