import { appendTimelinePage, dayHeading, localDate } from './timeline-pages';

describe('the timeline across pages', () => {
  it('continues a day that goes on over the next page, and adds the other days after it', () => {
    const shown = [
      { date: '2026-11-22', activities: [1, 2] },
      { date: '2026-11-21', activities: [3] },
    ];
    const next = appendTimelinePage(shown, [
      { date: '2026-11-21', activities: [4] },
      { date: '2026-11-20', activities: [5] },
    ]);
    expect(next).toEqual([
      { date: '2026-11-22', activities: [1, 2] },
      { date: '2026-11-21', activities: [3, 4] },
      { date: '2026-11-20', activities: [5] },
    ]);
    expect(shown[1]?.activities).toEqual([3]);
    expect(appendTimelinePage([], [])).toEqual([]);
  });

  it('heads days Today, Yesterday, then the date', () => {
    expect(dayHeading('2026-11-22', '2026-11-22')).toBe('Today');
    expect(dayHeading('2026-11-21', '2026-11-22')).toBe('Yesterday');
    expect(dayHeading('2026-11-01', '2026-11-22', 'en-US')).toBe('Sunday, November 1, 2026');
  });

  it("knows today's date in a time zone", () => {
    const late = new Date('2026-11-22T23:30:00Z');
    expect(localDate(late, 'UTC')).toBe('2026-11-22');
    expect(localDate(late, 'Asia/Tokyo')).toBe('2026-11-23');
  });
});
