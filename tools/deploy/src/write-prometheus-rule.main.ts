// `npm run deploy:k8s-rules`: writes deploy/k8s/base/prometheus-rule.yaml from deploy/prometheus/rules.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { renderPrometheusRule } from './prometheus-rule';
import { ALERT_RULES_DIR, PROMETHEUS_RULE_FILE, REPO_ROOT } from './repo-paths';

const USAGE = `Usage: npm run deploy:k8s-rules

Writes ${relative(REPO_ROOT, PROMETHEUS_RULE_FILE)} (a PrometheusRule) from the alert rules in
${relative(REPO_ROOT, ALERT_RULES_DIR)}.

  -h, --help    this text
`;

if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help) {
  process.stdout.write(USAGE);
} else {
  writeFileSync(PROMETHEUS_RULE_FILE, renderPrometheusRule(ALERT_RULES_DIR));
  console.log(`wrote ${relative(REPO_ROOT, PROMETHEUS_RULE_FILE)}`);
}
