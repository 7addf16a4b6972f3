import { detectPii, isWellFormedText, luhnValid } from './pii-detection.util';

describe('detectPii', () => {
  describe('e-mail addresses', () => {
    it.each([
      'jane.doe@example.com',
      'contact me at Jane+apps@mail.example.co.uk please',
      'josé@exemple.fr',
      'a@b.io',
      'mail me: x_y-z@sub-domain.example.museum.',
    ])('flags %j', (value) => {
      expect(detectPii(value)).toBe('email');
    });

    it.each([
      '@janedoe',
      '@scope/package',
      'user@localhost',
      'a@b.c',
      'jane at example dot com',
      'price @ 5.99',
      'a@@b.com',
      '@',
      'meet@10.30',
    ])('does not flag %j', (value) => {
      expect(detectPii(value)).toBeUndefined();
    });
  });

  describe('payment card numbers', () => {
    it.each([
      ['a Visa number', '4111111111111111'],
      ['one grouped by spaces', '4111 1111 1111 1111'],
      ['one grouped by dashes', 'card: 5555-5555-5555-4444.'],
      ['a 15-digit Amex number', '378282246310005'],
      ['a 13-digit Visa number', '4222222222222'],
      ['a 19-digit number', '6011 0000 0000 0000 001'],
      ['a Mastercard 2-series number', '2223003122003222'],
    ])('flags %s', (_, value) => {
      expect(detectPii(value)).toBe('payment-card');
    });

    it.each([
      ['a number failing the Luhn check', '4111 1111 1111 1112'],
      ['12 Luhn-valid digits', '411111111117'],
      ['20 Luhn-valid digits', '41111111111111111115'],
      ['a Luhn-valid millisecond timestamp (starts with 1)', '1732240426129'],
      ['a Luhn-valid number starting with 9', '9111111111111110'],
      ['an international phone number that happens to pass Luhn', '+4915112345678'],
      ['card-like digits inside a longer identifier', 'ord-4111111111111111-x'],
      ['card-like digits glued to letters', 'abc4111111111111111'],
    ])('does not flag %s', (_, value) => {
      expect(detectPii(value)).not.toBe('payment-card');
    });

    it('uses the Luhn check', () => {
      expect(luhnValid('4111 1111 1111 1111')).toBe(true);
      expect(luhnValid('4111 1111 1111 1112')).toBe(false);
      // The near misses above are Luhn-valid: only the other rules spare them.
      expect(['411111111117', '1732240426129', '9111111111111110', '4915112345678'].every(luhnValid)).toBe(
        true,
      );
    });
  });

  describe('IP addresses', () => {
    it.each([
      '192.168.1.20',
      'from 10.0.0.1:8080',
      '255.255.255.255',
      '0.0.0.0',
      '2001:db8::ff00:42:8329',
      '::1',
      'fe80::1%eth0',
      '::ffff:192.0.2.128',
      '[2001:db8:85a3::8a2e:370:7334]:443',
      'client 2001:0db8:0000:0000:0000:ff00:0042:8329 connected',
    ])('flags %j', (value) => {
      expect(detectPii(value)).toBe('ip-address');
    });

    it.each([
      '256.1.1.1',
      '1.2.3',
      '1.2.3.4.5',
      'v1.2.3.4',
      '01.02.03.04',
      '01:53:46',
      '2026-11-22T01:53:46.123Z',
      '00:1a:2b:3c:4d:5e',
      'std::vector',
      'a::b::c',
      'ratio 3:2',
    ])('does not flag %j', (value) => {
      expect(detectPii(value)).toBeUndefined();
    });

    it('reads a dotted quad under a version key as a version', () => {
      expect(detectPii('1.2.3.4', 'clientVersion')).toBeUndefined();
      expect(detectPii('10.0.19045.3803', 'appVersion')).toBeUndefined();
      expect(detectPii('192.168.1.1', 'version')).toBeUndefined();
      expect(detectPii('1.2.3.4', 'osVersion')).toBeUndefined();
    });

    it('still flags an address under a version key when the value is more than a version', () => {
      expect(detectPii('build from 192.168.1.1', 'clientVersion')).toBe('ip-address');
      expect(detectPii('::1', 'appVersion')).toBe('ip-address');
      expect(detectPii('1.2.3.4', 'conversion')).toBe('ip-address');
      expect(detectPii('1.2.3.4', 'query')).toBe('ip-address');
    });
  });

  describe('phone numbers', () => {
    it.each([
      '+1 555 123 4567',
      '+44 20 7946 0958',
      '+4915112345678',
      '+1 (555) 123-4567',
      '(555) 123-4567',
      '555-123-4567',
      '555.123.4567',
      '06 12 34 56 78',
      '(030) 1234567',
      'call 020 7946 0958 after 6',
      '1-800-555-0199',
    ])('flags %j', (value) => {
      expect(detectPii(value)).toBe('phone');
    });

    it.each([
      ['a bare digit run (indistinguishable from an id)', '5551234567'],
      ['a short local number', '123-4567'],
      ['a date', '2026-11-22'],
      ['a date and time', '2026-11-22 01:53'],
      ['a European date and time', '22.11.2026 01:53'],
      ['a decimal', '3.14159265'],
      ['a version with a build number', '10.0.19045.3803'],
      ['digit groups inside a UUID', '0e1f2a3b-1234-5678-9012-abcdef012345'],
      ['an order number glued to a prefix', 'ORD-555-123-4567'],
      ['a count with thousands separators', '1 234 567'],
      ['digits followed by letters', '555-123-4567x'],
      ['a + with too few digits', '+1 234 56'],
      ['unbalanced parentheses', '555) 123-4567'],
    ])('does not flag %s', (_, value) => {
      expect(detectPii(value)).toBeUndefined();
    });

    it('reads a phone-shaped value under a version key as a version only when it is one', () => {
      expect(detectPii('1.555.123.4567', 'appVersion')).toBeUndefined();
      expect(detectPii('1.555.123.4567', 'query')).toBe('phone');
      expect(detectPii('555-123-4567', 'appVersion')).toBe('phone');
    });
  });

  it('reports the first kind found: e-mail, card, IP, phone', () => {
    expect(detectPii('jane@example.com or +1 555 123 4567')).toBe('email');
    expect(detectPii('4111 1111 1111 1111 / 10.0.0.1')).toBe('payment-card');
    expect(detectPii('10.0.0.1 / +1 555 123 4567')).toBe('ip-address');
  });

  it('lets ordinary values through', () => {
    for (const value of [
      'photo editor',
      'u_123',
      'req_7Hq2xK',
      '5.12.0',
      'ios',
      '',
      'x',
      '😀 emoji',
      '42',
      'STORAGE_UNAVAILABLE',
    ]) {
      expect(detectPii(value)).toBeUndefined();
    }
  });

  it('stays fast on long hostile strings (the patterns are linear)', () => {
    const hostile = [
      'a'.repeat(200_000) + '@',
      '@a'.repeat(100_000),
      '1-'.repeat(100_000),
      '1.'.repeat(100_000),
      ':'.repeat(100_000) + '1',
    ];
    const started = Date.now();
    for (const value of hostile) detectPii(value);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('isWellFormedText', () => {
  it('accepts any Unicode text, astral characters included', () => {
    expect(isWellFormedText('plain')).toBe(true);
    expect(isWellFormedText('😀 日本語 é')).toBe(true);
    expect(isWellFormedText('')).toBe(true);
  });

  it('refuses NUL and unpaired surrogates', () => {
    expect(isWellFormedText('a\u0000b')).toBe(false);
    expect(isWellFormedText('\uD83D')).toBe(false);
    expect(isWellFormedText('x\uDE00y')).toBe(false);
    expect(isWellFormedText('\uDE00\uD83D')).toBe(false);
  });
});
