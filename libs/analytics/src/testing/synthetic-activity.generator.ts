import {
  formatUuidV7,
  getDefaultActivityCatalog,
  toActivityEvent,
  type ActivityEvent,
  type Actor,
  type EntityRef,
} from '@chronicle/contracts';
import { SeededRandom } from './seeded-random.util';

/*
 * A deterministic dataset of an app store's activity for the integration tests: users who sign up over
 * the period, come back less and less, view popular apps more than others; and system actors running
 * jobs. (The simulator's generator is an app's code, which a library may not import.) Events sit on
 * every hour of the day including the first and last millisecond, so that a wrong time zone or an
 * off-by-one day boundary shows in the figures.
 */

export interface SyntheticActivityOptions {
  users: number;
  apps: number;
  days: number;
  /** The first UTC day, `YYYY-MM-DD`. */
  firstDay: string;
}

const DAY_MS = 86_400_000;

const USER_TYPES = [
  ['app.viewed', 50],
  ['search.performed', 12],
  ['user.logged_in', 6],
  ['download.initiated', 8],
  ['download.completed', 6],
  ['favorite.added', 5],
  ['favorite.removed', 1],
  ['app.shared', 3],
  ['review.submitted', 3],
  ['collection.created', 2],
  ['profile.updated', 2],
  ['user.logged_out', 2],
] as const;

const SYSTEM_TYPES = [
  ['job.started', 4],
  ['job.completed', 3],
  ['job.failed', 1],
  ['health_check.failed', 1],
  ['media_item.added', 3],
  ['download.failed', 1],
] as const;

/** Awkward ids on purpose: quotes, backslashes and non-ASCII must survive every round trip. */
const ODD_USER_IDS = ["u_o'brien", 'u_"quoted"\\slash', 'u_ünïcødé_用户', 'u_tab\tinside'];

const ENTITY_IDS: Record<string, (random: SeededRandom, apps: number) => string> = {
  app: (random, apps) => `app_${Math.floor(apps * random.next() ** 2.2)}`,
  collection: (random) => `col_${random.below(500)}`,
  media_item: (random) => `media_${random.below(2_000)}`,
  component: (random) =>
    random.weighted([
      ['database', 1],
      ['transcoder', 2],
      ['search_index', 1],
    ]),
  settings_section: (random) =>
    random.weighted([
      ['transcoding', 1],
      ['library', 1],
    ]),
};

function entityId(entityType: string, random: SeededRandom, apps: number): string {
  const make = ENTITY_IDS[entityType];
  if (make === undefined) throw new Error(`no ids for entity type ${entityType}`);
  return make(random, apps);
}

export function userId(index: number): string {
  return index < ODD_USER_IDS.length ? (ODD_USER_IDS[index] as string) : `u_${index}`;
}

/** The events of the dataset, in time order. */
export function generateSyntheticActivity(seed: number, options: SyntheticActivityOptions): ActivityEvent[] {
  const random = new SeededRandom(seed);
  const catalog = getDefaultActivityCatalog();
  const firstDayMs = Date.parse(`${options.firstDay}T00:00:00Z`);
  const users = Array.from({ length: options.users }, (_, index) => ({
    id: userId(index),
    // A third are there from the start; the others sign up over the period.
    signupDay: random.chance(0.3) ? 0 : random.below(options.days),
    engagement: 0.15 + 0.75 * random.next() ** 2,
  }));
  const events: ActivityEvent[] = [];
  let sequence = 0;
  const add = (type: string, actor: Actor, timeMs: number): void => {
    const definition = catalog.get(type);
    if (definition === undefined) throw new Error(`no such type ${type}`);
    const entity: EntityRef | undefined =
      definition.entityType === undefined
        ? undefined
        : { type: definition.entityType, id: entityId(definition.entityType, random, options.apps) };
    sequence++;
    events.push(
      toActivityEvent(
        { type, actor, entity, metadata: { ...definition.example.data.metadata } },
        {
          source: definition.example.source,
          id: formatUuidV7(timeMs, sequence, random.below(0x1_0000_0000)),
          time: new Date(timeMs),
        },
      ),
    );
  };

  for (let day = 0; day < options.days; day++) {
    const dayMs = firstDayMs + day * DAY_MS;
    for (const user of users) {
      if (day < user.signupDay) continue;
      const age = day - user.signupDay;
      const activeChance = age === 0 ? 1 : user.engagement * (0.25 + 0.75 / (1 + age / 7));
      if (!random.chance(activeChance)) continue;
      const actor: Actor = { type: 'user', id: user.id };
      const count = 1 + Math.floor(-Math.log(1 - random.next()) * 5.5);
      for (let k = 0; k < count; k++) add(random.weighted(USER_TYPES), actor, dayMs + timeOfDay(random));
    }
    for (let k = 0; k < 40; k++) {
      const actor: Actor = random.chance(0.8)
        ? { type: 'system', id: 'sys_scheduler' }
        : { type: 'service', id: `svc_${random.below(3)}` };
      let type: string = random.weighted(SYSTEM_TYPES);
      if (!catalog.get(type)?.actorTypes.includes(actor.type)) type = 'job.started';
      add(type, actor, dayMs + timeOfDay(random));
    }
  }
  return events.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

/** A moment of the day; now and then exactly midnight or the day's last millisecond. */
function timeOfDay(random: SeededRandom): number {
  const edge = random.next();
  if (edge < 0.01) return 0;
  if (edge < 0.02) return DAY_MS - 1;
  return random.below(DAY_MS);
}
