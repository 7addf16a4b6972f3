import type { ActivityFilter, ActivityRecord } from '@chronicle/events-store';
import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver, Subscription } from '@nestjs/graphql';
import { withSentence } from '../activity/timeline-grouping';
import { AdminOnly, CurrentUser } from '../auth/access.decorators';
import type { Principal } from '../auth/token-verifier';
import { callerKey } from '../http/rate-limit';
import { liveActivities } from '../live/live-iterator';
import { catalog, checkRange, connection, toFilter } from './activity-connection';
import { Activity, ActivityConnection, ActivityFilterInput } from './activity-graphql.types';
import { ExplicitArgTypes } from './explicit-types.decorator';
import { GRAPHQL_SERVICES, type GraphqlServices } from './graphql-services';

const DAY_MS = 86_400_000;

/**
 * The activity fields: the same data and access rules as REST. `activities` and `activityAdded` are
 * for admins (the AccessGuard reads @AdminOnly here as on a route); `myActivity` for any user.
 */
@ExplicitArgTypes()
@Resolver()
export class ActivityGraphqlResolver {
  constructor(@Inject(GRAPHQL_SERVICES) private readonly services: GraphqlServices) {}

  @AdminOnly()
  @Query(() => ActivityConnection, { description: "Everyone's activity, newest first (admin)." })
  async activities(
    @CurrentUser() user: Principal,
    @Args('filter', { type: () => ActivityFilterInput, nullable: true }) input: ActivityFilterInput | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 100 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ) {
    const { filter, used } = toFilter(input);
    const result = await connection(
      this.services.activities,
      filter,
      checkRange('first', first, 1_000),
      after,
    );
    this.services.audit.log({
      type: 'admin.activities_viewed',
      actor: { type: 'user', id: user.id },
      metadata: { filters: used, channel: 'graphql', results: result.edges.length },
    });
    return result;
  }

  @Query(() => ActivityConnection, {
    description: "The caller's own activity of the last days (30 by default, at most 90), newest first.",
  })
  myActivity(
    @CurrentUser() user: Principal,
    @Args('days', { type: () => Int, nullable: true, defaultValue: 30 }) days: number,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ) {
    const filter: ActivityFilter = {
      actorId: user.id,
      actorType: 'user',
      from: new Date(Date.now() - checkRange('days', days, 90) * DAY_MS),
    };
    return connection(this.services.activities, filter, checkRange('first', first, 200), after);
  }

  @AdminOnly()
  @Subscription(() => Activity, {
    description: 'Each new activity passing the filter, as it is published (admin).',
    // The stream yields the records themselves, not `{ activityAdded }` payloads.
    resolve: (activity: ActivityRecord) => withSentence(activity, catalog),
  })
  activityAdded(
    @CurrentUser() user: Principal,
    @Args('filter', { type: () => ActivityFilterInput, nullable: true }) input: ActivityFilterInput | null,
  ) {
    const { filter, used } = toFilter(input);
    const release = this.services.liveStreams.acquire(callerKey(user));
    this.services.audit.log({
      type: 'admin.activities_viewed',
      actor: { type: 'user', id: user.id },
      metadata: { filters: used, channel: 'stream', results: 0 },
    });
    return liveActivities(this.services.liveFeed, filter, release);
  }
}
