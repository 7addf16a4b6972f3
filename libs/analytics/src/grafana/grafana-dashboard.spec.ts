import {
  customVariable,
  customVariableValues,
  GrafanaVariableError,
  type GrafanaDashboard,
  type GrafanaVariable,
} from './grafana-dashboard';

const custom = (query: string, extra: Partial<GrafanaVariable> = {}): GrafanaVariable => ({
  name: 'v',
  type: 'custom',
  query,
  ...extra,
});
const dashboardWith = (...list: GrafanaVariable[]): GrafanaDashboard => ({
  uid: 'd',
  title: 'd',
  schemaVersion: 41,
  time: { from: 'now-30d', to: 'now' },
  panels: [],
  templating: { list },
});

describe('customVariableValues', () => {
  it("splits Grafana's custom query at commas and trims each value", () => {
    expect(customVariableValues(custom('UTC, Europe/Berlin ,Asia/Tokyo'))).toEqual([
      'UTC',
      'Europe/Berlin',
      'Asia/Tokyo',
    ]);
  });

  it('keeps an escaped comma inside a value and takes the value of "text : value"', () => {
    expect(customVariableValues(custom('a\\,b,Berlin : Europe/Berlin'))).toEqual(['a,b', 'Europe/Berlin']);
  });

  it('refuses a variable that is not custom', () => {
    expect(() => customVariableValues({ name: 'q', type: 'query', query: 'SELECT 1' })).toThrow(
      GrafanaVariableError,
    );
  });
});

describe('customVariable', () => {
  const tz = custom('UTC,Asia/Tokyo', {
    name: 'tz',
    allowCustomValue: true,
    current: { text: 'UTC', value: 'UTC' },
  });
  const mode = custom('calendar,rolling', {
    name: 'mode',
    allowCustomValue: false,
    current: { text: ['calendar'], value: ['calendar'] },
  });
  const dashboard = dashboardWith(tz, mode);

  it('selects the saved current value by default, or the value given', () => {
    expect(customVariable(dashboard, 'tz')).toEqual({ options: ['UTC', 'Asia/Tokyo'], selected: ['UTC'] });
    expect(customVariable(dashboard, 'mode')).toEqual({
      options: ['calendar', 'rolling'],
      selected: ['calendar'],
    });
    expect(customVariable(dashboard, 'mode', 'rolling').selected).toEqual(['rolling']);
  });

  it('takes a value that is no option only when the variable allows custom values', () => {
    expect(customVariable(dashboard, 'tz', 'Europe/Paris').selected).toEqual(['Europe/Paris']);
    expect(() => customVariable(dashboard, 'mode', 'weekly')).toThrow(/does not offer "weekly"/);
  });

  it('refuses an unknown variable and one without a current value', () => {
    expect(() => customVariable(dashboard, 'nope')).toThrow(/no variable nope/);
    expect(() => customVariable(dashboardWith(custom('a', { name: 'x' })), 'x')).toThrow(/no current value/);
  });
});
