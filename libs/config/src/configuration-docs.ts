import type { EnvVariable } from './env-schema';
import type { ServiceEnvironment } from './service-environments';

// .env.example and docs/configuration.md, rendered from the services' schemas (`npm run docs:configuration`);
// configuration-docs.spec.ts fails when the checked-in files differ.

const GENERATED = 'Generated from libs/config (`npm run docs:configuration`); do not edit by hand.';

/** Each variable once, in the order the services first name it, with the services that read it. */
function variablesWithReaders(environments: readonly ServiceEnvironment[]) {
  const byName = new Map<string, { spec: EnvVariable<unknown>; readers: string[] }>();
  for (const environment of environments)
    for (const spec of Object.values(environment.schema)) {
      const entry = byName.get(spec.name) ?? { spec, readers: [] };
      entry.readers.push(environment.title.replace(/ \(.*\)$/, '').toLowerCase());
      byName.set(spec.name, entry);
    }
  return [...byName.values()];
}

/** Words on lines of at most 100 characters with their `# `. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > 98) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

function defaultCell(spec: EnvVariable<unknown>): string {
  if (spec.defaultText !== undefined) return `\`${spec.defaultText}\``;
  return spec.required ? '**required**' : 'unset';
}

export function renderEnvExample(environments: readonly ServiceEnvironment[]): string {
  const lines = [
    `# ${GENERATED}`,
    '#',
    '# The environment of every Chronicle service, with its defaults. Copy it to .env: `docker compose`',
    '# reads .env for its ${…} values (docs/deployment.md); `npm start` and `npm test` start the local',
    '# stack and set the engines’ addresses themselves when KAFKA_BROKERS / DATABASE_URL / CLICKHOUSE_URL',
    '# are unset, and make the secrets they need in .local/. What each variable means: docs/configuration.md.',
    '# Secrets are left empty here: set them, never commit them.',
  ];
  for (const { spec, readers } of variablesWithReaders(environments)) {
    lines.push(
      '',
      ...wrap(`${spec.description} (${spec.format}; ${readers.join(', ')})`).map((line) => `# ${line}`),
    );
    const value = spec.secret ? '' : (spec.example ?? spec.defaultText);
    lines.push(value === undefined ? `# ${spec.name}=` : `${spec.name}=${value}`);
  }
  return `${lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function renderConfigurationDoc(environments: readonly ServiceEnvironment[]): string {
  const parts = [
    '# Configuration',
    '',
    `<!-- ${GENERATED} -->`,
    '',
    'Every Chronicle process is configured by environment variables, declared once per service in',
    '`libs/config` with their defaults and checks. A service checks all of them when it starts and, when',
    'one is missing or wrong, exits with status 2 and a message naming each variable at fault, before',
    'it connects to anything. The same declarations generate this page and `.env.example`, and a test',
    'checks that `docker-compose.yml` passes each service every variable it reads, with the same default.',
    '',
    'Secrets (marked 🔒) are never logged. The engines’ TLS: Kafka with `KAFKA_SSL*` / `KAFKA_SASL_*`,',
    'ClickHouse with an `https://` `CLICKHOUSE_URL` (and `CLICKHOUSE_CA_FILE` for a private CA), Postgres',
    'with `sslmode` in `DATABASE_URL` (node-postgres treats `require` as `verify-full`; `no-verify`',
    'encrypts without checking the certificate).',
  ];
  for (const environment of environments) {
    parts.push(
      '',
      `## ${environment.title}`,
      '',
      '| Variable | Default | Accepts | Meaning |',
      '| --- | --- | --- | --- |',
    );
    for (const spec of Object.values(environment.schema))
      parts.push(
        `| \`${spec.name}\`${spec.secret ? ' 🔒' : ''} | ${defaultCell(spec)} | ${escapeCell(spec.format)} | ${escapeCell(spec.description)} |`,
      );
  }
  return `${parts.join('\n')}\n`;
}
