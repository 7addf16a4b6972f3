import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import {
  averageRatio,
  daysBetween,
  formatCount,
  formatPercent,
  lastDays,
  mixSeries,
  onDays,
  retentionShade,
  type DailyUsers,
} from '../../src/analytics-view';
import type { ApiSchema } from '../../src/api-schema';
import { getJson } from '../api';
import { h } from '../dom';
import { navigate } from '../main';

type CohortRow = ApiSchema<'CohortRow'>;

const PRESETS = [7, 30, 90];
const PALETTE = ['#1f6feb', '#d97706', '#059669', '#9333ea', '#dc2626', '#0891b2', '#4b5563', '#c026d3'];

/** Product analytics over a range of UTC days: active users, stickiness, retention, top apps and users, the mix. */
export async function renderAnalyticsPage(main: HTMLElement, signal: AbortSignal): Promise<void> {
  const params = new URLSearchParams(location.search);
  const today = new Date().toISOString().slice(0, 10);
  const preset = lastDays(30, today);
  const from = params.get('from') ?? preset.from;
  const to = params.get('to') ?? preset.to;
  const range = `from=${from}&to=${to}`;
  const weeks = daysBetween(from, to).length > 31;
  const get = <T>(path: string, extra = '') =>
    getJson<T>(`/api/admin/analytics/${path}?${range}${extra}`, signal);

  const [dau, wau, mau, stickiness, retention, rates, topApps, activeUsers, mix] = await Promise.all([
    get<ApiSchema<'DailyUsersSeries'>>('dau'),
    get<ApiSchema<'DailyUsersSeries'>>('wau'),
    get<ApiSchema<'DailyUsersSeries'>>('mau'),
    get<ApiSchema<'StickinessSeries'>>('stickiness'),
    get<ApiSchema<'CohortRetention'>>('retention', `&granularity=${weeks ? 'week' : 'day'}&periods=8`),
    get<ApiSchema<'RetentionRates'>>('retention/rates'),
    get<ApiSchema<'TopEntities'>>('top-entities', '&entityType=app&limit=10'),
    get<ApiSchema<'MostActiveUsers'>>('most-active-users', '&limit=10'),
    get<ApiSchema<'ActivityMix'>>('activity-mix'),
  ]);
  const days = daysBetween(from, to);
  const last = (series: DailyUsers[]) => onDays(days, series).at(-1) ?? 0;
  const stickinessRatio = averageRatio(stickiness.series);

  const charts: HTMLElement[] = [];
  const chart = (
    id: string,
    title: string,
    series: { label: string; values: number[] }[],
    percent = false,
  ) => {
    const holder = h('div', { class: 'chart', id, role: 'img', 'aria-label': `${title}, chart` });
    charts.push(holder);
    const x = days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    const plot = new uPlot(
      {
        width: 600,
        height: 220,
        series: [
          {},
          ...series.map((entry, i) => ({
            label: entry.label,
            stroke: PALETTE[i % PALETTE.length] ?? '#000',
            width: 2,
            value: (_: uPlot, value: number | null) =>
              value === null ? '–' : percent ? formatPercent(value) : formatCount(value),
          })),
        ],
        axes: [
          {},
          {
            size: 64,
            values: (_: uPlot, ticks: number[]) =>
              ticks.map((t) => (percent ? formatPercent(t) : formatCount(t))),
          },
        ],
        scales: { x: { time: true } },
      },
      [x, ...series.map((entry) => entry.values)],
      holder,
    );
    holder.dataset['points'] = String(x.length);
    // The values drawn, by series label: a canvas cannot be read back (the browser tests check them).
    holder.dataset['series'] = JSON.stringify(Object.fromEntries(series.map((e) => [e.label, e.values])));
    return { holder, plot };
  };

  const activeChart = chart('chart-active-users', 'Daily, weekly and monthly active users', [
    { label: 'DAU', values: onDays(days, dau.series) },
    { label: 'WAU', values: onDays(days, wau.series) },
    { label: 'MAU', values: onDays(days, mau.series) },
  ]);
  const stickinessByDay = new Map(stickiness.series.map((point) => [point.day, point.ratio ?? 0]));
  const stickinessChart = chart(
    'chart-stickiness',
    'Stickiness (DAU / MAU)',
    [{ label: 'DAU / MAU', values: days.map((day) => stickinessByDay.get(day) ?? 0) }],
    true,
  );
  const mixByType = mixSeries(days, mix.mix);
  const mixChart = chart(
    'chart-activity-mix',
    'Activity mix over time',
    mixByType.slice(0, PALETTE.length).map((entry) => ({ label: entry.type, values: entry.values })),
  );

  const figure = (name: string, label: string, value: string) =>
    h('div', { class: 'figure' }, h('dt', {}, label), h('dd', { 'data-figure': name }, value));

  main.replaceChildren(
    h('h1', {}, 'Analytics'),
    rangePicker(from, to, today),
    h(
      'dl',
      { class: 'figures' },
      figure('dau', `DAU on ${to}`, formatCount(last(dau.series))),
      figure('wau', `WAU on ${to}`, formatCount(last(wau.series))),
      figure('mau', `MAU on ${to}`, formatCount(last(mau.series))),
      figure('stickiness', 'Stickiness (average DAU / MAU)', formatPercent(stickinessRatio)),
      ...rates.rates.map((rate) =>
        figure(`d${rate.day}`, `Day-${rate.day} retention`, formatPercent(rate.rate)),
      ),
    ),
    section('Active users', activeChart.holder),
    section('Stickiness', stickinessChart.holder),
    section(
      `Cohort retention (${weeks ? 'weekly' : 'daily'} cohorts)`,
      retentionTable(retention.cohorts, weeks ? 'Week' : 'Day'),
    ),
    h(
      'div',
      { class: 'columns' },
      section(
        'Top apps',
        rankTable(
          'top-apps',
          ['App', 'Events', 'Users'],
          topApps.entities.map((entity) => [
            // Null only for an entity that is a person and was erased; apps never are.
            entity.entityId ?? `(pseudonym ${entity.entityKey?.slice(0, 8) ?? '?'}…)`,
            formatCount(entity.events),
            formatCount(entity.users),
          ]),
        ),
      ),
      section(
        'Most active users',
        rankTable(
          'most-active-users',
          ['User', 'Events', 'Active days'],
          activeUsers.users.map((user) => [
            user.actorId ?? `(pseudonym ${user.actorKey.slice(0, 8)}…)`,
            formatCount(user.events),
            formatCount(user.activeDays),
          ]),
        ),
      ),
    ),
    section(
      'Activity mix over time',
      mixByType.length ? mixChart.holder : h('p', { class: 'state' }, 'No activity in this range.'),
    ),
  );

  // uPlot draws at a fixed size: fit each chart to its column, now and whenever the layout changes.
  const plots = [activeChart, stickinessChart, mixChart];
  const resize = new ResizeObserver(() => {
    for (const { holder, plot } of plots) {
      const width = holder.clientWidth;
      if (width > 0 && Math.abs(plot.width - width) > 1)
        plot.setSize({ width, height: width < 480 ? 200 : 260 });
    }
  });
  for (const { holder } of plots) resize.observe(holder);
  signal.addEventListener('abort', () => {
    resize.disconnect();
    for (const { plot } of plots) plot.destroy();
  });
}

function section(title: string, ...content: HTMLElement[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', {}, title), ...content);
}

function rangePicker(from: string, to: string, today: string): HTMLFormElement {
  const form = h(
    'form',
    { class: 'range', 'aria-label': 'Time range' },
    h(
      'div',
      { class: 'presets', role: 'group', 'aria-label': 'Presets' },
      ...PRESETS.map((days) => {
        const preset = lastDays(days, today);
        const active = preset.from === from && preset.to === to;
        return h(
          'a',
          {
            href: `/analytics?from=${preset.from}&to=${preset.to}`,
            'data-link': true,
            class: active ? 'preset active' : 'preset',
            ...(active ? { 'aria-current': 'true' } : {}),
          },
          `Last ${days} days`,
        );
      }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'range-from' }, 'From'),
      h('input', { id: 'range-from', name: 'from', type: 'date', value: from, max: today, required: true }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'range-to' }, 'To'),
      h('input', { id: 'range-to', name: 'to', type: 'date', value: to, max: today, required: true }),
    ),
    h('button', { type: 'submit' }, 'Show'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    navigate(`/analytics?from=${String(data.get('from'))}&to=${String(data.get('to'))}`);
  });
  return form;
}

function retentionTable(cohorts: CohortRow[], unit: string): HTMLElement {
  if (cohorts.length === 0) return h('p', { class: 'state' }, 'No cohorts in this range.');
  const periods = Math.max(...cohorts.map((row) => row.rates.length));
  return h(
    'div',
    { class: 'scroll-x', tabindex: 0, role: 'region', 'aria-label': 'Cohort retention table' },
    h(
      'table',
      { class: 'retention', id: 'retention' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Cohort'),
          h('th', { scope: 'col' }, 'Users'),
          ...Array.from({ length: periods }, (_, k) => h('th', { scope: 'col' }, `${unit} ${k}`)),
        ),
      ),
      h(
        'tbody',
        {},
        ...cohorts.map((row) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, row.cohort),
            h('td', { class: 'num' }, formatCount(row.users)),
            ...Array.from({ length: periods }, (_, k) => {
              const rate = row.rates[k] ?? null;
              const shade = retentionShade(rate);
              return h(
                'td',
                {
                  class: 'num cell',
                  style: shade ? `background:${shade.background};color:${shade.color}` : null,
                  title: rate === null ? 'not yet' : `${row.retained[k] ?? 0} of ${row.users} users`,
                },
                formatPercent(rate),
              );
            }),
          ),
        ),
      ),
    ),
  );
}

function rankTable(id: string, headings: string[], rows: string[][]): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'state' }, 'Nothing in this range.');
  return h(
    'div',
    { class: 'scroll-x' },
    h(
      'table',
      { class: 'rank', id },
      h('thead', {}, h('tr', {}, ...headings.map((heading) => h('th', { scope: 'col' }, heading)))),
      h(
        'tbody',
        {},
        ...rows.map((cells) =>
          h(
            'tr',
            {},
            ...cells.map((cell, i) =>
              h(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : { class: 'num' }, cell),
            ),
          ),
        ),
      ),
    ),
  );
}
