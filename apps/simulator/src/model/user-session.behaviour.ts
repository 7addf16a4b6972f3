import type {
  Actor,
  ActivityContext,
  ActivityInput,
  ActivityMetadata,
  EntityRef,
} from '@chronicle/contracts';
import type { AppCatalog } from './app-catalog.model';
import type { FollowUps } from './follow-ups.types';
import type { Operations } from './operations.behaviour';
import type { Population } from './population.model';
import { Prng, WeightedChoice } from './prng.util';
import type { Platform } from './traffic-vocabulary.constants';
import {
  COLLECTION_VISIBILITY,
  DOWNLOAD_FAILURES,
  FAVORITE_ADD_SURFACES,
  FAVORITE_REMOVE_SURFACES,
  LIST_REFERRERS,
  LOGIN_METHODS,
  MEDIA_KINDS,
  NETWORKS,
  NETWORKS_BY_PLATFORM,
  PROFILE_FIELDS,
  RATINGS,
  RETRYABLE_DOWNLOAD_FAILURES,
  SEARCH_MODIFIERS,
  SEARCH_SCOPES,
  SEARCH_TERMS,
  SERVER_SIDE_DOWNLOAD_FAILURES,
  SHARE_CHANNELS,
  UPLOADED_MEDIA,
  VIEW_REFERRERS,
} from './traffic-vocabulary.constants';

/*
 * A user's visit: sometimes a sign-in first, then a chain of actions a few seconds to a minute apart
 * (browsing dominates; searching leads to views of the results; favourites, reviews and shares follow
 * views of the same app; downloads finish or fail later), and sometimes a sign-out or an expiry at the
 * end. Heavier users have longer visits.
 */

type UserAction =
  | 'view'
  | 'search'
  | 'download'
  | 'favorite'
  | 'unfavorite'
  | 'review'
  | 'share'
  | 'upload'
  | 'collection'
  | 'profile';

const ACTIONS = new WeightedChoice<UserAction>([
  ['view', 44],
  ['search', 15],
  ['download', 6],
  ['favorite', 4.5],
  ['unfavorite', 1.2],
  ['review', 1.5],
  ['share', 1.5],
  ['upload', 2.2],
  ['collection', 0.6],
  ['profile', 0.5],
]);

const SIGN_IN_SHARE = 0.3;
const MEAN_STEP_GAP_MS = 25_000;
const SESSION_EXPIRY_MS = 30 * 60_000;
const MAX_FAVOURITES_KEPT = 50;
const DOWNLOAD_MANAGER: Actor = { type: 'system', id: 'download-manager' };

interface Session {
  user: number;
  actor: Actor;
  sessionId: string;
  platform: Platform;
  clientVersion: string;
  continueProbability: number;
  /** The app the user looked at last: favourites, reviews, shares and downloads are mostly about it. */
  lastApp: number | undefined;
  /** Set by a search: the next views come from its results. */
  afterSearch: boolean;
}

export class UserSessions {
  /** Each user's favourites (the latest ones), so that an unfavourite is of an app they did favourite. */
  private readonly favourites = new Map<number, number[]>();

  constructor(
    private readonly prng: Prng,
    private readonly followUps: FollowUps,
    private readonly population: Population,
    private readonly apps: AppCatalog,
    private readonly operations: Operations,
  ) {}

  /** A visit of `user` starts at `now`; returns its first event and schedules the rest. */
  start(user: number, now: number): ActivityInput {
    const weight = this.population.weightOf(user);
    const session: Session = {
      user,
      actor: { type: 'user', id: this.population.id(user) },
      sessionId: `sess_${this.prng.token(10)}`,
      platform: this.population.platformOf(user),
      clientVersion: this.population.clientVersionOf(user),
      continueProbability: Math.min(0.9, 0.7 + 0.02 * weight),
      lastApp: undefined,
      afterSearch: false,
    };
    if (!this.prng.chance(SIGN_IN_SHARE)) return this.step(session, now);
    this.followUps.later(now + 1_000 + this.prng.exponential(4_000), (at) => this.step(session, at));
    const method = LOGIN_METHODS.sample(this.prng);
    const mfa = method === 'passkey' || this.prng.chance(method === 'sso' ? 0.5 : 0.2);
    return this.event(session, 'user.logged_in', { method, mfa }, now);
  }

  private step(session: Session, now: number): ActivityInput {
    const input = this.act(session, now);
    if (this.prng.chance(session.continueProbability)) {
      const gap = 2_000 + this.prng.exponential(MEAN_STEP_GAP_MS);
      this.followUps.later(now + gap, (at) => this.step(session, at));
    } else this.end(session, now);
    return input;
  }

  private end(session: Session, now: number): void {
    const draw = this.prng.next();
    if (draw < 0.2) this.signOut(session, 'user_initiated', now + 1_000 + this.prng.exponential(5_000));
    else if (draw < 0.28) this.signOut(session, 'session_expired', now + SESSION_EXPIRY_MS);
    else if (draw < 0.285) this.signOut(session, 'revoked', now + this.prng.exponential(SESSION_EXPIRY_MS));
  }

  private signOut(session: Session, reason: string, due: number): void {
    this.followUps.later(due, (at) => this.event(session, 'user.logged_out', { reason }, at));
  }

  private act(session: Session, now: number): ActivityInput {
    if (session.afterSearch) {
      session.afterSearch = this.prng.chance(0.5);
      if (this.prng.chance(0.75)) return this.view(session, 'search', now);
    }
    switch (ACTIONS.sample(this.prng)) {
      case 'view':
        return this.view(session, VIEW_REFERRERS.sample(this.prng), now);
      case 'search':
        return this.search(session, now);
      case 'download':
        return this.download(session, now);
      case 'favorite':
        return this.favorite(session, now);
      case 'unfavorite':
        return this.unfavorite(session, now);
      case 'review':
        return this.review(session, now);
      case 'share':
        return this.appEvent(
          session,
          'app.shared',
          this.currentApp(session),
          { channel: SHARE_CHANNELS.sample(this.prng) },
          now,
        );
      case 'upload':
        return this.upload(session, now);
      case 'collection':
        return this.collection(session, now);
      case 'profile':
        return this.profile(session, now);
    }
  }

  private view(session: Session, referrer: string, now: number): ActivityInput {
    const app = this.apps.sample(this.prng);
    session.lastApp = app;
    const metadata: ActivityMetadata = { referrer };
    // The top of a list gets most of the clicks.
    if (LIST_REFERRERS.has(referrer)) metadata['position'] = Math.min(10_000, this.prng.geometric(0.3));
    return this.appEvent(session, 'app.viewed', app, metadata, now);
  }

  private search(session: Session, now: number): ActivityInput {
    session.afterSearch = true;
    let query: string = this.prng.pick(SEARCH_TERMS);
    if (this.prng.chance(0.25)) query = `${query} ${this.prng.pick(SEARCH_MODIFIERS)}`;
    const resultCount = this.prng.chance(0.06)
      ? 0
      : Math.min(1_000_000, 1 + Math.round(this.prng.logNormal(40, 3)));
    const page = this.prng.chance(0.85) ? 1 : Math.min(1_000, 2 + this.prng.geometric(0.5));
    const metadata = { query, resultCount, scope: SEARCH_SCOPES.sample(this.prng), page };
    return this.event(session, 'search.performed', metadata, now);
  }

  private favorite(session: Session, now: number): ActivityInput {
    const app = this.currentApp(session);
    const favourites = this.favourites.get(session.user) ?? [];
    favourites.push(app);
    if (favourites.length > MAX_FAVOURITES_KEPT) favourites.shift();
    this.favourites.set(session.user, favourites);
    return this.appEvent(
      session,
      'favorite.added',
      app,
      { surface: FAVORITE_ADD_SURFACES.sample(this.prng) },
      now,
    );
  }

  private unfavorite(session: Session, now: number): ActivityInput {
    const favourites = this.favourites.get(session.user);
    if (favourites === undefined || favourites.length === 0) return this.favorite(session, now);
    const [app] = favourites.splice(this.prng.int(0, favourites.length - 1), 1) as [number];
    return this.appEvent(
      session,
      'favorite.removed',
      app,
      { surface: FAVORITE_REMOVE_SURFACES.sample(this.prng) },
      now,
    );
  }

  private review(session: Session, now: number): ActivityInput {
    const metadata: ActivityMetadata = { rating: RATINGS.sample(this.prng), hasText: this.prng.chance(0.35) };
    if (metadata['hasText'])
      metadata['textLength'] = Math.min(5_000, 1 + Math.round(this.prng.logNormal(180, 2.2)));
    metadata['isEdit'] = this.prng.chance(0.08);
    return this.appEvent(session, 'review.submitted', this.currentApp(session), metadata, now);
  }

  /** A download starts now and completes or fails when the bytes at the network's speed say so. */
  private download(session: Session, now: number): ActivityInput {
    const app = this.currentApp(session);
    const downloadId = `dl_${this.prng.token(12)}`;
    const version = this.apps.version(app);
    const sizeBytes = this.apps.sizeBytes(app);
    const network = NETWORKS_BY_PLATFORM[session.platform].sample(this.prng);
    const { speed, failure } = NETWORKS[network];
    const takesMs = Math.max(300, (1000 * sizeBytes) / this.prng.logNormal(speed[0], speed[1]));
    if (this.prng.chance(failure)) {
      const fraction = this.prng.next();
      this.followUps.later(now + takesMs * fraction, (at) => {
        const reason = DOWNLOAD_FAILURES.sample(this.prng);
        const metadata = {
          downloadId,
          reason,
          bytesTransferred: Math.floor(sizeBytes * fraction),
          retryable: RETRYABLE_DOWNLOAD_FAILURES.has(reason),
        };
        const input = this.appEvent(session, 'download.failed', app, metadata, at);
        if (SERVER_SIDE_DOWNLOAD_FAILURES.has(reason)) {
          input.actor = DOWNLOAD_MANAGER;
          delete input.context;
        }
        return input;
      });
    } else {
      this.followUps.later(now + takesMs, (at) =>
        this.appEvent(
          session,
          'download.completed',
          app,
          {
            downloadId,
            version,
            bytesTransferred: sizeBytes,
            durationMs: Math.min(7 * 86_400_000, Math.round(at - now)),
          },
          at,
        ),
      );
    }
    return this.appEvent(
      session,
      'download.initiated',
      app,
      { downloadId, version, sizeBytes, network },
      now,
    );
  }

  /** An upload to the media server; photos and videos set its thumbnailer and transcoder to work. */
  private upload(session: Session, now: number): ActivityInput {
    const mediaType = UPLOADED_MEDIA.sample(this.prng);
    const input = this.operations.mediaItemAdded(mediaType, 'upload', session.actor, now);
    input.context = this.context(session);
    const playable = MEDIA_KINDS[mediaType].durationSec !== undefined;
    if (mediaType === 'photo' || (playable && this.prng.chance(0.3))) {
      this.followUps.later(now + 500 + this.prng.exponential(3_000), (at) =>
        this.operations.jobFor(mediaType === 'photo' ? 'thumbnail_generation' : 'transcoding', at),
      );
    }
    return input;
  }

  private collection(session: Session, now: number): ActivityInput {
    const metadata = {
      visibility: COLLECTION_VISIBILITY.sample(this.prng),
      itemCount: Math.min(10_000, this.prng.geometric(0.2)),
    };
    const entity = { type: 'collection', id: `col_${this.prng.token(8)}` };
    return this.event(session, 'collection.created', metadata, now, entity);
  }

  private profile(session: Session, now: number): ActivityInput {
    const changedFields = [PROFILE_FIELDS.sample(this.prng)];
    while (this.prng.chance(0.3)) {
      const field = PROFILE_FIELDS.sample(this.prng);
      if (!changedFields.includes(field)) changedFields.push(field);
    }
    return this.event(session, 'profile.updated', { changedFields }, now);
  }

  /** The app the session is about: the one just viewed, or sometimes one from elsewhere (a notification, the home page). */
  private currentApp(session: Session): number {
    if (session.lastApp !== undefined && this.prng.chance(0.8)) return session.lastApp;
    const app = this.apps.sample(this.prng);
    session.lastApp = app;
    return app;
  }

  private appEvent(
    session: Session,
    type: string,
    app: number,
    metadata: ActivityMetadata,
    now: number,
  ): ActivityInput {
    return this.event(session, type, metadata, now, { type: 'app', id: this.apps.id(app) });
  }

  private event(
    session: Session,
    type: string,
    metadata: ActivityMetadata,
    now: number,
    entity?: EntityRef,
  ): ActivityInput {
    const input: ActivityInput = {
      type,
      actor: session.actor,
      metadata,
      context: this.context(session),
      time: new Date(now),
    };
    if (entity !== undefined) input.entity = entity;
    return input;
  }

  private context(session: Session): ActivityContext {
    return {
      requestId: `req_${this.prng.token(10)}`,
      sessionId: session.sessionId,
      clientVersion: session.clientVersion,
      platform: session.platform,
    };
  }
}
