import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertsTested, markdownAnchors, readAlertRules, yamlFiles } from './alert-rules';
import { isDefinedSeries, metricNamesInCode, metricNamesInQuery } from './metric-names';
import { ALERT_RULES_DIR } from './prometheus.process';
import { runPromtool } from './promtool';

/*
 * The alert rules of deploy/prometheus/rules, checked and unit-tested by promtool (Debian's prometheus
 * package, which the bootstrap installs: without it these tests fail, they do not skip), and held to
 * what an operator needs: a severity, a summary, a description and a runbook in docs/operations.md.
 */

const REPO_ROOT = join(ALERT_RULES_DIR, '../../..');
const RULE_TESTS_DIR = join(REPO_ROOT, 'deploy/prometheus/tests');
const OPERATIONS_DOC = 'docs/operations.md';

const ruleFiles = yamlFiles(ALERT_RULES_DIR);
const testFiles = yamlFiles(RULE_TESTS_DIR);
const alerts = readAlertRules(ALERT_RULES_DIR);

/** Passes with status 0; otherwise the failure shows promtool's whole output. */
function expectSuccess(result: { status: number; output: string }): void {
  expect(result).toEqual({ status: 0, output: expect.any(String) });
}

describe('the alert rules (deploy/prometheus/rules)', () => {
  it('are valid rule files (promtool check rules)', () => {
    expect(ruleFiles.length).toBeGreaterThan(0);
    expectSuccess(runPromtool(['check', 'rules', ...ruleFiles], { cwd: ALERT_RULES_DIR }));
  });

  it('pass their unit tests (promtool test rules deploy/prometheus/tests/*.test.yml)', () => {
    expect(testFiles.length).toBeGreaterThan(0);
    expectSuccess(runPromtool(['test', 'rules', ...testFiles], { cwd: RULE_TESTS_DIR }));
  });

  it('have a test file each, and every alert a case where it fires and one where it does not', () => {
    expect(testFiles).toEqual(ruleFiles.map((file) => file.replace(/\.yml$/, '.test.yml')));
    const untested = alerts.flatMap(({ file, alert }) => {
      const { firing, quiet } = alertsTested(join(RULE_TESTS_DIR, file.replace(/\.yml$/, '.test.yml')));
      return [
        ...(firing.has(alert) ? [] : [`${alert}: no firing case`]),
        ...(quiet.has(alert) ? [] : [`${alert}: no quiet case`]),
      ];
    });
    expect(untested).toEqual([]);
  });

  it('are the alerts docs/operations.md describes, each named once', () => {
    const names = alerts.map(({ alert }) => alert);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([
      'ChronicleConsumerLagGrowing',
      'ChronicleConsumerLagOverSlo',
      'ChronicleDeadLetters',
      'ChronicleErasureOverdue',
      'ChronicleFreshnessOverSlo',
      'ChronicleGatewayErrorRatioHigh',
      'ChronicleGatewayLatencyHigh',
      'ChronicleRetentionNotRun',
      'ChronicleSdkEventsDropped',
      'ChronicleServiceDown',
      'ChronicleServiceNotReady',
      'ChronicleStoreWritesFailing',
    ]);
  });

  it('each have a severity, a summary, a description and a runbook_url into docs/operations.md', () => {
    const incomplete = alerts.filter(
      ({ labels, annotations }) =>
        !['critical', 'warning'].includes(labels['severity'] ?? '') ||
        !annotations['summary']?.trim() ||
        !annotations['description']?.trim() ||
        !annotations['runbook_url']?.startsWith(`${OPERATIONS_DOC}#`),
    );
    expect(incomplete.map(({ alert, labels, annotations }) => ({ alert, labels, annotations }))).toEqual([]);
  });

  it("each link to a section of docs/operations.md, the alert's own", () => {
    expect(existsSync(join(REPO_ROOT, OPERATIONS_DOC))).toBe(true);
    const anchors = markdownAnchors(readFileSync(join(REPO_ROOT, OPERATIONS_DOC), 'utf8'));
    const links = alerts.map(({ alert, annotations }) => ({
      alert,
      anchor: (annotations['runbook_url'] ?? '').split('#')[1] ?? '',
    }));
    expect(links.filter(({ anchor }) => !anchors.has(anchor))).toEqual([]);
    expect(links.filter(({ alert, anchor }) => anchor !== alert.toLowerCase())).toEqual([]);
  });

  it('read only metrics that the services define', () => {
    const defined = metricNamesInCode(REPO_ROOT);
    const undefinedSeries = alerts.flatMap(({ alert, expr }) =>
      metricNamesInQuery(expr)
        .filter((series) => !isDefinedSeries(series, defined))
        .map((series) => `${alert}: ${series}`),
    );
    expect(undefinedSeries).toEqual([]);
  });
});

describe('markdownAnchors', () => {
  it("gives GitHub's anchors: lower case, punctuation dropped, spaces as dashes, repeats numbered", () => {
    const anchors = markdownAnchors(
      [
        '# Operations',
        '## Alerts and runbooks',
        '### ChronicleServiceDown',
        '```sh',
        '# not a heading',
        '```',
        '## What `npm start` runs (locally)',
        '## Alerts and runbooks',
      ].join('\n'),
    );
    expect([...anchors]).toEqual([
      'operations',
      'alerts-and-runbooks',
      'chronicleservicedown',
      'what-npm-start-runs-locally',
      'alerts-and-runbooks-1',
    ]);
  });
});
