import { WeightedChoice } from './prng.util';

/*
 * The words the simulated product uses: what people search for, which jobs the media server runs,
 * which settings admins change. Every value is a fixed, made-up string, so no generated event can
 * carry personal data.
 */

export const PLATFORMS = ['ios', 'android', 'web', 'tv', 'desktop'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Client versions per platform, newest first; most users update. */
export const CLIENT_VERSIONS: Readonly<Record<Platform, readonly string[]>> = {
  ios: ['5.12.0', '5.11.2', '5.10.1'],
  android: ['5.12.1', '5.11.0', '5.9.4'],
  web: ['3.8.0', '3.7.2', '3.6.0'],
  tv: ['2.4.0', '2.3.1', '2.1.0'],
  desktop: ['1.9.2', '1.9.0', '1.8.3'],
};

export const SEARCH_TERMS = [
  'photo editor',
  'vpn',
  'password manager',
  'backup',
  'music player',
  'video player',
  'weather',
  'notes',
  'calendar',
  'pdf reader',
  'file manager',
  'download manager',
  'home automation',
  'chat',
  'podcast',
  'ebook reader',
  'fitness',
  'budget',
  'recipes',
  'maps',
  'camera',
  'scanner',
  'translator',
  'meditation',
  'puzzle games',
  'racing games',
  'strategy games',
  'kids',
  'news',
  'media server',
  'subtitles',
  'nature documentary',
  'jazz',
  'classical',
  'holiday photos',
  'cooking show',
  'sci-fi',
  'comedy',
  'audiobooks',
  'lullabies',
] as const;
export const SEARCH_MODIFIERS = [
  'free',
  'pro',
  'offline',
  'for kids',
  'dark mode',
  'open source',
  'lite',
  'hd',
];

export const VIEW_REFERRERS = new WeightedChoice<string>([
  ['home', 35],
  ['category', 20],
  ['search', 12],
  ['collection', 8],
  ['share_link', 5],
  ['notification', 7],
  ['direct', 13],
]);
/** Referrers that open an app from a list, so the view has a position in it. */
export const LIST_REFERRERS: ReadonlySet<string> = new Set(['home', 'category', 'search', 'collection']);

export const SHARE_CHANNELS = new WeightedChoice<string>([
  ['link', 45],
  ['social', 25],
  ['sms', 12],
  ['email', 10],
  ['other', 8],
]);
export const FAVORITE_ADD_SURFACES = new WeightedChoice<string>([
  ['app_page', 60],
  ['search_results', 15],
  ['collection', 10],
  ['home', 15],
]);
export const FAVORITE_REMOVE_SURFACES = new WeightedChoice<string>([
  ['app_page', 50],
  ['collection', 40],
  ['home', 10],
]);
/** Ratings are J-shaped: mostly fives, then fours, a bump of angry ones. */
export const RATINGS = new WeightedChoice<number>([
  [5, 50],
  [4, 23],
  [3, 9],
  [2, 6],
  [1, 12],
]);
export const SEARCH_SCOPES = new WeightedChoice<string>([
  ['apps', 70],
  ['all', 20],
  ['media', 10],
]);
export const COLLECTION_VISIBILITY = new WeightedChoice<string>([
  ['private', 60],
  ['shared', 25],
  ['public', 15],
]);
export const PROFILE_FIELDS = new WeightedChoice<string>([
  ['avatar', 30],
  ['displayName', 25],
  ['bio', 15],
  ['notificationPreferences', 15],
  ['language', 8],
  ['timezone', 7],
]);
export const LOGIN_METHODS = new WeightedChoice<string>([
  ['password', 40],
  ['passkey', 22],
  ['oauth', 20],
  ['sso', 10],
  ['magic_link', 8],
]);

export type MediaType =
  'movie' | 'episode' | 'music_track' | 'album' | 'photo' | 'audiobook' | 'podcast_episode';

/** Where each kind of media lives, how big it is and how long it plays (median, spread); photos do not play. */
export const MEDIA_KINDS: Readonly<
  Record<MediaType, { libraryId: string; size: [number, number]; durationSec?: [number, number] }>
> = {
  movie: { libraryId: 'lib_movies', size: [2.5e9, 1.8], durationSec: [6300, 1.25] },
  episode: { libraryId: 'lib_tv', size: [7e8, 1.6], durationSec: [2600, 1.3] },
  music_track: { libraryId: 'lib_music', size: [8e6, 1.4], durationSec: [220, 1.3] },
  album: { libraryId: 'lib_music', size: [1.2e8, 1.5], durationSec: [2700, 1.3] },
  photo: { libraryId: 'lib_photos', size: [3.5e6, 1.6] },
  audiobook: { libraryId: 'lib_audiobooks', size: [4e8, 1.6], durationSec: [36000, 1.5] },
  podcast_episode: { libraryId: 'lib_podcasts', size: [6e7, 1.6], durationSec: [2700, 1.5] },
};
export const UPLOADED_MEDIA = new WeightedChoice<MediaType>([
  ['photo', 65],
  ['music_track', 12],
  ['movie', 8],
  ['episode', 5],
  ['album', 5],
  ['audiobook', 3],
  ['podcast_episode', 2],
]);
export const SCANNED_MEDIA = new WeightedChoice<MediaType>([
  ['episode', 35],
  ['music_track', 25],
  ['movie', 20],
  ['photo', 15],
  ['audiobook', 5],
]);
export const IMPORTED_MEDIA = new WeightedChoice<MediaType>([
  ['album', 30],
  ['podcast_episode', 30],
  ['movie', 20],
  ['episode', 20],
]);

export type NetworkKind = 'wifi' | 'cellular' | 'ethernet' | 'unknown';
/** Download speed in bytes per second (median, spread) and the chance a download fails. */
export const NETWORKS: Readonly<Record<NetworkKind, { speed: [number, number]; failure: number }>> = {
  wifi: { speed: [8e6, 2], failure: 0.06 },
  cellular: { speed: [2.5e6, 2], failure: 0.14 },
  ethernet: { speed: [2.5e7, 1.8], failure: 0.04 },
  unknown: { speed: [5e6, 2.5], failure: 0.1 },
};
export const NETWORKS_BY_PLATFORM: Readonly<Record<Platform, WeightedChoice<NetworkKind>>> = {
  ios: new WeightedChoice<NetworkKind>([
    ['wifi', 70],
    ['cellular', 30],
  ]),
  android: new WeightedChoice<NetworkKind>([
    ['wifi', 65],
    ['cellular', 33],
    ['unknown', 2],
  ]),
  web: new WeightedChoice<NetworkKind>([
    ['wifi', 50],
    ['ethernet', 45],
    ['unknown', 5],
  ]),
  tv: new WeightedChoice<NetworkKind>([
    ['ethernet', 60],
    ['wifi', 40],
  ]),
  desktop: new WeightedChoice<NetworkKind>([
    ['ethernet', 55],
    ['wifi', 45],
  ]),
};
export const DOWNLOAD_FAILURES = new WeightedChoice<string>([
  ['network_error', 35],
  ['cancelled', 25],
  ['timeout', 15],
  ['storage_full', 10],
  ['server_error', 8],
  ['checksum_mismatch', 4],
  ['unknown', 3],
]);
export const RETRYABLE_DOWNLOAD_FAILURES: ReadonlySet<string> = new Set([
  'network_error',
  'timeout',
  'server_error',
]);
/** Failures the server notices rather than the device. */
export const SERVER_SIDE_DOWNLOAD_FAILURES: ReadonlySet<string> = new Set([
  'server_error',
  'checksum_mismatch',
]);

export interface JobKind {
  jobType: string;
  executor: { type: 'system' | 'service'; id: string };
  trigger: 'schedule' | 'event';
  /** Run time in ms (median, spread). */
  duration: [number, number];
  items: [number, number];
  failure: number;
  errorCodes: readonly string[];
}
export const JOB_KINDS: Readonly<Record<string, JobKind>> = {
  thumbnail_generation: {
    jobType: 'thumbnail_generation',
    executor: { type: 'service', id: 'thumbnailer' },
    trigger: 'event',
    duration: [6_000, 2],
    items: [12, 3],
    failure: 0.06,
    errorCodes: ['DECODE_ERROR', 'STORAGE_UNAVAILABLE', 'OUT_OF_MEMORY'],
  },
  metadata_refresh: {
    jobType: 'metadata_refresh',
    executor: { type: 'service', id: 'metadata-fetcher' },
    trigger: 'schedule',
    duration: [20_000, 2],
    items: [150, 3],
    failure: 0.07,
    errorCodes: ['UPSTREAM_UNAVAILABLE', 'RATE_LIMITED'],
  },
  library_scan: {
    jobType: 'library_scan',
    executor: { type: 'system', id: 'library-scanner' },
    trigger: 'schedule',
    duration: [90_000, 2.5],
    items: [1200, 2.5],
    failure: 0.04,
    errorCodes: ['STORAGE_UNAVAILABLE', 'PERMISSION_DENIED'],
  },
  transcoding: {
    jobType: 'transcoding',
    executor: { type: 'service', id: 'transcoder' },
    trigger: 'event',
    duration: [240_000, 2],
    items: [1, 1.5],
    failure: 0.08,
    errorCodes: ['CODEC_UNSUPPORTED', 'OUT_OF_MEMORY', 'TIMEOUT'],
  },
  retention_cleanup: {
    jobType: 'retention_cleanup',
    executor: { type: 'system', id: 'scheduler' },
    trigger: 'schedule',
    duration: [45_000, 2],
    items: [5000, 3],
    failure: 0.02,
    errorCodes: ['DATABASE_UNAVAILABLE'],
  },
  backup: {
    jobType: 'backup',
    executor: { type: 'system', id: 'scheduler' },
    trigger: 'schedule',
    duration: [600_000, 1.8],
    items: [20_000, 2],
    failure: 0.05,
    errorCodes: ['STORAGE_FULL', 'TIMEOUT'],
  },
};
export const DAYTIME_JOBS = new WeightedChoice<JobKind>(
  (
    [
      ['thumbnail_generation', 36],
      ['metadata_refresh', 20],
      ['library_scan', 18],
      ['transcoding', 20],
      ['retention_cleanup', 2],
      ['backup', 4],
    ] as const
  ).map(([name, weight]) => [JOB_KINDS[name] as JobKind, weight] as const),
);
/** The maintenance window runs the housekeeping. */
export const MAINTENANCE_JOBS = new WeightedChoice<JobKind>(
  (
    [
      ['library_scan', 30],
      ['retention_cleanup', 25],
      ['backup', 25],
      ['metadata_refresh', 20],
    ] as const
  ).map(([name, weight]) => [JOB_KINDS[name] as JobKind, weight] as const),
);

export const COMPONENTS: ReadonlyArray<{ id: string; checks: readonly string[] }> = [
  { id: 'postgres', checks: ['readiness', 'replication_lag'] },
  { id: 'transcoder', checks: ['liveness', 'gpu'] },
  { id: 'storage', checks: ['disk_space', 'mount'] },
  { id: 'metadata-api', checks: ['upstream', 'latency'] },
  { id: 'search-index', checks: ['readiness', 'latency'] },
  { id: 'cache', checks: ['liveness'] },
];

export const SETTINGS_SECTIONS: ReadonlyArray<{ id: string; keys: readonly string[] }> = [
  {
    id: 'transcoding',
    keys: [
      'transcoding.hardwareAcceleration',
      'transcoding.maxStreams',
      'transcoding.preset',
      'transcoding.tempDir',
    ],
  },
  {
    id: 'libraries',
    keys: ['libraries.scanInterval', 'libraries.watchFolders', 'libraries.thumbnailQuality'],
  },
  { id: 'network', keys: ['network.remoteAccess', 'network.port', 'network.bandwidthLimit'] },
  { id: 'users', keys: ['users.allowSignups', 'users.defaultRole', 'users.sessionTimeout'] },
  { id: 'notifications', keys: ['notifications.push', 'notifications.digest', 'notifications.quietHours'] },
  { id: 'backup', keys: ['backup.schedule', 'backup.retention', 'backup.target'] },
];
export const ADMIN_IDS = ['u_admin_1', 'u_admin_2', 'u_admin_3'] as const;
