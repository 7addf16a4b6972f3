import { BUILT_IN_ACTIVITY_TYPES, toActivityEvent, validateActivityEvent } from '@chronicle/contracts';
import { SIMULATED_SOURCES, sourceOf } from './activity-sources.constants';

describe('sourceOf', () => {
  it('sends the browsing to the app store and the operations and accounts to the media server', () => {
    expect(sourceOf('app.viewed')).toBe('/services/app-store');
    expect(sourceOf('search.performed')).toBe('/services/app-store');
    expect(sourceOf('download.initiated')).toBe('/services/media-server');
    expect(sourceOf('user.logged_in')).toBe('/services/media-server');
  });

  it('gives every catalog type a source that is a valid CloudEvents source', () => {
    for (const { type, example } of BUILT_IN_ACTIVITY_TYPES) {
      const source = sourceOf(type);
      expect(Object.values(SIMULATED_SOURCES)).toContain(source);
      const event = toActivityEvent({ ...example.data, type, time: example.time }, { source });
      expect(validateActivityEvent(event)).toMatchObject({ ok: true });
    }
  });

  it('falls back to the media server for a type it does not know', () => {
    expect(sourceOf('plugin.installed')).toBe('/services/media-server');
  });
});
