import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SERVICE_ENVIRONMENTS } from './service-environments';

// docker-compose.yml against the services' schemas: compose passes every variable a service reads,
// with the schema's default, and nothing the service would ignore. No Docker runs here: the file is read.

const composeText = readFileSync(join(__dirname, '../../../docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, { environment?: Record<string, unknown> }>;
};

/** `${NAME:-default}`, `${NAME:?message}`, `${NAME}`: the variable and its default, if any. */
function interpolation(value: string): { name: string; defaultText?: string } | undefined {
  const match = /^\$\{([A-Z][A-Z0-9_]*)(?:(:?-)([^}]*)|:\?[^}]*)?\}$/.exec(value);
  if (!match) return undefined;
  return match[2] === undefined
    ? { name: match[1] as string }
    : { name: match[1] as string, defaultText: match[3] };
}

const checked = SERVICE_ENVIRONMENTS.flatMap((environment) =>
  environment.composeServices.map((service) => [service, environment] as const),
);

describe('docker-compose.yml passes each Chronicle service its environment', () => {
  it.each(checked)('%s gets every variable it reads, and only those', (service, environment) => {
    const given = compose.services[service]?.environment ?? {};
    const read = Object.values(environment.schema).map((spec) => spec.name);
    expect(Object.keys(given).filter((name) => !read.includes(name))).toEqual([]);
    expect(read.filter((name) => !(name in given))).toEqual([]);
  });

  it.each(checked)(
    '%s: a variable taken from .env falls back to the schema’s default',
    (service, environment) => {
      const given = compose.services[service]?.environment ?? {};
      for (const spec of Object.values(environment.schema)) {
        const from = interpolation(String(given[spec.name] ?? ''));
        if (from?.name !== spec.name || from.defaultText === undefined) continue;
        expect({ name: spec.name, default: from.defaultText }).toEqual({
          name: spec.name,
          default: spec.defaultText ?? '',
        });
      }
    },
  );

  it('reads from .env only variables that .env.example documents', () => {
    const documented = new Set(
      SERVICE_ENVIRONMENTS.flatMap((e) => Object.values(e.schema).map((spec) => spec.name)),
    );
    const used = [...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1] as string);
    expect([...new Set(used)].filter((name) => !documented.has(name))).toEqual([]);
  });
});
