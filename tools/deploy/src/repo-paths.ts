import { join } from 'node:path';

/** The checkout's root, from this file's place in it. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** The alert rules compose's Prometheus loads, and the PrometheusRule made from them. */
export const ALERT_RULES_DIR = join(REPO_ROOT, 'deploy/prometheus/rules');
export const PROMETHEUS_RULE_FILE = join(REPO_ROOT, 'deploy/k8s/base/prometheus-rule.yaml');
