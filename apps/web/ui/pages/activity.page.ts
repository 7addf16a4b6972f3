import {
  filtersFromQuery,
  filtersToQuery,
  typeChoices,
  type ActivityFilters,
  type TextFilter,
} from '../../src/activity-filters';
import { fileNameFromContentDisposition } from '../../src/content-disposition.util';
import { ServerSentEventParser } from '../../src/server-sent-events.parser';
import type { ApiSchema } from '../../src/api-schema';
import { ApiError, apiFetch, getJson, isAbort } from '../api';
import { formatTime, h, stateMessage, whenVisible } from '../dom';
import { navigate, showFailure } from '../main';

type Activity = ApiSchema<'Activity'>;
type ActivityPage = ApiSchema<'ActivityPage'>;

const PAGE_SIZE = 50;

const TEXT_FIELDS: { key: TextFilter; label: string; type?: string; placeholder?: string }[] = [
  { key: 'userId', label: 'User', placeholder: 'u_123' },
  { key: 'entityType', label: 'Entity type', placeholder: 'app' },
  { key: 'entityId', label: 'Entity id', placeholder: 'app_42' },
  { key: 'source', label: 'Source', placeholder: '/services/app-store' },
  { key: 'from', label: 'From (UTC, included)', type: 'date' },
  { key: 'to', label: 'To (UTC, excluded)', type: 'date' },
];

/** Admin search: filters in the URL, pages by cursor as one scrolls, a live switch, and exports. */
export async function renderActivityPage(main: HTMLElement, signal: AbortSignal): Promise<void> {
  const filters = filtersFromQuery(location.search);
  const query = filtersToQuery(filters);

  // The types present lately, for the multi-select; a shared URL's other types are kept as choices.
  const mix = await getJson<{ mix: { activityType: string }[] }>('/api/admin/analytics/activity-mix', signal);
  const choices = typeChoices(
    mix.mix.map((row) => row.activityType),
    filters.types,
  );

  const form = filterForm(filters, choices);
  const rowsBody = h('tbody');
  const table = h(
    'table',
    { class: 'activities', 'aria-describedby': 'rows-status' },
    h('caption', { class: 'visually-hidden' }, 'Activities, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Time', 'Actor', 'Type', 'Entity', 'Source', 'Metadata'].map((label) =>
          h('th', { scope: 'col' }, label),
        ),
      ),
    ),
    rowsBody,
  );
  const status = h('p', { id: 'rows-status', class: 'rows-status', role: 'status' });
  const region = h('div', { class: 'table-region' });
  const more = h('button', { type: 'button', class: 'load-more', hidden: true }, 'Load more');
  const sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
  const liveSwitch = h('input', { type: 'checkbox', role: 'switch', id: 'live' });
  const liveStatus = h('span', { class: 'live-status', role: 'status', id: 'live-status' });
  const exportStatus = h('span', { class: 'export-status', role: 'status' });
  const exportButton = (format: 'csv' | 'ndjson', label: string) =>
    h(
      'button',
      {
        type: 'button',
        'data-export': format,
        onclick: () => void exportRows(query, format, exportStatus),
      },
      label,
    );

  main.replaceChildren(
    h('h1', {}, 'Activity'),
    form,
    h(
      'div',
      { class: 'toolbar' },
      h('label', { class: 'switch', for: 'live' }, liveSwitch, ' Live'),
      liveStatus,
      h('span', { class: 'spacer' }),
      exportButton('csv', 'Export CSV'),
      exportButton('ndjson', 'Export NDJSON'),
      exportStatus,
    ),
    status,
    region,
    more,
    sentinel,
  );

  let cursor: string | null = null;
  let loading = false;
  let shown = 0;
  const seen = new Set<string>();
  const updateStatus = () => {
    status.textContent =
      shown === 0 ? '' : `${shown.toLocaleString()} activities shown${cursor ? '; scroll for more' : ''}`;
  };

  const loadPage = async () => {
    if (loading || signal.aborted) return;
    loading = true;
    more.disabled = true;
    try {
      const extra: Record<string, string> = { limit: String(PAGE_SIZE) };
      if (cursor) extra['cursor'] = cursor;
      const page = await getJson<ActivityPage>(
        `/api/admin/activities?${filtersToQuery(filters, extra)}`,
        signal,
      );
      const fresh = page.items.filter((activity) => !seen.has(activity.id));
      for (const activity of fresh) seen.add(activity.id);
      rowsBody.append(...fresh.map((activity) => activityRow(activity)));
      shown += fresh.length;
      // A short page is the last one (for now): no request for an empty page after it.
      cursor = page.items.length < PAGE_SIZE ? null : page.nextCursor;
      if (shown === 0) region.replaceChildren(stateMessage('empty', 'No activity matches these filters.'));
      else if (!table.isConnected) region.replaceChildren(table);
      more.hidden = !cursor;
      updateStatus();
    } catch (error) {
      if (isAbort(error)) return;
      if (shown === 0) showFailure(region, error);
      else status.textContent = error instanceof ApiError ? error.failure.message : 'Could not load more.';
    } finally {
      loading = false;
      more.disabled = false;
    }
  };

  region.replaceChildren(stateMessage('loading', 'Loading activities…'));
  await loadPage();
  if (signal.aborted) return;
  const stopObserving = whenVisible(sentinel, () => {
    if (cursor) void loadPage();
  });
  more.addEventListener('click', () => void loadPage());

  let live: AbortController | null = null;
  liveSwitch.addEventListener('change', () => {
    live?.abort();
    live = null;
    if (!liveSwitch.checked) {
      liveStatus.textContent = 'Live off';
      return;
    }
    live = new AbortController();
    const stop = live;
    signal.addEventListener('abort', () => stop.abort(), { once: true });
    void streamLive(query, stop.signal, liveStatus, (activity) => {
      if (seen.has(activity.id)) return;
      seen.add(activity.id);
      insertAtTop(rowsBody, activityRow(activity, true));
      shown += 1;
      if (!table.isConnected) region.replaceChildren(table);
      updateStatus();
    }).then((message) => {
      if (stop.signal.aborted) return;
      liveSwitch.checked = false;
      liveStatus.textContent = message;
    });
  });
  signal.addEventListener('abort', stopObserving, { once: true });
}

function filterForm(filters: ActivityFilters, choices: string[]): HTMLFormElement {
  const select = h(
    'select',
    { id: 'filter-type', name: 'type', multiple: true, size: Math.min(8, Math.max(3, choices.length)) },
    ...choices.map((choice) =>
      h('option', { value: choice, ...(filters.types.includes(choice) ? { selected: true } : {}) }, choice),
    ),
  );
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter activities' },
    ...TEXT_FIELDS.map(({ key, label, type, placeholder }) =>
      h(
        'div',
        { class: 'field' },
        h('label', { for: `filter-${key}` }, label),
        h('input', {
          id: `filter-${key}`,
          name: key,
          type: type ?? 'text',
          value: filters[key] ?? '',
          placeholder,
          autocomplete: 'off',
        }),
      ),
    ),
    h(
      'div',
      { class: 'field field-types' },
      h('label', { for: 'filter-type' }, 'Types (several with Ctrl or ⌘; prefixes end in .*)'),
      select,
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, 'Apply filters'),
      h('button', { type: 'button', class: 'secondary', onclick: () => navigate('/activity') }, 'Clear'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const next: ActivityFilters = { types: [...select.selectedOptions].map((option) => option.value) };
    for (const { key } of TEXT_FIELDS) {
      const value = String(data.get(key) ?? '').trim();
      if (value) next[key] = value;
    }
    const search = filtersToQuery(next);
    navigate(`/activity${search ? `?${search}` : ''}`);
  });
  return form;
}

function activityRow(activity: Activity, isNew = false): HTMLTableRowElement {
  const details = { metadata: activity.metadata, ...(activity.context ? { context: activity.context } : {}) };
  return h(
    'tr',
    { class: isNew ? 'activity new' : 'activity', 'data-id': activity.id },
    h(
      'td',
      { 'data-label': 'Time' },
      h('time', { datetime: activity.occurredAt }, formatTime(activity.occurredAt)),
    ),
    h(
      'td',
      { 'data-label': 'Actor', 'data-actor': activity.actor.id },
      `${activity.actor.type}/${activity.actor.id}`,
    ),
    h('td', { 'data-label': 'Type', 'data-type': activity.type }, activity.type),
    h(
      'td',
      { 'data-label': 'Entity' },
      activity.entity ? `${activity.entity.type}/${activity.entity.id}` : '–',
    ),
    h('td', { 'data-label': 'Source' }, activity.source),
    h(
      'td',
      { 'data-label': 'Metadata' },
      h('details', {}, h('summary', {}, 'Show'), h('pre', {}, JSON.stringify(details, null, 2))),
    ),
  );
}

/** Puts a row at the top; someone reading further down keeps the rows they were reading in place. */
function insertAtTop(body: HTMLTableSectionElement, row: HTMLTableRowElement): void {
  const scroller = document.scrollingElement ?? document.documentElement;
  const before = scroller.scrollHeight;
  const reading = scroller.scrollTop > 0;
  body.prepend(row);
  if (reading) scroller.scrollTop += scroller.scrollHeight - before;
}

/** Reads the SSE stream with fetch (EventSource cannot send the token); resolves with why it ended. */
async function streamLive(
  query: string,
  signal: AbortSignal,
  status: HTMLElement,
  onActivity: (activity: Activity) => void,
): Promise<string> {
  status.textContent = 'Connecting…';
  try {
    const response = await apiFetch(`/api/admin/activities/stream${query ? `?${query}` : ''}`, {
      signal,
      headers: { Accept: 'text/event-stream' },
    });
    if (!response.body) return 'This browser cannot read the live feed.';
    status.textContent = 'Live: new activities appear at the top';
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new ServerSentEventParser();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'The live feed ended; switch Live on again to reconnect.';
      for (const event of parser.push(value)) {
        if (event.event === 'activity') onActivity(JSON.parse(event.data) as Activity);
        if (event.event === 'overflow')
          return 'The live feed fell behind and was cut off; switch it on again.';
        if (event.event === 'expired') return 'Your token has expired: sign in again to watch live.';
      }
    }
  } catch (error) {
    if (isAbort(error) || signal.aborted) return 'Live off';
    return error instanceof ApiError ? error.failure.message : 'The live feed was interrupted.';
  }
}

/** Downloads every row of the current filters: fetched with the token, saved under the server's file name. */
async function exportRows(query: string, format: 'csv' | 'ndjson', status: HTMLElement): Promise<void> {
  status.textContent = `Preparing the ${format.toUpperCase()} file…`;
  try {
    const response = await apiFetch(
      `/api/admin/activities/export?${query ? `${query}&` : ''}format=${format}`,
    );
    const name = fileNameFromContentDisposition(
      response.headers.get('Content-Disposition'),
      `chronicle-activities.${format}`,
    );
    const url = URL.createObjectURL(await response.blob());
    const link = h('a', { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status.textContent = `Downloaded ${name}`;
  } catch (error) {
    status.textContent = error instanceof ApiError ? error.failure.message : 'The export failed.';
  }
}
