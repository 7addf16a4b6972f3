// `npm run deploy:k8s-rules`: writes deploy/k8s/base/prometheus-rule.yaml from deploy/prometheus/rules.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { renderPrometheusRule } from './prometheus-rule';
import { ALERT_RULES_DIR, PROMETHEUS_RULE_FILE, REPO_ROOT } from './repo-paths';

writeFileSync(PROMETHEUS_RULE_FILE, renderPrometheusRule(ALERT_RULES_DIR));
console.log(`wrote ${relative(REPO_ROOT, PROMETHEUS_RULE_FILE)}`);
