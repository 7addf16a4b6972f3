import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import {
  analyticsTimeZone,
  analyticsUrl,
  averageRatio,
  completeOnDays,
  daysBetween,
  definitionLine,
  formatCount,
  formatPercent,
  lastDays,
  mixSeries,
  onDays,
  RETENTION_MODE_NAMES,
  RETENTION_MODES,
  retentionMode,
  retentionModeText,
  retentionShade,
  soFar,
  splitByCompleteness,
  timeZoneChoices,
  todayIn,
  type DailyUsers,
  type RetentionMode,
} from '../../src/analytics-view';
import type { ApiSchema } from '../../src/api-schema';
import { getJson } from '../api';
import { h } from '../dom';
import { navigate } from '../main';

type CohortRow = ApiSchema<'CohortRow'>;

const PRESETS = [7, 30, 90];
const PALETTE = ['#1f6feb', '#d97706', '#059669', '#9333ea', '#dc2626', '#0891b2', '#4b5563', '#c026d3'];
/** The dash of the part of a series that is not over yet (today, in the page's zone). */
const INCOMPLETE_DASH = [6, 4];

interface View {
  from: string;
  to: string;
  tz: string;
  mode: RetentionMode;
}

/**
 * Product analytics over a range of calendar days in a time zone (the URL's `tz`, the browser's by
 * default): active users, stickiness, retention (by the URL's `mode`), top apps and users, the mix.
 * Periods that are not over yet are drawn dashed (charts), hatched (retention) or said "so far".
 */
export async function renderAnalyticsPage(main: HTMLElement, signal: AbortSignal): Promise<void> {
  const params = new URLSearchParams(location.search);
  const browserZone = analyticsTimeZone(null, Intl.DateTimeFormat().resolvedOptions().timeZone);
  const tz = analyticsTimeZone(params.get('tz'), browserZone);
  const mode = retentionMode(params.get('mode'));
  const today = todayIn(tz);
  const preset = lastDays(30, today);
  const from = params.get('from') ?? preset.from;
  const to = params.get('to') ?? preset.to;
  const view: View = { from, to, tz, mode };
  const range = `from=${from}&to=${to}&tz=${encodeURIComponent(tz)}`;
  const weeks = daysBetween(from, to).length > 31;
  const get = <T>(path: string, extra = '') =>
    getJson<T>(`/api/admin/analytics/${path}?${range}${extra}`, signal);

  const [dau, wau, mau, stickiness, retention, rates, topApps, activeUsers, mix] = await Promise.all([
    get<ApiSchema<'DailyUsersSeries'>>('dau'),
    get<ApiSchema<'DailyUsersSeries'>>('wau'),
    get<ApiSchema<'DailyUsersSeries'>>('mau'),
    get<ApiSchema<'StickinessSeries'>>('stickiness'),
    get<ApiSchema<'CohortRetention'>>(
      'retention',
      `&granularity=${weeks ? 'week' : 'day'}&periods=8&mode=${mode}`,
    ),
    get<ApiSchema<'RetentionRates'>>('retention/rates', `&mode=${mode}`),
    get<ApiSchema<'TopEntities'>>('top-entities', '&entityType=app&limit=10'),
    get<ApiSchema<'MostActiveUsers'>>('most-active-users', '&limit=10'),
    get<ApiSchema<'ActivityMix'>>('activity-mix'),
  ]);
  // The URL names the whole view, so that a shared link shows the same days in the same zone.
  const url = analyticsUrl(view);
  if (location.pathname + location.search !== url) history.replaceState(history.state, '', url);

  const days = daysBetween(from, to);
  const last = (series: DailyUsers[]) => onDays(days, series).at(-1) ?? 0;
  const lastComplete = (series: DailyUsers[]) => completeOnDays(days, series, today).at(-1) ?? true;
  const stickinessRatio = averageRatio(stickiness.series);

  const charts: HTMLElement[] = [];
  const chart = (
    id: string,
    title: string,
    series: { label: string; values: number[]; complete: boolean[] }[],
    percent = false,
  ) => {
    const holder = h('div', { class: 'chart', id, role: 'img', 'aria-label': `${title}, chart` });
    charts.push(holder);
    const x = days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    const format = (value: number | null | undefined) =>
      value === null || value === undefined ? '–' : percent ? formatPercent(value) : formatCount(value);
    const parts = series.map((entry) => splitByCompleteness(entry.values, entry.complete));
    // Each series twice: its complete days solid, then the days not over yet dashed, from the last
    // complete one. The dashed one has no legend row of its own (styles.css): the solid one's row
    // shows every day's value and switches both.
    const plot = new uPlot(
      {
        width: 600,
        height: 220,
        // x is each day's UTC midnight: written in UTC, it reads as the day itself in every zone.
        tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
        series: [
          {},
          ...series.flatMap((entry, i) => {
            const stroke = PALETTE[i % PALETTE.length] ?? '#000';
            const value = (_: uPlot, _value: number | null, _series: number, index: number | null) =>
              format(index === null ? null : entry.values[index]);
            return [
              { label: entry.label, stroke, width: 2, value },
              {
                label: `${entry.label}, not over yet`,
                class: 'incomplete-part',
                stroke,
                width: 2,
                dash: INCOMPLETE_DASH,
                value,
              },
            ];
          }),
        ],
        axes: [
          {},
          {
            size: 64,
            values: (_: uPlot, ticks: number[]) => ticks.map((t) => format(t)),
          },
        ],
        scales: { x: { time: true } },
        hooks: {
          setSeries: [
            (self: uPlot, index: number | null, options: uPlot.Series) => {
              // A legend click on a series switches its dashed part with it.
              if (index !== null && index % 2 === 1 && options.show !== undefined)
                self.setSeries(index + 1, { show: options.show });
            },
          ],
        },
      },
      [x, ...parts.flatMap((part) => [part.complete, part.incomplete])],
      holder,
    );
    holder.dataset['points'] = String(x.length);
    // The values drawn, by series label: a canvas cannot be read back (the browser tests check them).
    holder.dataset['series'] = JSON.stringify(Object.fromEntries(series.map((e) => [e.label, e.values])));
    // The days not over yet, and what the dashed series drew: by label, day → value.
    const incomplete = new Set(parts.flatMap((part) => part.incompleteIndexes));
    holder.dataset['incomplete'] = JSON.stringify(days.filter((_, i) => incomplete.has(i)));
    holder.dataset['dashed'] = JSON.stringify(
      Object.fromEntries(
        series.map((entry, i) => [
          entry.label,
          Object.fromEntries(
            days.flatMap((day, d) => {
              const value = plot.data[2 * i + 2]?.[d];
              return value === null || value === undefined ? [] : [[day, value]];
            }),
          ),
        ]),
      ),
    );
    return { holder, plot };
  };

  const activeChart = chart('chart-active-users', 'Daily, weekly and monthly active users', [
    { label: 'DAU', values: onDays(days, dau.series), complete: completeOnDays(days, dau.series, today) },
    { label: 'WAU', values: onDays(days, wau.series), complete: completeOnDays(days, wau.series, today) },
    { label: 'MAU', values: onDays(days, mau.series), complete: completeOnDays(days, mau.series, today) },
  ]);
  const stickinessByDay = new Map(stickiness.series.map((point) => [point.day, point.ratio ?? 0]));
  const stickinessComplete = completeOnDays(days, stickiness.series, today);
  const stickinessChart = chart(
    'chart-stickiness',
    'Stickiness (DAU / MAU)',
    [
      {
        label: 'DAU / MAU',
        values: days.map((day) => stickinessByDay.get(day) ?? 0),
        complete: stickinessComplete,
      },
    ],
    true,
  );
  const mixByType = mixSeries(days, mix.mix);
  const mixComplete = completeOnDays(days, mix.mix, today);
  const mixChart = chart(
    'chart-activity-mix',
    'Activity mix over time',
    mixByType
      .slice(0, PALETTE.length)
      .map((entry) => ({ label: entry.type, values: entry.values, complete: mixComplete })),
  );

  const figure = (name: string, label: string, value: string, complete: boolean) =>
    h(
      'div',
      { class: complete ? 'figure' : 'figure incomplete', 'data-complete': String(complete) },
      h('dt', {}, soFar(label, complete)),
      h('dd', { 'data-figure': name }, value),
    );
  const zone = dau.timeZone;
  const shownMode = retentionMode(retention.mode);
  const unit = weeks ? 'week' : 'day';

  main.replaceChildren(
    h('h1', {}, 'Analytics'),
    h(
      'div',
      { class: 'definition', id: 'definition', 'data-time-zone': zone, 'data-mode': shownMode },
      h('p', { class: 'definition-line' }, definitionLine(zone, shownMode)),
      h(
        'p',
        { class: 'help' },
        `${retentionModeText(shownMode).explanation} Days not over yet (today in ${zone}) are drawn dashed, hatched in the retention table, and marked "so far".`,
      ),
    ),
    rangePicker(view, today, browserZone),
    h(
      'dl',
      { class: 'figures' },
      figure('dau', `DAU on ${to}`, formatCount(last(dau.series)), lastComplete(dau.series)),
      figure('wau', `WAU on ${to}`, formatCount(last(wau.series)), lastComplete(wau.series)),
      figure('mau', `MAU on ${to}`, formatCount(last(mau.series)), lastComplete(mau.series)),
      figure(
        'stickiness',
        'Stickiness (average DAU / MAU)',
        formatPercent(stickinessRatio),
        stickinessComplete.every(Boolean),
      ),
      ...rates.rates.map((rate) =>
        figure(`d${rate.day}`, `Day-${rate.day} retention`, formatPercent(rate.rate), rate.complete),
      ),
    ),
    section('Active users', activeChart.holder),
    section('Stickiness', stickinessChart.holder),
    section(
      `Cohort retention (${weeks ? 'weekly' : 'daily'} cohorts)`,
      h(
        'p',
        { class: 'help' },
        `${weeks ? 'Weeks' : 'Retention'}: ${retentionModeText(shownMode, unit).label}. Hatched cells are periods not over yet.`,
      ),
      retentionTable(retention.cohorts, weeks ? 'Week' : 'Day'),
    ),
    h(
      'div',
      { class: 'columns' },
      section(
        soFar('Top apps', topApps.complete),
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
        soFar('Most active users', activeUsers.complete),
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

function rangePicker(view: View, today: string, browserZone: string): HTMLFormElement {
  const { from, to, tz, mode } = view;
  const form = h(
    'form',
    { class: 'range', 'aria-label': 'Time range, time zone and retention' },
    h(
      'div',
      { class: 'presets', role: 'group', 'aria-label': 'Presets' },
      ...PRESETS.map((days) => {
        const preset = lastDays(days, today);
        const active = preset.from === from && preset.to === to;
        return h(
          'a',
          {
            href: analyticsUrl({ ...preset, tz, mode }),
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
    h(
      'div',
      { class: 'field field-wide' },
      h('label', { for: 'range-tz' }, 'Time zone'),
      h(
        'select',
        { id: 'range-tz', name: 'tz' },
        ...timeZoneChoices(browserZone, tz).map((zone) =>
          h(
            'option',
            { value: zone, selected: zone === tz },
            zone === browserZone ? `${zone} (this browser)` : zone,
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'field field-wide' },
      h('label', { for: 'range-mode' }, 'Retention'),
      h(
        'select',
        { id: 'range-mode', name: 'mode' },
        ...RETENTION_MODES.map((choice) =>
          h(
            'option',
            { value: choice, selected: choice === mode, title: retentionModeText(choice).explanation },
            RETENTION_MODE_NAMES[choice],
          ),
        ),
      ),
    ),
    h('button', { type: 'submit' }, 'Show'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    navigate(
      analyticsUrl({
        from: String(data.get('from')),
        to: String(data.get('to')),
        tz: String(data.get('tz')),
        mode: retentionMode(String(data.get('mode'))),
      }),
    );
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
              // A period not over yet is hatched: its count can still grow.
              const incomplete = rate !== null && row.complete[k] !== true;
              const users = `${row.retained[k] ?? 0} of ${row.users} users`;
              return h(
                'td',
                {
                  class: incomplete ? 'num cell incomplete' : 'num cell',
                  style: shade ? `background-color:${shade.background};color:${shade.color}` : null,
                  title: rate === null ? 'not yet' : incomplete ? `not over yet: ${users} so far` : users,
                  'data-complete': rate === null ? null : String(!incomplete),
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
