import { fileNameFromContentDisposition } from './content-disposition.util';

describe('fileNameFromContentDisposition', () => {
  it("takes the gateway's quoted file name", () => {
    expect(
      fileNameFromContentDisposition(
        'attachment; filename="chronicle-activities-2026-11-22T08-00-00Z.csv"',
        'x.csv',
      ),
    ).toBe('chronicle-activities-2026-11-22T08-00-00Z.csv');
  });

  it('prefers filename* and unescapes quoted names', () => {
    expect(
      fileNameFromContentDisposition(
        `attachment; filename="a.csv"; filename*=UTF-8''r%C3%A9sum%C3%A9.csv`,
        'x',
      ),
    ).toBe('résumé.csv');
    expect(fileNameFromContentDisposition('attachment; filename="say \\"hi\\".txt"', 'x')).toBe(
      'say "hi".txt',
    );
    expect(fileNameFromContentDisposition('attachment; filename=plain.ndjson', 'x')).toBe('plain.ndjson');
  });

  it('keeps a base name only, and falls back when there is none', () => {
    expect(fileNameFromContentDisposition('attachment; filename="../../etc/passwd"', 'x')).toBe('passwd');
    expect(fileNameFromContentDisposition('attachment; filename=".."', 'fallback.csv')).toBe('fallback.csv');
    expect(fileNameFromContentDisposition(`attachment; filename*=UTF-8''%E0%A4%A`, 'fallback.csv')).toBe(
      'fallback.csv',
    );
    expect(fileNameFromContentDisposition('attachment', 'fallback.csv')).toBe('fallback.csv');
    expect(fileNameFromContentDisposition(null, 'fallback.csv')).toBe('fallback.csv');
  });
});
