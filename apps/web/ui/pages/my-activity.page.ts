import {
  appendTimelinePage,
  dayHeading,
  localDate,
  timelineTimeZone,
  timeOfDay,
  type TimelineGroup,
} from '../../src/timeline-pages';
import type { ApiSchema } from '../../src/api-schema';
import { ApiError, apiFetch, getJson, isAbort } from '../api';
import { h, stateMessage, whenVisible } from '../dom';
import { showFailure } from '../main';

/** `sentence` says what happened, in words: the gateway renders it from the type's catalog template. */
type Activity = ApiSchema<'TimelineActivity'>;
type TimelinePage = ApiSchema<'TimelinePage'>;
type ErasureStatus = ApiSchema<'ErasureStatus'>;

const PAGE_SIZE = 50;
const POLL_MS = 1_000;

/**
 * The signed-in user's own timeline, one sentence per activity, grouped by day in the browser's time
 * zone (the API groups by the `tz` it is given), and its erasure.
 */
export async function renderMyActivityPage(main: HTMLElement, signal: AbortSignal): Promise<void> {
  const timeZone = timelineTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const today = localDate(new Date(), timeZone);
  const timeline = h('div', { class: 'timeline', id: 'timeline' });
  const erasureStatus = h('p', { class: 'erasure-status', role: 'status', id: 'erasure-status' });
  const deleteButton = h('button', { type: 'button', class: 'danger' }, 'Delete my activity history');
  const more = h('button', { type: 'button', class: 'load-more', hidden: true }, 'Load more');
  const sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
  const dialog = confirmDialog(() => void erase());

  main.replaceChildren(
    h('h1', {}, 'My activity'),
    h('p', { class: 'help' }, `The last 30 days, newest first, by day in your time zone (${timeZone}).`),
    h('div', { class: 'toolbar' }, deleteButton, erasureStatus),
    timeline,
    more,
    sentinel,
    dialog,
  );
  deleteButton.addEventListener('click', () => dialog.showModal());

  let groups: TimelineGroup<Activity>[] = [];
  let cursor: string | null = null;
  let loading = false;

  const draw = () => {
    if (groups.length === 0) {
      timeline.replaceChildren(stateMessage('empty', 'No activity in the last 30 days.'));
      return;
    }
    timeline.replaceChildren(
      ...groups.map((group) =>
        h(
          'section',
          { class: 'day', 'data-date': group.date },
          h('h2', {}, h('time', { datetime: group.date }, dayHeading(group.date, today))),
          h(
            'ol',
            {},
            ...group.activities.map((activity) =>
              h(
                'li',
                { class: 'activity', 'data-id': activity.id, 'data-type': activity.type },
                h('time', { datetime: activity.occurredAt }, timeOfDay(activity.occurredAt, timeZone)),
                ' ',
                // The sentence names the entity; the type's name is for whoever wants it, on hover.
                h('span', { class: 'sentence', title: activity.type }, activity.sentence || activity.type),
              ),
            ),
          ),
        ),
      ),
    );
  };

  const load = async (reset = false) => {
    if ((loading && !reset) || signal.aborted) return;
    loading = true;
    try {
      const extra = !reset && cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await getJson<TimelinePage>(
        `/api/users/me/activity?tz=${encodeURIComponent(timeZone)}&limit=${PAGE_SIZE}${extra}`,
        signal,
      );
      groups = appendTimelinePage(reset ? [] : groups, page.groups);
      const count = page.groups.reduce((sum, group) => sum + group.activities.length, 0);
      // A short page is the last one (for now): no request for an empty page after it.
      cursor = count < PAGE_SIZE ? null : page.nextCursor;
      more.hidden = !cursor;
      draw();
    } catch (error) {
      if (isAbort(error)) return;
      if (groups.length === 0 || reset) showFailure(timeline, error);
      else
        erasureStatus.textContent =
          error instanceof ApiError ? error.failure.message : 'Could not load more.';
    } finally {
      loading = false;
    }
  };

  const erase = async () => {
    deleteButton.disabled = true;
    erasureStatus.textContent = 'Asking for the deletion…';
    try {
      const response = await apiFetch('/api/users/me/activity', { method: 'DELETE', signal });
      const request = (await response.json()) as { requestId: string; statusUrl: string };
      for (;;) {
        const status = await getJson<ErasureStatus>(request.statusUrl, signal);
        const stores = Object.entries(status.stores)
          .map(([store, state]) => `${store}: ${state.status}`)
          .join(', ');
        erasureStatus.dataset['status'] = status.status;
        erasureStatus.textContent =
          status.status === 'completed'
            ? 'Deletion completed: your activity history is gone.'
            : `Deletion pending (${stores})…`;
        if (status.status === 'completed') break;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (signal.aborted) return;
      }
      await load(true);
    } catch (error) {
      if (isAbort(error)) return;
      erasureStatus.textContent =
        error instanceof ApiError ? error.failure.message : 'The deletion could not be followed.';
    } finally {
      deleteButton.disabled = false;
    }
  };

  timeline.replaceChildren(stateMessage('loading', 'Loading your activity…'));
  await load();
  if (signal.aborted) return;
  const stop = whenVisible(sentinel, () => {
    if (cursor) void load();
  });
  // Only with a cursor: without one, load() would fetch the first page again and show it twice.
  more.addEventListener('click', () => {
    if (cursor) void load();
  });
  signal.addEventListener('abort', stop, { once: true });
}

function confirmDialog(onConfirm: () => void): HTMLDialogElement {
  const dialog = h(
    'dialog',
    { 'aria-labelledby': 'erase-title', 'aria-describedby': 'erase-text', class: 'confirm' },
    h(
      'form',
      { method: 'dialog' },
      h('h2', { id: 'erase-title' }, 'Delete your activity history?'),
      h(
        'p',
        { id: 'erase-text' },
        'Every activity recorded for you up to now is deleted from every store. This cannot be undone.',
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { value: 'cancel', class: 'secondary', autofocus: true }, 'Cancel'),
        h('button', { value: 'delete', class: 'danger' }, 'Delete everything'),
      ),
    ),
  );
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'delete') onConfirm();
  });
  return dialog;
}
