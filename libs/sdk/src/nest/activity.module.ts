import { Inject, Logger, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown, Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ActivityClient } from '../lib/activity-client';
import type { ActivityClientOptions } from '../lib/activity-client.options';
import { ACTIVITY_CLIENT_OPTIONS } from './activity-module.options';
import type { ActivityModuleAsyncOptions, ActivityModuleOptions } from './activity-module.options';
import { TrackActivityInterceptor } from './track-activity.interceptor';

/**
 * Provides an `ActivityClient` (inject the class) and tracks `@TrackActivity` handlers. Import it once,
 * in the root module: its interceptor is global, so a second import would log every activity twice.
 *
 * On application shutdown (`app.close()`, or SIGTERM with `app.enableShutdownHooks()`), the client is
 * closed: queued events are published within its `shutdownTimeoutMs`.
 */
@Module({})
export class ActivityModule implements OnApplicationShutdown {
  private readonly logger = new Logger(ActivityModule.name);

  constructor(@Inject(ActivityClient) private readonly client: ActivityClient) {}

  static forRoot(options: ActivityModuleOptions): DynamicModule {
    const { isGlobal, ...clientOptions } = options;
    return ActivityModule.create([{ provide: ACTIVITY_CLIENT_OPTIONS, useValue: clientOptions }], isGlobal);
  }

  static forRootAsync(options: ActivityModuleAsyncOptions): DynamicModule {
    const optionsProvider: Provider = {
      provide: ACTIVITY_CLIENT_OPTIONS,
      useFactory: options.useFactory as (...args: unknown[]) => Promise<ActivityClientOptions>,
      inject: options.inject ?? [],
    };
    return ActivityModule.create([optionsProvider], options.isGlobal, options.imports);
  }

  private static create(
    optionsProviders: Provider[],
    isGlobal: boolean | undefined,
    imports: DynamicModule['imports'] = [],
  ): DynamicModule {
    return {
      module: ActivityModule,
      global: isGlobal ?? false,
      imports,
      providers: [
        ...optionsProviders,
        {
          provide: ActivityClient,
          useFactory: (clientOptions: ActivityClientOptions) => new ActivityClient(clientOptions),
          inject: [ACTIVITY_CLIENT_OPTIONS],
        },
        // Global, so that the decorator is all a handler needs.
        { provide: APP_INTERCEPTOR, useClass: TrackActivityInterceptor },
      ],
      exports: [ActivityClient],
    };
  }

  // After the HTTP server has stopped (Nest closes it between beforeApplicationShutdown and this hook),
  // so the last requests' activities are queued before the client flushes.
  async onApplicationShutdown(): Promise<void> {
    try {
      await this.client.close();
    } catch (error) {
      // Other modules' shutdown must still run.
      this.logger.warn(
        `closing the activity client failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
