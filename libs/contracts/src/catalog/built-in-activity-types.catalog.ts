import { toActivityEvent } from '../activity-event.factory';
import type { ActivityEvent, ActivityInput } from '../activity-event.types';
import { formatUuidV7 } from '../uuid-v7.util';
import type {
  ActivityTypeDefinition,
  ArrayFieldSchema,
  StringFieldSchema,
} from './activity-type-definition.types';

/*
 * The built-in activity types of an app store and a media server (DESIGN.md, "Activity type catalog").
 * Metadata records facts about the activity, never free-form text a user typed about themselves: the
 * one free-text field (search.performed's query) is checked for PII and is not kept for analytics.
 */

const EXAMPLE_EPOCH_MS = Date.parse('2026-11-22T01:53:46.123Z');

/** Examples get fixed ids and times, one minute apart, so the generated docs do not change on rerun. */
function example(seq: number, source: string, input: ActivityInput): ActivityEvent {
  const ms = EXAMPLE_EPOCH_MS + seq * 60_000;
  return toActivityEvent(input, {
    source,
    id: formatUuidV7(ms, 0x1c0ffee000 + seq, 0x5eed0000 + seq),
    time: new Date(ms),
  });
}

const userContext = {
  requestId: 'req_7Hq2xK',
  sessionId: 'sess_4Fb9Lm',
  clientVersion: '5.12.0',
  platform: 'ios',
};

// Reused field schemas: the same fact has the same name and constraints in every type.
const downloadId: StringFieldSchema = {
  type: 'string',
  description: "Correlates a download's initiated, completed and failed events.",
  pattern: '^[A-Za-z0-9_-]+$',
  maxLength: 64,
};
const appVersion: StringFieldSchema = {
  type: 'string',
  description: 'Version of the app being downloaded.',
  pattern: '^[0-9]+(\\.[0-9]+){0,3}([-+][0-9A-Za-z.-]+)?$',
  maxLength: 64,
};
const bytesTransferred = {
  type: 'integer',
  description: 'Bytes received before the event.',
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
} as const;
const durationMs = {
  type: 'integer',
  description: 'Wall-clock duration in milliseconds.',
  minimum: 0,
  maximum: 7 * 86_400_000,
} as const;
/** Which filters an admin read used; the filter values are not recorded (they may name a user). */
const adminFilters: ArrayFieldSchema = {
  type: 'array',
  description: 'The filters applied, by name; never their values.',
  items: { type: 'string', enum: ['userId', 'type', 'entityType', 'entityId', 'source', 'from', 'to'] },
  maxItems: 7,
  uniqueItems: true,
};
const jobType: StringFieldSchema = {
  type: 'string',
  description: 'Kind of job, e.g. `library_scan`, `thumbnail_generation`, `retention_cleanup`.',
  pattern: '^[a-z][a-z0-9_]*$',
  maxLength: 64,
};
const runId: StringFieldSchema = {
  type: 'string',
  description: "Id of the run; correlates a run's started, completed and failed events.",
  pattern: '^[A-Za-z0-9_-]+$',
  maxLength: 64,
};
const attempt = {
  type: 'integer',
  description: 'Attempt number, 1 for the first run.',
  minimum: 1,
  maximum: 100,
} as const;
const favoriteSurface: StringFieldSchema = {
  type: 'string',
  description: 'Where in the UI it happened.',
  enum: ['app_page', 'search_results', 'collection', 'home'],
};
const profileFields: ArrayFieldSchema = {
  type: 'array',
  description: 'Names of the profile fields changed; never their values.',
  items: {
    type: 'string',
    enum: ['displayName', 'avatar', 'bio', 'language', 'timezone', 'notificationPreferences'],
  },
  minItems: 1,
  maxItems: 6,
  uniqueItems: true,
};

export const BUILT_IN_ACTIVITY_TYPES = [
  // ── User activity ────────────────────────────────────────────────────────────────────────────────
  {
    type: 'app.viewed',
    meaning: "A user opened an app's detail page.",
    sentence: 'Viewed app {entity.id}',
    category: 'user-activity',
    actorTypes: ['user'],
    entityType: 'app',
    metadataSchema: {
      type: 'object',
      properties: {
        referrer: {
          type: 'string',
          description: 'Where the user came from.',
          enum: ['search', 'home', 'category', 'collection', 'share_link', 'notification', 'direct'],
        },
        position: {
          type: 'integer',
          description: 'Position of the app in the list it was opened from, 0 for the first.',
          minimum: 0,
          maximum: 10_000,
        },
      },
      required: ['referrer'],
      additionalProperties: false,
    },
    analyticsKeys: ['referrer', 'position'],
    example: example(0, '/services/app-catalog', {
      type: 'app.viewed',
      actor: { type: 'user', id: 'u_123' },
      entity: { type: 'app', id: 'app_42' },
      metadata: { referrer: 'search', position: 2 },
      context: userContext,
    }),
  },
  {
    type: 'app.shared',
    meaning: 'A user shared a link to an app.',
    sentence: 'Shared app {entity.id} ({metadata.channel})',
    category: 'user-activity',
    actorTypes: ['user'],
    entityType: 'app',
    metadataSchema: {
      type: 'object',
      properties: {
        channel: {
          type: 'string',
          description: 'How it was shared (the recipient is never recorded).',
          enum: ['link', 'email', 'sms', 'social', 'other'],
        },
      },
      required: ['channel'],
      additionalProperties: false,
    },
    analyticsKeys: ['channel'],
    example: example(1, '/services/app-catalog', {
      type: 'app.shared',
      actor: { type: 'user', id: 'u_123' },
      entity: { type: 'app', id: 'app_42' },
      metadata: { channel: 'link' },
    }),
  },
  {
    type: 'favorite.added',
    meaning: 'A user added an app to their favorites.',
    sentence: 'Added app {entity.id} to favorites',
    category: 'user-activity',
    actorTypes: ['user'],
    entityType: 'app',
    metadataSchema: {
      type: 'object',
      properties: { surface: favoriteSurface },
      required: ['surface'],
      additionalProperties: false,
    },
    analyticsKeys: ['surface'],
    example: example(2, '/services/favorites', {
      type: 'favorite.added',
      actor: { type: 'user', id: 'u_123' },
      entity: { type: 'app', id: 'app_42' },
      metadata: { surface: 'app_page' },
    }),
  },
  {
    type: 'favorite.removed',
    meaning: 'A user removed an app from their favorites.',
    sentence: 'Removed app {entity.id} from favorites',
    category: 'user-activity',
    actorTypes: ['user'],
    entityType: 'app',
    metadataSchema: {
      type: 'object',
      properties: { surface: favoriteSurface },
      required: ['surface'],
      additionalProperties: false,
    },
    analyticsKeys: ['surface'],
    example: example(3, '/services/favorites', {
      type: 'favorite.removed',
      actor: { type: 'user', id: 'u_123' },
      entity: { type: 'app', id: 'app_42' },
      metadata: { surface: 'collection' },
    }),
  },
  {
    type: 'review.submitted',
    meaning: 'A user rated an app, with or without a written review.',
    sentence: 'Rated app {entity.id} {metadata.rating} out of 5',
    category: 'user-activity',
    actorTypes: ['user'],
    entityType: 'app',
    metadataSchema: {
      type: 'object',
      properties: {
        rating: { type: 'integer', description: 'Stars given.', minimum: 1, maximum: 5 },
        hasText: { type: 'boolean', description: 'Whether a written review came with the rating.' },
        textLength: {
          type: 'integer',
          description:
            'Length of the written review in characters (the text itself stays in the review service).',
          minimum: 0,
          maximum: 5000,
        },
        isEdit: { type: 'boolean', description: "Whether it replaced the user's earlier review of the app." },
      },
      required: ['rating', 'hasText'],
      additionalProperties: false,
    },
    analyticsKeys: ['rating', 'hasText', 'isEdit'],
    example: example(4, '/services/reviews', {
      type: 'review.submitted',
      actor: { type: 'user', id: 'u_123' },
      entity: { type: 'app', id: 'app_42' },
      metadata: { rating: 4, hasText: true, textLength: 212, isEdit: false },
      context: userContext,
    }),
  },
  {
    type: 'search.performed',
    meaning: 'A user ran a search in the store or the media library.',
    sentence: 'Searched for "{metadata.query}" ({metadata.resultCount} results)',
    category: 'user-activity',
    actorTypes: ['user'],
    metadataSchema: {
      type: 'object',
      properties: {
        query: {
          type: 'string',
          description: 'The query as typed; free text, so it is checked for PII and not kept for analytics.',
          minLength: 1,
          maxLength: 200,
        },
        resultCount: {
          type: 'integer',
          description: 'Number of results found.',
          minimum: 0,
          maximum: 1_000_000,
        },
        scope: { type: 'string', description: 'What was searched.', enum: ['apps', 'media', 'all'] },
        page: {
          type: 'integer',
          description: 'Result page shown, 1 for the first.',
          minimum: 1,
          maximum: 1000,
        },
      },
      required: ['query', 'resultCount'],
      additionalProperties: false,
    },
    analyticsKeys: ['resultCount', 'scope', 'page'],
    example: example(5, '/services/search', {
      type: 'search.performed',
      actor: { type: 'user', id: 'u_123' },
      metadata: { query: 'photo editor', resultCount: 37, scope: 'apps', page: 1 },
      context: userContext,
    }),
  },
  {
    type: 'collection.created',
    meaning: 'A user created a collection (a named list of apps or media).',
    sentence: 'Created collection {entity.id} ({metadata.itemCount} items, {metadata.visibility})',
    category: 'user-activity',
    actorTypes: ['user'],
    entityType: 'collection',
    metadataSchema: {
      type: 'object',
      properties: {
        visibility: { type: 'string', description: 'Who can see it.', enum: ['private', 'shared', 'public'] },
        itemCount: {
          type: 'integer',
          description: 'Items it was created with.',
          minimum: 0,
          maximum: 10_000,
        },
      },
      required: ['visibility', 'itemCount'],
      additionalProperties: false,
    },
    analyticsKeys: ['visibility', 'itemCount'],
    example: example(6, '/services/collections', {
      type: 'collection.created',
      actor: { type: 'user', id: 'u_123' },
      entity: { type: 'collection', id: 'col_9Xk2' },
      metadata: { visibility: 'private', itemCount: 3 },
    }),
  },
  {
    type: 'profile.updated',
    // No entity: the actor is the profile's owner. An entity `user/<id>` would put a user id where
    // erasure (which keys on the actor) does not look.
    meaning: 'A user changed their own profile.',
    sentence: 'Updated profile ({metadata.changedFields})',
    category: 'user-activity',
    actorTypes: ['user'],
    metadataSchema: {
      type: 'object',
      properties: { changedFields: profileFields },
      required: ['changedFields'],
      additionalProperties: false,
    },
    analyticsKeys: ['changedFields'],
    example: example(7, '/services/accounts', {
      type: 'profile.updated',
      actor: { type: 'user', id: 'u_123' },
      metadata: { changedFields: ['displayName', 'timezone'] },
    }),
  },
  // ── System and operations ────────────────────────────────────────────────────────────────────────
  {
    type: 'media_item.added',
    meaning: 'A media item joined a library, by a scan, an upload or an import.',
    sentence: 'Added {metadata.mediaType} {entity.id} to library {metadata.libraryId}',
    category: 'system-operations',
    actorTypes: ['user', 'system', 'service'],
    entityType: 'media_item',
    metadataSchema: {
      type: 'object',
      properties: {
        mediaType: {
          type: 'string',
          description: 'Kind of media.',
          enum: ['movie', 'episode', 'music_track', 'album', 'photo', 'audiobook', 'podcast_episode'],
        },
        libraryId: {
          type: 'string',
          description: 'Library it was added to.',
          pattern: '^[A-Za-z0-9_-]+$',
          maxLength: 64,
        },
        origin: { type: 'string', description: 'How it arrived.', enum: ['scan', 'upload', 'import'] },
        sizeBytes: {
          type: 'integer',
          description: 'File size in bytes.',
          minimum: 0,
          maximum: Number.MAX_SAFE_INTEGER,
        },
        durationSec: {
          type: 'number',
          description: 'Play time in seconds, for audio and video.',
          minimum: 0,
          maximum: 604_800,
        },
      },
      required: ['mediaType', 'libraryId', 'origin', 'sizeBytes'],
      additionalProperties: false,
    },
    analyticsKeys: ['mediaType', 'origin', 'sizeBytes', 'durationSec'],
    example: example(8, '/services/media-library', {
      type: 'media_item.added',
      actor: { type: 'system', id: 'library-scanner' },
      entity: { type: 'media_item', id: 'mi_5521' },
      metadata: {
        mediaType: 'movie',
        libraryId: 'lib_movies',
        origin: 'scan',
        sizeBytes: 4_831_838_208,
        durationSec: 7260.5,
      },
    }),
  },
  {
    type: 'download.initiated',
    meaning: 'A download of an app started.',
    sentence: 'Started downloading {entity.id} ({metadata.version})',
    category: 'system-operations',
    actorTypes: ['user'],
    entityType: 'app',
    metadataSchema: {
      type: 'object',
      properties: {
        downloadId,
        version: appVersion,
        sizeBytes: {
          type: 'integer',
          description: 'Size of the package in bytes.',
          minimum: 0,
          maximum: Number.MAX_SAFE_INTEGER,
        },
        network: {
          type: 'string',
          description: 'Network the device was on.',
          enum: ['wifi', 'cellular', 'ethernet', 'unknown'],
        },
      },
      required: ['downloadId', 'version', 'sizeBytes'],
      additionalProperties: false,
    },
    analyticsKeys: ['version', 'sizeBytes', 'network'],
    example: example(9, '/services/downloads', {
      type: 'download.initiated',
      actor: { type: 'user', id: 'u_123' },
      entity: { type: 'app', id: 'app_42' },
      metadata: { downloadId: 'dl_8Jd3', version: '3.4.1', sizeBytes: 58_720_256, network: 'wifi' },
      context: userContext,
    }),
  },
  {
    type: 'download.completed',
    meaning: 'A download of an app finished and the package was verified.',
    sentence: 'Downloaded {entity.id} ({metadata.version})',
    category: 'system-operations',
    actorTypes: ['user', 'system'],
    entityType: 'app',
    metadataSchema: {
      type: 'object',
      properties: { downloadId, version: appVersion, bytesTransferred, durationMs },
      required: ['downloadId', 'version', 'bytesTransferred', 'durationMs'],
      additionalProperties: false,
    },
    analyticsKeys: ['version', 'bytesTransferred', 'durationMs'],
    example: example(10, '/services/downloads', {
      type: 'download.completed',
      actor: { type: 'user', id: 'u_123' },
      entity: { type: 'app', id: 'app_42' },
      metadata: { downloadId: 'dl_8Jd3', version: '3.4.1', bytesTransferred: 58_720_256, durationMs: 8_412 },
    }),
  },
  {
    type: 'download.failed',
    meaning: 'A download of an app stopped before completing.',
    sentence: 'Download of {entity.id} failed ({metadata.reason})',
    category: 'system-operations',
    actorTypes: ['user', 'system'],
    entityType: 'app',
    metadataSchema: {
      type: 'object',
      properties: {
        downloadId,
        reason: {
          type: 'string',
          description: 'Why it stopped.',
          enum: [
            'network_error',
            'storage_full',
            'checksum_mismatch',
            'cancelled',
            'timeout',
            'server_error',
            'unknown',
          ],
        },
        bytesTransferred,
        retryable: { type: 'boolean', description: 'Whether the client will retry on its own.' },
      },
      required: ['downloadId', 'reason', 'bytesTransferred'],
      additionalProperties: false,
    },
    analyticsKeys: ['reason', 'bytesTransferred', 'retryable'],
    example: example(11, '/services/downloads', {
      type: 'download.failed',
      actor: { type: 'system', id: 'download-manager' },
      entity: { type: 'app', id: 'app_42' },
      metadata: {
        downloadId: 'dl_8Jd3',
        reason: 'storage_full',
        bytesTransferred: 12_582_912,
        retryable: false,
      },
    }),
  },
  {
    // Job events have no entity: a run is not a product entity, and "top entities" should not list runs.
    // runId correlates a run's events instead.
    type: 'job.started',
    meaning: 'A background job run started.',
    sentence: 'Started job {metadata.jobType} (attempt {metadata.attempt})',
    category: 'system-operations',
    actorTypes: ['system', 'service', 'user'],
    metadataSchema: {
      type: 'object',
      properties: {
        jobType,
        runId,
        trigger: { type: 'string', description: 'What started it.', enum: ['schedule', 'manual', 'event'] },
        attempt,
      },
      required: ['jobType', 'trigger'],
      additionalProperties: false,
    },
    analyticsKeys: ['jobType', 'trigger', 'attempt'],
    example: example(12, '/services/scheduler', {
      type: 'job.started',
      actor: { type: 'system', id: 'scheduler' },
      metadata: {
        jobType: 'library_scan',
        runId: 'run_20261122_0153_lib_scan',
        trigger: 'schedule',
        attempt: 1,
      },
    }),
  },
  {
    type: 'job.completed',
    meaning: 'A background job run finished successfully.',
    sentence: 'Completed job {metadata.jobType} ({metadata.itemsProcessed} items)',
    category: 'system-operations',
    actorTypes: ['system', 'service'],
    metadataSchema: {
      type: 'object',
      properties: {
        jobType,
        runId,
        durationMs,
        itemsProcessed: {
          type: 'integer',
          description: 'Items the run handled.',
          minimum: 0,
          maximum: Number.MAX_SAFE_INTEGER,
        },
      },
      required: ['jobType', 'durationMs'],
      additionalProperties: false,
    },
    analyticsKeys: ['jobType', 'durationMs', 'itemsProcessed'],
    example: example(13, '/services/scheduler', {
      type: 'job.completed',
      actor: { type: 'system', id: 'scheduler' },
      metadata: {
        jobType: 'library_scan',
        runId: 'run_20261122_0153_lib_scan',
        durationMs: 93_120,
        itemsProcessed: 1_204,
      },
    }),
  },
  {
    type: 'job.failed',
    meaning: 'A background job run failed.',
    sentence: 'Job {metadata.jobType} failed ({metadata.errorCode})',
    category: 'system-operations',
    actorTypes: ['system', 'service'],
    metadataSchema: {
      type: 'object',
      properties: {
        jobType,
        runId,
        durationMs,
        // An error code rather than the error message: messages quote inputs, and inputs can be personal.
        errorCode: {
          type: 'string',
          description: 'Machine-readable failure, e.g. `STORAGE_UNAVAILABLE` (never the error message).',
          pattern: '^[A-Z][A-Z0-9_]*$',
          maxLength: 64,
        },
        attempt,
        willRetry: { type: 'boolean', description: 'Whether another attempt is scheduled.' },
      },
      required: ['jobType', 'durationMs'],
      additionalProperties: false,
    },
    analyticsKeys: ['jobType', 'durationMs', 'errorCode', 'attempt', 'willRetry'],
    example: example(14, '/services/scheduler', {
      type: 'job.failed',
      actor: { type: 'service', id: 'thumbnailer' },
      metadata: {
        jobType: 'thumbnail_generation',
        runId: 'run_20261122_0210_thumbs',
        durationMs: 4_510,
        errorCode: 'STORAGE_UNAVAILABLE',
        attempt: 2,
        willRetry: true,
      },
    }),
  },
  {
    type: 'health_check.failed',
    meaning: 'A health check of a component failed.',
    sentence: 'Health check {metadata.check} of {entity.id} failed ({metadata.status})',
    category: 'system-operations',
    actorTypes: ['system', 'service'],
    entityType: 'component',
    metadataSchema: {
      type: 'object',
      properties: {
        check: {
          type: 'string',
          description: 'Name of the check.',
          pattern: '^[a-z][a-z0-9_.-]*$',
          maxLength: 64,
        },
        status: { type: 'string', description: 'How bad it is.', enum: ['degraded', 'down'] },
        latencyMs: {
          type: 'integer',
          description: 'Time the check took, if it returned.',
          minimum: 0,
          maximum: 3_600_000,
        },
        consecutiveFailures: {
          type: 'integer',
          description: 'Failures in a row, this one included.',
          minimum: 1,
          maximum: 1_000_000,
        },
      },
      required: ['check', 'status', 'consecutiveFailures'],
      additionalProperties: false,
    },
    analyticsKeys: ['check', 'status', 'consecutiveFailures'],
    // Operational noise: useful for days, not months.
    retentionDays: 30,
    example: example(15, '/services/health-monitor', {
      type: 'health_check.failed',
      actor: { type: 'system', id: 'health-monitor' },
      entity: { type: 'component', id: 'postgres' },
      metadata: { check: 'readiness', status: 'down', latencyMs: 5_000, consecutiveFailures: 3 },
    }),
  },
  {
    type: 'user.logged_in',
    meaning: 'A user signed in.',
    sentence: 'Signed in (with {metadata.method})',
    category: 'system-operations',
    actorTypes: ['user'],
    metadataSchema: {
      type: 'object',
      properties: {
        method: {
          type: 'string',
          description: 'How they signed in.',
          enum: ['password', 'sso', 'oauth', 'magic_link', 'passkey'],
        },
        mfa: { type: 'boolean', description: 'Whether a second factor was used.' },
      },
      required: ['method', 'mfa'],
      additionalProperties: false,
    },
    analyticsKeys: ['method', 'mfa'],
    // Sign-ins and sign-outs are the security audit trail, kept for a year.
    retentionDays: 365,
    example: example(16, '/services/accounts', {
      type: 'user.logged_in',
      actor: { type: 'user', id: 'u_123' },
      metadata: { method: 'passkey', mfa: true },
      context: userContext,
    }),
  },
  {
    type: 'user.logged_out',
    meaning: 'A user session ended.',
    sentence: 'Signed out ({metadata.reason})',
    category: 'system-operations',
    actorTypes: ['user'],
    metadataSchema: {
      type: 'object',
      properties: {
        reason: {
          type: 'string',
          description: 'Why it ended.',
          enum: ['user_initiated', 'session_expired', 'revoked'],
        },
      },
      required: ['reason'],
      additionalProperties: false,
    },
    analyticsKeys: ['reason'],
    retentionDays: 365,
    example: example(17, '/services/accounts', {
      type: 'user.logged_out',
      actor: { type: 'user', id: 'u_123' },
      metadata: { reason: 'user_initiated' },
    }),
  },
  {
    type: 'settings.updated',
    meaning: 'Server settings were changed.',
    sentence: 'Changed {entity.id} settings ({metadata.changedKeys})',
    category: 'system-operations',
    actorTypes: ['user', 'system', 'service'],
    entityType: 'settings_section',
    metadataSchema: {
      type: 'object',
      properties: {
        changedKeys: {
          type: 'array',
          description: 'Names of the settings changed; never their values, which may be secrets.',
          items: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_.]*$', maxLength: 64 },
          minItems: 1,
          maxItems: 50,
          uniqueItems: true,
        },
      },
      required: ['changedKeys'],
      additionalProperties: false,
    },
    analyticsKeys: ['changedKeys'],
    // Configuration changes are audit records, kept for a year.
    retentionDays: 365,
    example: example(18, '/services/admin', {
      type: 'settings.updated',
      actor: { type: 'user', id: 'u_admin_7' },
      entity: { type: 'settings_section', id: 'transcoding' },
      metadata: { changedKeys: ['transcoding.hardwareAcceleration', 'transcoding.maxStreams'] },
      context: { requestId: 'req_Zt81pQ', clientVersion: '2.3.0', platform: 'web' },
    }),
  },
  {
    type: 'admin.activities_viewed',
    meaning: "An administrator read users' activities through the admin search or the live feed.",
    sentence: 'Viewed the activity log',
    category: 'system-operations',
    actorTypes: ['user'],
    metadataSchema: {
      type: 'object',
      properties: {
        filters: adminFilters,
        channel: {
          type: 'string',
          description: 'Where they were read.',
          enum: ['search', 'graphql', 'stream'],
        },
        results: {
          type: 'integer',
          description: 'Activities returned (for the live feed, 0: it is logged when it opens).',
          minimum: 0,
          maximum: 1_000,
        },
      },
      required: ['filters', 'channel', 'results'],
      additionalProperties: false,
    },
    analyticsKeys: ['channel'],
    // The audit trail of the audit trail: kept as long as the other audit records.
    retentionDays: 365,
    audit: true,
    example: example(19, '/services/gateway', {
      type: 'admin.activities_viewed',
      actor: { type: 'user', id: 'u_admin_7' },
      metadata: { filters: ['userId', 'type'], channel: 'search', results: 100 },
      context: { requestId: 'req_Vq31sD' },
    }),
  },
  {
    type: 'admin.activities_exported',
    meaning: "An administrator exported users' activities to a file.",
    sentence: 'Exported {metadata.rows} activities as {metadata.format}',
    category: 'system-operations',
    actorTypes: ['user'],
    metadataSchema: {
      type: 'object',
      properties: {
        filters: adminFilters,
        format: { type: 'string', description: 'The file format.', enum: ['csv', 'ndjson'] },
        rows: {
          type: 'integer',
          description: 'Rows sent.',
          minimum: 0,
          maximum: Number.MAX_SAFE_INTEGER,
        },
        completed: {
          type: 'boolean',
          description: 'False when the download stopped before the last row (the client went away).',
        },
      },
      required: ['filters', 'format', 'rows', 'completed'],
      additionalProperties: false,
    },
    analyticsKeys: ['format', 'completed'],
    retentionDays: 365,
    audit: true,
    example: example(20, '/services/gateway', {
      type: 'admin.activities_exported',
      actor: { type: 'user', id: 'u_admin_7' },
      metadata: { filters: ['type', 'from', 'to'], format: 'csv', rows: 125_000, completed: true },
    }),
  },
] as const satisfies readonly ActivityTypeDefinition[];

/** The type names of the built-in catalog. */
export type BuiltInActivityType = (typeof BUILT_IN_ACTIVITY_TYPES)[number]['type'];
