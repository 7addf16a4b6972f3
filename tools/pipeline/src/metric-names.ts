import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * Which `chronicle_*` metrics the code defines, read from its sources, so that an alert rule or a
 * dashboard query naming a metric that no service exports (a typo, a rename) fails a unit test
 * instead of showing an empty panel or an alert that can never fire.
 */

const SOURCE_GROUPS = ['apps', 'libs'];
const METRIC_LITERAL = /['"`](chronicle_[a-z0-9_]+)['"`]/g;
/** The series a histogram (or summary) exports beside its name. */
const DERIVED_SUFFIX = /_(bucket|sum|count)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.(integration-)?spec\.ts$/.test(entry.name) ? [path] : [];
  });
}

/**
 * The metric names quoted in the non-test sources of every app and lib that use prom-client (the only
 * place metrics are defined), e.g. `chronicle_ingest_events_total`.
 */
export function metricNamesInCode(repoRoot: string): Set<string> {
  const names = new Set<string>();
  for (const group of SOURCE_GROUPS)
    for (const project of readdirSync(join(repoRoot, group))) {
      const src = join(repoRoot, group, project, 'src');
      let files: string[];
      try {
        files = sourceFiles(src);
      } catch {
        continue;
      }
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        if (!text.includes("from 'prom-client'")) continue;
        for (const match of text.matchAll(METRIC_LITERAL)) names.add(match[1] as string);
      }
    }
  return names;
}

/** The `chronicle_*` series a PromQL expression reads. */
export function metricNamesInQuery(expr: string): string[] {
  return [...new Set(expr.match(/\bchronicle_[a-zA-Z0-9_]+/g) ?? [])];
}

/** Whether `series` is a defined metric or a histogram's `_bucket`, `_sum` or `_count` of one. */
export function isDefinedSeries(series: string, defined: ReadonlySet<string>): boolean {
  return defined.has(series) || defined.has(series.replace(DERIVED_SUFFIX, ''));
}
