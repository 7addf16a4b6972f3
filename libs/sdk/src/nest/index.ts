// The NestJS integration of the producer SDK: `import { ActivityModule, TrackActivity } from '@chronicle/sdk/nest'`.

export { ActivityModule } from './activity.module';
export type { ActivityModuleOptions, ActivityModuleAsyncOptions } from './activity-module.options';
export { TrackActivity } from './track-activity.decorator';
// Registered by ActivityModule already; exported for tests and for reading, not for @UseInterceptors.
export { TrackActivityInterceptor } from './track-activity.interceptor';
export type {
  ActivityTypeName,
  EntitySource,
  TrackActivityOptions,
  TrackedRequest,
} from './track-activity.options';
export { actorFromRequestUser } from './activity-from-request.util';
// The client itself, so a Nest application needs one import path.
export { ActivityClient } from '../lib/activity-client';
export type { ActivityClientOptions } from '../lib/activity-client.options';
