import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigurationDoc, renderEnvExample } from './configuration-docs';
import type { EnvVariable } from './env-schema';
import { SERVICE_ENVIRONMENTS } from './service-environments';

const root = join(__dirname, '../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('the configuration docs', () => {
  it.each([
    ['.env.example', () => renderEnvExample(SERVICE_ENVIRONMENTS)],
    ['docs/configuration.md', () => renderConfigurationDoc(SERVICE_ENVIRONMENTS)],
  ])(
    '%s is what the schemas render (run `npm run docs:configuration` after changing one)',
    (file, render) => {
      expect(read(file)).toBe(render());
    },
  );

  it('names each variable once in .env.example, secrets without a value', () => {
    const assignments = read('.env.example')
      .split('\n')
      .map((line) => /^(?:# )?([A-Z][A-Z0-9_]+)=(.*)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null);
    const names = assignments.map((match) => match[1]);
    expect(new Set(names).size).toBe(names.length);
    const secrets = SERVICE_ENVIRONMENTS.flatMap((e) => Object.values(e.schema)).filter(
      (spec) => spec.secret,
    );
    for (const spec of secrets) expect(assignments.find((match) => match[1] === spec.name)?.[2]).toBe('');
  });

  it('gives a variable read by several services one definition', () => {
    const byName = new Map<string, EnvVariable<unknown>>();
    for (const spec of SERVICE_ENVIRONMENTS.flatMap((e) => Object.values(e.schema))) {
      const first = byName.get(spec.name) ?? spec;
      byName.set(spec.name, first);
      expect({
        name: spec.name,
        default: spec.defaultText,
        format: spec.format,
        secret: spec.secret,
      }).toEqual({
        name: first.name,
        default: first.defaultText,
        format: first.format,
        secret: first.secret,
      });
    }
  });
});
