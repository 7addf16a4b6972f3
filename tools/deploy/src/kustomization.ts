import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** A Kubernetes object as read from a manifest. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: unknown;
  /** Where it was read from, for messages. */
  file: string;
}

export interface Kustomization {
  dir: string;
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  replicas?: { name: string; count: number }[];
  configMapGenerator?: { name: string; behavior?: string; envs?: string[] }[];
  patches?: { path: string; target?: { kind?: string; name?: string } }[];
}

/** The kustomization.yaml of `dir`. */
export function readKustomization(dir: string): Kustomization {
  return { ...(parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as object), dir };
}

/** Every document of a YAML file, empty ones left out. */
export function readYamlDocuments(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
      return document.toJS() as unknown;
    })
    .filter((content) => content !== null && content !== undefined);
}

/**
 * The objects a kustomization's `resources` list names, following directories (other
 * kustomizations) the way kustomize does. A listed path that does not exist throws.
 */
export function resourcesOf(kustomization: Kustomization): Manifest[] {
  return (kustomization.resources ?? []).flatMap((entry) => {
    const path = join(kustomization.dir, entry);
    if (!existsSync(path))
      throw new Error(`${join(kustomization.dir, 'kustomization.yaml')}: ${entry} does not exist`);
    if (statSync(path).isDirectory()) return resourcesOf(readKustomization(path));
    return readYamlDocuments(path).map((content) => ({ ...(content as Omit<Manifest, 'file'>), file: path }));
  });
}

/** `KEY=value` lines of a kustomize env file; `#` lines and blank lines skipped. */
export function readEnvFile(file: string): Record<string, string> {
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      if (at <= 0) throw new Error(`${file}: "${line}" is not KEY=value`);
      return [line.slice(0, at), line.slice(at + 1)] as const;
    });
  return Object.fromEntries(entries);
}

/** The data of a configMapGenerator entry: its env files, read in order. */
export function generatedConfigData(kustomization: Kustomization, name: string): Record<string, string> {
  const generator = (kustomization.configMapGenerator ?? []).find((entry) => entry.name === name);
  if (!generator) throw new Error(`${kustomization.dir}: no configMapGenerator named ${name}`);
  return Object.assign({}, ...(generator.envs ?? []).map((env) => readEnvFile(join(kustomization.dir, env))));
}
