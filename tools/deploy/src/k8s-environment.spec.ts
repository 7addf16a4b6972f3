import {
  ANALYTICS_MIGRATION_ENV,
  ANALYTICS_WORKER_ENV,
  EVENTS_STORE_MIGRATION_ENV,
  GATEWAY_ENV,
  INGEST_WORKER_ENV,
  SERVICE_ENVIRONMENTS,
  type EnvSchema,
} from '@chronicle/config';
import { join } from 'node:path';
import { generatedConfigData, type Manifest, readKustomization, resourcesOf } from './kustomization';
import { REPO_ROOT } from './repo-paths';

/*
 * The environment deploy/k8s gives each container, against what that process reads (libs/config):
 * a misspelt or retired variable would otherwise be ignored in silence, and a missing required one
 * found only when the pod crash-loops.
 */

/** Which process a container runs, by the built entry point in its command. */
const SCHEMA_BY_ENTRY_POINT: ReadonlyArray<[string, EnvSchema]> = [
  ['dist/apps/gateway/src/main.js', GATEWAY_ENV],
  ['dist/apps/ingest-worker/src/main.js', INGEST_WORKER_ENV],
  ['dist/apps/analytics-worker/src/main.js', ANALYTICS_WORKER_ENV],
  ['dist/libs/events-store/src/migrate.main.js', EVENTS_STORE_MIGRATION_ENV],
  ['dist/libs/analytics/src/migrate.main.js', ANALYTICS_MIGRATION_ENV],
];

interface Container {
  name: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string } }[];
}

const base = readKustomization(join(REPO_ROOT, 'deploy/k8s/base'));
const overlay = readKustomization(join(REPO_ROOT, 'deploy/k8s/overlays/example'));
const configData = {
  ...generatedConfigData(base, 'chronicle-config'),
  ...generatedConfigData(overlay, 'chronicle-config'),
};
const documented = new Set(
  SERVICE_ENVIRONMENTS.flatMap((e) => Object.values(e.schema).map((spec) => spec.name)),
);

const containers = resourcesOf(base)
  .filter((object: Manifest) => object.kind === 'Deployment' || object.kind === 'Job')
  .flatMap((object) => {
    const pod = (
      object.spec as { template: { spec: { containers: Container[]; initContainers?: Container[] } } }
    ).template.spec;
    return [...(pod.initContainers ?? []), ...pod.containers];
  })
  .map((container) => {
    const entry = SCHEMA_BY_ENTRY_POINT.find(([script]) => container.command?.includes(script));
    if (!entry)
      throw new Error(`${container.name}: runs none of ${SCHEMA_BY_ENTRY_POINT.map(([s]) => s).join(', ')}`);
    return [container.name, container, entry[1]] as const;
  });

describe('the environment of deploy/k8s', () => {
  it('names in chronicle-config only variables a Chronicle process reads', () => {
    expect(Object.keys(configData).filter((name) => !documented.has(name))).toEqual([]);
  });

  it.each(containers)('%s is given only variables it reads', (_name, container, schema) => {
    const reads = new Set(Object.values(schema).map((spec) => spec.name));
    expect((container.env ?? []).map((variable) => variable.name).filter((name) => !reads.has(name))).toEqual(
      [],
    );
  });

  it.each(containers)('%s is given every variable it requires', (_name, container, schema) => {
    const fromConfig = (container.envFrom ?? []).some(
      (source) => source.configMapRef?.name === 'chronicle-config',
    );
    const given = new Set([
      ...(container.env ?? []).filter((v) => v.value || v.valueFrom).map((v) => v.name),
      ...(fromConfig ? Object.keys(configData).filter((name) => configData[name] !== '') : []),
    ]);
    const required = Object.values(schema)
      .filter((spec) => spec.required)
      .map((spec) => spec.name);
    expect(required.filter((name) => !given.has(name))).toEqual([]);
  });
});
