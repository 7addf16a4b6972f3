import type { Actor, ActivityContext, ActivityInput, ActivityMetadata } from '@chronicle/contracts';
import type { FollowUps } from './follow-ups.types';
import { Prng } from './prng.util';
import { isMaintenanceWindow } from './rhythm.util';
import {
  ADMIN_IDS,
  COMPONENTS,
  DAYTIME_JOBS,
  IMPORTED_MEDIA,
  JOB_KINDS,
  type JobKind,
  MAINTENANCE_JOBS,
  MEDIA_KINDS,
  type MediaType,
  SCANNED_MEDIA,
  SETTINGS_SECTIONS,
} from './traffic-vocabulary.constants';

/*
 * The media server's own life: scheduled and event-driven jobs (some fail and are retried), library
 * scans that find new media, imports, health checks that fail in streaks, and admins changing
 * settings. It runs around the clock, more of it in the nightly maintenance window.
 */

const HEALTH_MONITOR: Actor = { type: 'system', id: 'health-monitor' };
const MEDIA_IMPORTER: Actor = { type: 'service', id: 'media-importer' };
const LIBRARY_SCANNER: Actor = { type: 'system', id: 'library-scanner' };
const CONFIG_SYNC: Actor = { type: 'service', id: 'config-sync' };
const ADMIN_CLIENT_VERSION = '3.8.0';
const HEALTH_CHECK_INTERVAL_MS = 30_000;
const MAX_JOB_ATTEMPTS = 3;

export class Operations {
  constructor(
    private readonly prng: Prng,
    private readonly followUps: FollowUps,
  ) {}

  /** Something the server starts on its own at `now`: mostly jobs, sometimes an import, a failing health check or a settings change. */
  start(now: number): ActivityInput {
    const draw = this.prng.next();
    if (draw < 0.8) {
      const kind = (isMaintenanceWindow(now) ? MAINTENANCE_JOBS : DAYTIME_JOBS).sample(this.prng);
      return this.manualOrScheduledJob(kind, now);
    }
    if (draw < 0.9) return this.importMedia(now);
    if (draw < 0.965) return this.healthCheckFailed(this.prng.pick(COMPONENTS), 1, now);
    return this.settingsUpdated(now);
  }

  /** A job triggered by an event, e.g. thumbnails for an upload. */
  jobFor(jobType: 'thumbnail_generation' | 'transcoding', now: number): ActivityInput {
    const kind = JOB_KINDS[jobType] as JobKind;
    return this.jobStarted(kind, `run_${this.prng.token(12)}`, 1, 'event', kind.executor, now);
  }

  mediaItemAdded(
    mediaType: MediaType,
    origin: 'scan' | 'upload' | 'import',
    actor: Actor,
    now: number,
  ): ActivityInput {
    const kind = MEDIA_KINDS[mediaType];
    const metadata: ActivityMetadata = {
      mediaType,
      libraryId: kind.libraryId,
      origin,
      sizeBytes: Math.round(this.prng.logNormal(kind.size[0], kind.size[1])),
    };
    if (kind.durationSec) {
      const seconds = this.prng.logNormal(kind.durationSec[0], kind.durationSec[1]);
      metadata['durationSec'] = Math.round(Math.min(604_800, seconds) * 10) / 10;
    }
    return {
      type: 'media_item.added',
      actor,
      entity: { type: 'media_item', id: `mi_${this.prng.token(10)}` },
      metadata,
      time: new Date(now),
    };
  }

  private manualOrScheduledJob(kind: JobKind, now: number): ActivityInput {
    const runId = `run_${this.prng.token(12)}`;
    if (this.prng.chance(0.03)) {
      const admin: Actor = { type: 'user', id: this.prng.pick(ADMIN_IDS) };
      return this.jobStarted(kind, runId, 1, 'manual', admin, now);
    }
    return this.jobStarted(kind, runId, 1, kind.trigger, kind.executor, now);
  }

  private jobStarted(
    kind: JobKind,
    runId: string,
    attempt: number,
    trigger: 'schedule' | 'manual' | 'event',
    actor: Actor,
    now: number,
  ): ActivityInput {
    const runMs = Math.max(200, this.prng.logNormal(kind.duration[0], kind.duration[1]));
    if (this.prng.chance(kind.failure)) {
      const failsAfter = runMs * (0.1 + 0.9 * this.prng.next());
      this.followUps.later(now + failsAfter, (at) => this.jobFailed(kind, runId, attempt, now, at));
    } else {
      if (kind.jobType === 'library_scan') {
        // What the scan finds arrives while it runs.
        const found = this.prng.geometric(0.3);
        for (let i = 1; i <= found; i++) {
          this.followUps.later(now + (runMs * i) / (found + 1), (at) =>
            this.mediaItemAdded(SCANNED_MEDIA.sample(this.prng), 'scan', LIBRARY_SCANNER, at),
          );
        }
      }
      this.followUps.later(now + runMs, (at) => this.jobCompleted(kind, runId, now, at));
    }
    const input: ActivityInput = {
      type: 'job.started',
      actor,
      metadata: { jobType: kind.jobType, runId, trigger, attempt },
      time: new Date(now),
    };
    if (actor.type === 'user') input.context = this.adminContext();
    return input;
  }

  private jobCompleted(kind: JobKind, runId: string, startedAt: number, now: number): ActivityInput {
    return {
      type: 'job.completed',
      actor: kind.executor,
      metadata: {
        jobType: kind.jobType,
        runId,
        durationMs: Math.round(now - startedAt),
        itemsProcessed: Math.round(this.prng.logNormal(kind.items[0], kind.items[1])),
      },
      time: new Date(now),
    };
  }

  private jobFailed(
    kind: JobKind,
    runId: string,
    attempt: number,
    startedAt: number,
    now: number,
  ): ActivityInput {
    const willRetry = attempt < MAX_JOB_ATTEMPTS && this.prng.chance(0.7);
    if (willRetry) {
      this.followUps.later(now + 60_000 * attempt, (at) =>
        this.jobStarted(kind, runId, attempt + 1, 'schedule', kind.executor, at),
      );
    }
    return {
      type: 'job.failed',
      actor: kind.executor,
      metadata: {
        jobType: kind.jobType,
        runId,
        durationMs: Math.round(now - startedAt),
        errorCode: this.prng.pick(kind.errorCodes),
        attempt,
        willRetry,
      },
      time: new Date(now),
    };
  }

  private importMedia(now: number): ActivityInput {
    const batch = 1 + this.prng.geometric(0.4);
    for (let i = 1; i < batch; i++) {
      this.followUps.later(now + i * 2_000, (at) =>
        this.mediaItemAdded(IMPORTED_MEDIA.sample(this.prng), 'import', MEDIA_IMPORTER, at),
      );
    }
    return this.mediaItemAdded(IMPORTED_MEDIA.sample(this.prng), 'import', MEDIA_IMPORTER, now);
  }

  /** Failures come in streaks: each one is followed by another at the next check with some probability; three in a row is 'down'. */
  private healthCheckFailed(
    component: (typeof COMPONENTS)[number],
    consecutiveFailures: number,
    now: number,
  ): ActivityInput {
    const check = this.prng.pick(component.checks);
    const status = consecutiveFailures >= 3 ? 'down' : 'degraded';
    const metadata: ActivityMetadata = { check, status, consecutiveFailures };
    if (status === 'degraded')
      metadata['latencyMs'] = Math.round(Math.min(3_600_000, this.prng.logNormal(1_800, 1.6)));
    else if (this.prng.chance(0.5)) metadata['latencyMs'] = 5_000; // the probe's timeout
    if (consecutiveFailures < 40 && this.prng.chance(0.6)) {
      this.followUps.later(now + HEALTH_CHECK_INTERVAL_MS, (at) =>
        this.healthCheckFailed(component, consecutiveFailures + 1, at),
      );
    }
    return {
      type: 'health_check.failed',
      actor: HEALTH_MONITOR,
      entity: { type: 'component', id: component.id },
      metadata,
      time: new Date(now),
    };
  }

  private settingsUpdated(now: number): ActivityInput {
    const section = this.prng.pick(SETTINGS_SECTIONS);
    const changedKeys = [this.prng.pick(section.keys)];
    while (changedKeys.length < section.keys.length && this.prng.chance(0.35)) {
      const key = this.prng.pick(section.keys);
      if (!changedKeys.includes(key)) changedKeys.push(key);
    }
    const byAdmin = this.prng.chance(0.75);
    const input: ActivityInput = {
      type: 'settings.updated',
      actor: byAdmin ? { type: 'user', id: this.prng.pick(ADMIN_IDS) } : CONFIG_SYNC,
      entity: { type: 'settings_section', id: section.id },
      metadata: { changedKeys },
      time: new Date(now),
    };
    if (byAdmin) input.context = this.adminContext();
    return input;
  }

  private adminContext(): ActivityContext {
    return {
      requestId: `req_${this.prng.token(10)}`,
      clientVersion: ADMIN_CLIENT_VERSION,
      platform: 'web',
    };
  }
}
