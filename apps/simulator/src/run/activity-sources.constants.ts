import type { BuiltInActivityType } from '@chronicle/contracts';

/** The two services the simulator stands in for; each gets an SDK client, and its events that `source`. */
export const SIMULATED_SOURCES = {
  appStore: '/services/app-store',
  mediaServer: '/services/media-server',
} as const;
export type SimulatedSource = (typeof SIMULATED_SOURCES)[keyof typeof SIMULATED_SOURCES];

/** The types the simulated services log; the `admin.*` audit types are the gateway's own. */
export type SimulatedActivityType = Exclude<BuiltInActivityType, `admin.${string}`>;

/** Which service logs which type: the store the browsing, the media server its operations and the accounts. */
export const SOURCE_OF_TYPE: Readonly<Record<SimulatedActivityType, SimulatedSource>> = {
  'app.viewed': SIMULATED_SOURCES.appStore,
  'app.shared': SIMULATED_SOURCES.appStore,
  'favorite.added': SIMULATED_SOURCES.appStore,
  'favorite.removed': SIMULATED_SOURCES.appStore,
  'review.submitted': SIMULATED_SOURCES.appStore,
  'search.performed': SIMULATED_SOURCES.appStore,
  'collection.created': SIMULATED_SOURCES.appStore,
  'profile.updated': SIMULATED_SOURCES.appStore,
  'media_item.added': SIMULATED_SOURCES.mediaServer,
  'download.initiated': SIMULATED_SOURCES.mediaServer,
  'download.completed': SIMULATED_SOURCES.mediaServer,
  'download.failed': SIMULATED_SOURCES.mediaServer,
  'job.started': SIMULATED_SOURCES.mediaServer,
  'job.completed': SIMULATED_SOURCES.mediaServer,
  'job.failed': SIMULATED_SOURCES.mediaServer,
  'health_check.failed': SIMULATED_SOURCES.mediaServer,
  'user.logged_in': SIMULATED_SOURCES.mediaServer,
  'user.logged_out': SIMULATED_SOURCES.mediaServer,
  'settings.updated': SIMULATED_SOURCES.mediaServer,
};

export function sourceOf(type: string): SimulatedSource {
  return SOURCE_OF_TYPE[type as SimulatedActivityType] ?? SIMULATED_SOURCES.mediaServer;
}
