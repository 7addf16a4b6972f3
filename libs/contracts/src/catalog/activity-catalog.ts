import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import type { ActivityEvent, ActivityMetadata } from '../activity-event.types';
import { checkActivityEvent } from '../validation/activity-event.validator';
import { formatProblems } from '../validation/validation-problem.types';
import { checkDefinitionShape } from './activity-type-definition.check';
import {
  ActivityTypeDefinition,
  ActivityTypeInfo,
  DEFAULT_RETENTION_DAYS,
} from './activity-type-definition.types';
import { BUILT_IN_ACTIVITY_TYPES } from './built-in-activity-types.catalog';
import { resolveTypeFilter, TypeFilter } from './type-filter.util';

/** A catalog definition was invalid, or duplicated a type. `problems` lists every one. */
export class ActivityCatalogError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid activity type catalog:\n- ${problems.join('\n- ')}`);
    this.name = 'ActivityCatalogError';
  }
}

interface CatalogEntry {
  info: ActivityTypeInfo;
  validateMetadata: ValidateFunction;
}

/**
 * The activity types a deployment accepts: the built-in ones plus any added by configuration. Made once
 * at boot (it compiles every metadata schema), then shared: lookups and validation are cheap.
 */
export class ActivityCatalog {
  private readonly entries: ReadonlyMap<string, CatalogEntry>;
  /** Every type name, in definition order (built-ins first). */
  readonly types: readonly string[];
  /** The audit types: their events survive their actor's erasure (ActivityTypeDefinition.audit). */
  readonly auditTypes: readonly string[];

  /** Use createActivityCatalog, which checks the definitions first. */
  private constructor(entries: ReadonlyMap<string, CatalogEntry>) {
    this.entries = entries;
    this.types = [...entries.keys()];
    this.auditTypes = [...entries.values()]
      .filter((entry) => entry.info.audit)
      .map((entry) => entry.info.type);
  }

  /**
   * @internal Builds a catalog from definitions already checked by createActivityCatalog; a schema that
   * Ajv refuses is added to `problems`.
   */
  static fromCheckedDefinitions(
    definitions: readonly ActivityTypeDefinition[],
    problems: string[],
  ): ActivityCatalog {
    // One Ajv per catalog: allErrors so a producer sees every problem at once, strict so that a schema
    // with a typo (an unknown keyword, a required key without a property) fails at boot, strictNumbers
    // so that NaN and Infinity (which JSON cannot carry) are not numbers.
    const ajv = new Ajv({ allErrors: true, strict: true, strictNumbers: true });
    const entries = new Map<string, CatalogEntry>();
    definitions.forEach((definition, index) => {
      try {
        entries.set(definition.type, {
          info: Object.freeze({
            ...definition,
            retentionDays: definition.retentionDays ?? DEFAULT_RETENTION_DAYS,
            audit: definition.audit ?? false,
          }),
          validateMetadata: ajv.compile(definition.metadataSchema),
        });
      } catch (error) {
        problems.push(
          `${definitionLabel(definition, index)}: metadataSchema does not compile: ${(error as Error).message}`,
        );
      }
    });
    return new ActivityCatalog(entries);
  }

  has(type: string): boolean {
    return this.entries.has(type);
  }

  /** The definition of `type` (defaults applied), or undefined when the catalog has no such type. */
  get(type: string): ActivityTypeInfo | undefined {
    return this.entries.get(type)?.info;
  }

  /** Every definition, in definition order. */
  definitions(): ActivityTypeInfo[] {
    return [...this.entries.values()].map((entry) => entry.info);
  }

  /**
   * @internal The schema errors of `metadata` for `type` (null when valid). For the validator, which
   * maps them to problems; may throw when reading `metadata` throws.
   */
  metadataErrors(type: string, metadata: unknown): ErrorObject[] | null {
    const entry = this.entries.get(type);
    if (entry === undefined || entry.validateMetadata(metadata)) return null;
    return entry.validateMetadata.errors ?? null;
  }

  /**
   * The types a filter selects: an exact type (`app.viewed`), a prefix (`download.*`) or a list of both.
   * Throws ActivityTypeFilterError for an unknown type, a prefix matching no type, or a malformed filter.
   */
  resolveFilter(filter: TypeFilter): string[] {
    return resolveTypeFilter(filter, this.types);
  }

  /** A predicate for the types a filter selects; throws like resolveFilter. */
  filterPredicate(filter: TypeFilter): (type: string) => boolean {
    const selected = new Set(this.resolveFilter(filter));
    return (type) => selected.has(type);
  }

  /**
   * The metadata the analytics store may keep for an event: only its type's analytics keys. Empty for a
   * type the catalog does not have.
   */
  analyticsMetadata(event: Pick<ActivityEvent, 'type' | 'data'>): ActivityMetadata {
    const keys = this.get(event.type)?.analyticsKeys ?? [];
    const kept: ActivityMetadata = {};
    for (const key of keys) {
      if (Object.prototype.hasOwnProperty.call(event.data.metadata, key))
        kept[key] = event.data.metadata[key];
    }
    return kept;
  }
}

/**
 * A catalog of the built-in types plus `extraDefinitions` (e.g. from configuration). Every definition is
 * checked (shape, a supported metadata schema, analytics keys among the metadata keys, an example that
 * validates) and types must be unique; otherwise an ActivityCatalogError lists all the problems.
 */
export function createActivityCatalog(
  extraDefinitions: readonly ActivityTypeDefinition[] = [],
): ActivityCatalog {
  // Extra definitions usually come from a configuration file, so nothing about them is taken on trust.
  if (!Array.isArray(extraDefinitions))
    throw new ActivityCatalogError(['extra definitions must be an array']);
  const all: unknown[] = [...BUILT_IN_ACTIVITY_TYPES, ...(extraDefinitions as unknown[])];
  const problems: string[] = [];
  const seen = new Set<string>();
  all.forEach((definition, index) => {
    const label = definitionLabel(definition, index);
    for (const problem of checkDefinitionShape(definition)) problems.push(`${label}: ${problem}`);
    const type = (definition as { type?: unknown } | null)?.type;
    if (typeof type === 'string') {
      if (seen.has(type)) problems.push(`${label}: duplicates an earlier definition of ${type}`);
      seen.add(type);
    }
  });
  if (problems.length > 0) throw new ActivityCatalogError(problems);

  const definitions = all as ActivityTypeDefinition[];
  const catalog = ActivityCatalog.fromCheckedDefinitions(definitions, problems);
  if (problems.length > 0) throw new ActivityCatalogError(problems);
  definitions.forEach((definition, index) => {
    const label = definitionLabel(definition, index);
    if (definition.example.type !== definition.type) {
      problems.push(`${label}: example is of type ${String(definition.example.type)}`);
      return;
    }
    const result = checkActivityEvent(definition.example, catalog);
    if (!result.ok) problems.push(`${label}: example is invalid: ${formatProblems(result.problems)}`);
  });
  if (problems.length > 0) throw new ActivityCatalogError(problems);
  return catalog;
}

function definitionLabel(definition: unknown, index: number): string {
  const type = (definition as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type.length <= 64
    ? `definition ${index} (${type})`
    : `definition ${index}`;
}

let defaultCatalog: ActivityCatalog | undefined;

/** The built-in catalog, made on first use (compiling its schemas takes a few milliseconds). */
export function getDefaultActivityCatalog(): ActivityCatalog {
  return (defaultCatalog ??= createActivityCatalog());
}
