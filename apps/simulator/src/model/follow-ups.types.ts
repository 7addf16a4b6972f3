import type { ActivityInput } from '@chronicle/contracts';

/** Makes the event of a follow-up at `now`, the time of the stream's next event (at or after its due time). */
export type EmitFollowUp = (now: number) => ActivityInput;

/**
 * What happens later because of what happens now: a session's next step, a download finishing, a job
 * completing. The model emits a due follow-up before starting anything new.
 */
export interface FollowUps {
  later(dueMs: number, emit: EmitFollowUp): void;
}
