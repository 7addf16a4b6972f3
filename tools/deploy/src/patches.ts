import { join } from 'node:path';
import type { Kustomization, Manifest } from './kustomization';
import { readYamlDocuments } from './kustomization';

/** One of an overlay's patches, with the base objects it applies to and their patched form. */
export interface AppliedPatch {
  path: string;
  targets: Manifest[];
  patched: Manifest[];
}

type JsonOperation = { op: string; path: string; value?: unknown };

/**
 * Applies each patch of `overlay` to the objects of `base` it targets, as kustomize would for the
 * two forms used here: a strategic merge patch (the target named by the patch's own kind and name,
 * or by `target`) and a JSON patch of `replace` operations (`target`, whose name is a regular
 * expression). An operation kustomize would refuse (a path that does not exist) throws.
 */
export function applyPatches(overlay: Kustomization, base: readonly Manifest[]): AppliedPatch[] {
  return (overlay.patches ?? []).map(({ path, target }) => {
    const [content] = readYamlDocuments(join(overlay.dir, path));
    const isJsonPatch = Array.isArray(content);
    const selector = target ?? {
      kind: (content as Manifest).kind,
      name: (content as Manifest).metadata?.name,
    };
    const targets = base.filter(
      (object) =>
        (selector.kind === undefined || object.kind === selector.kind) &&
        (selector.name === undefined || new RegExp(`^(?:${selector.name})$`).test(object.metadata.name)),
    );
    const patched = targets.map((object) =>
      isJsonPatch
        ? applyJsonPatch(object, content as JsonOperation[])
        : (strategicMerge(object, content) as Manifest),
    );
    return { path, targets, patched };
  });
}

function applyJsonPatch(object: Manifest, operations: readonly JsonOperation[]): Manifest {
  const copy = structuredClone(object);
  for (const { op, path, value } of operations) {
    if (op !== 'replace') throw new Error(`JSON patch op ${op} is not supported by this check`);
    const keys = path.split('/').slice(1);
    const last = keys.pop() as string;
    let parent: unknown = copy;
    for (const key of keys) parent = (parent as Record<string, unknown> | undefined)?.[key];
    if (parent === undefined || !(last in (parent as object)))
      throw new Error(`${object.kind} ${object.metadata.name} has no ${path} to replace`);
    (parent as Record<string, unknown>)[last] = value;
  }
  return copy;
}

/** Maps merge key by key; lists of named objects (containers, ports, env) merge by name; others replace. */
function strategicMerge(target: unknown, patch: unknown): unknown {
  if (Array.isArray(target) && Array.isArray(patch) && patch.every(isNamed)) {
    const merged = target.map((item) => {
      const match = isNamed(item) ? patch.find((entry) => entry.name === item.name) : undefined;
      return match ? strategicMerge(item, match) : item;
    });
    const added = patch.filter((entry) => !target.some((item) => isNamed(item) && item.name === entry.name));
    return [...merged, ...added];
  }
  if (isObject(target) && isObject(patch)) {
    const merged: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(patch)) merged[key] = strategicMerge(target[key], value);
    return merged;
  }
  return patch;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNamed(value: unknown): value is { name: string } {
  return isObject(value) && typeof value['name'] === 'string';
}
