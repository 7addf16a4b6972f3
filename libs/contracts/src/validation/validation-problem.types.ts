import type { ActivityEvent } from '../activity-event.types';

/** One reason an event is invalid. `path` is dotted from the event's root (`data.metadata.rating`); '' is the root. */
export interface ValidationProblem {
  path: string;
  message: string;
}

export type ValidationResult =
  { ok: true; event: ActivityEvent } | { ok: false; problems: ValidationProblem[] };

/** `data.actor.id: required; time: must be an RFC 3339 timestamp` — for logs, errors and DLQ headers. */
export function formatProblems(problems: readonly ValidationProblem[]): string {
  return problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`)).join('; ');
}
