import { ActivityCatalog, getDefaultActivityCatalog } from '../catalog/activity-catalog';
import { checkActivityEvent } from './activity-event.validator';
import type { ValidationResult } from './validation-problem.types';

/**
 * Validates anything against the event contract and `catalog` (the built-in one by default). Returns the
 * event, typed, or every problem found with its dotted path (`data.metadata.rating: must be <= 5`).
 * Never throws, whatever the input: cycles, throwing getters, proxies, huge strings, BigInts.
 */
export function validateActivityEvent(
  input: unknown,
  catalog: ActivityCatalog = getDefaultActivityCatalog(),
): ValidationResult {
  return checkActivityEvent(input, catalog);
}
