import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/*
 * The alert rules of deploy/prometheus/rules as the tests read them: which alerts there are, with
 * their labels and annotations. Prometheus and promtool read the files themselves.
 */

export interface AlertRule {
  /** The rule file's name, e.g. `pipeline.yml`. */
  file: string;
  group: string;
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

interface RuleFile {
  groups?: { name: string; rules?: (Partial<AlertRule> & { record?: string })[] }[];
}

/** The `.yml` files of a folder, sorted. */
export function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml'))
    .sort();
}

/** Every alerting rule (not recording rules) of the rule files in `dir`. */
export function readAlertRules(dir: string): AlertRule[] {
  return yamlFiles(dir).flatMap((file) => {
    const content = parse(readFileSync(join(dir, file), 'utf8')) as RuleFile;
    return (content.groups ?? []).flatMap((group) =>
      (group.rules ?? [])
        .filter((rule) => rule.alert !== undefined)
        .map((rule) => ({
          file,
          group: group.name,
          alert: rule.alert as string,
          expr: rule.expr ?? '',
          ...(rule.for === undefined ? {} : { for: rule.for }),
          labels: rule.labels ?? {},
          annotations: rule.annotations ?? {},
        })),
    );
  });
}

/** The names of the alerts that a promtool test file expects, firing or not (`alert_rule_test`). */
export function alertsTested(testFile: string): { firing: Set<string>; quiet: Set<string> } {
  const content = parse(readFileSync(testFile, 'utf8')) as {
    tests?: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
  };
  const firing = new Set<string>();
  const quiet = new Set<string>();
  for (const test of content.tests ?? [])
    for (const { alertname, exp_alerts: expected } of test.alert_rule_test ?? [])
      (expected && expected.length > 0 ? firing : quiet).add(alertname);
  return { firing, quiet };
}

/**
 * The anchors GitHub gives a Markdown document's headings (outside code blocks): lower case,
 * punctuation other than `-` and `_` dropped, spaces as `-`, a repeated one suffixed `-1`, `-2`, ….
 */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inCode = !inCode;
    const heading = inCode ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = (heading[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}
