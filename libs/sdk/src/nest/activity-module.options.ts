import type { FactoryProvider, ModuleMetadata } from '@nestjs/common';
import type { ActivityClientOptions } from '../lib/activity-client.options';

export interface ActivityModuleOptions extends ActivityClientOptions {
  /** Make `ActivityClient` injectable in every module without importing `ActivityModule` there. */
  isGlobal?: boolean;
}

export interface ActivityModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Providers passed to `useFactory`, e.g. `[ConfigService]`. */
  inject?: FactoryProvider['inject'];
  /** Typed loosely (like Nest's own factories): it receives the `inject` providers in order. */
  useFactory: (...args: never[]) => ActivityClientOptions | Promise<ActivityClientOptions>;
  isGlobal?: boolean;
}

/** The client's options as resolved by forRoot / forRootAsync. */
export const ACTIVITY_CLIENT_OPTIONS = Symbol('ACTIVITY_CLIENT_OPTIONS');
