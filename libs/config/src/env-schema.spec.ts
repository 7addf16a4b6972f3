import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  fileContents,
  flag,
  integer,
  list,
  oneOf,
  optionalText,
  readEnv,
  secret,
  text,
  url,
} from './env-schema';

const N = integer('N', { default: 5, min: 1, max: 10, description: 'n' });

describe('integer', () => {
  it('takes every integer in range and the default when unset or blank', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 }), (n) => N.read({ N: ` ${n} ` }) === n));
    expect(N.read({})).toBe(5);
    expect(N.read({ N: '  ' })).toBe(5);
  });

  it('refuses anything else, naming the variable and the value', () => {
    const notInRange = fc.oneof(
      fc
        .integer()
        .filter((n) => n < 1 || n > 10)
        .map(String),
      fc
        .double({ noNaN: true })
        .filter((n) => !Number.isInteger(n))
        .map(String),
      fc.string({ minLength: 1 }).filter((text) => !/^\s*-?\d+\s*$/.test(text) && text.trim() !== ''),
    );
    fc.assert(
      fc.property(notInRange, (value) => {
        expect(() => N.read({ N: value })).toThrow(
          new ConfigError(`N must be an integer from 1 to 10, got "${value.trim()}"`),
        );
      }),
    );
  });
});

describe('flag, text, oneOf, list, url, secret, optionalText', () => {
  it('reads flags in any case and refuses other words', () => {
    const F = flag('F', { description: 'f' });
    expect([F.read({}), F.read({ F: 'TRUE' }), F.read({ F: 'false' })]).toEqual([false, true, false]);
    expect(() => F.read({ F: 'yes' })).toThrow('F must be true or false, got "yes"');
  });

  it('checks text against its pattern', () => {
    const T = text('T', {
      default: 'a_b',
      pattern: /^[a-z_]+$/,
      patternText: 'lower case',
      description: 't',
    });
    expect(T.read({})).toBe('a_b');
    expect(() => T.read({ T: 'A-b' })).toThrow('T must be lower case, got "A-b"');
  });

  it('takes one of its values, in any case', () => {
    const M = oneOf('M', ['plain', 'scram-sha-256'] as const, { description: 'm' });
    expect([M.read({}), M.read({ M: 'SCRAM-SHA-256' })]).toEqual([undefined, 'scram-sha-256']);
    expect(() => M.read({ M: 'gssapi' })).toThrow('M must be one of plain, scram-sha-256, got "gssapi"');
  });

  it('splits lists, checking each item and, when required, that there is one', () => {
    const L = list('L', {
      format: 'host:port',
      required: true,
      description: 'l',
      item: (value) => (value.includes(':') ? undefined : 'is not host:port'),
    });
    expect(L.read({ L: ' a:1, b:2 ,' })).toEqual(['a:1', 'b:2']);
    expect(() => L.read({ L: ' , ' })).toThrow('L must be set (host:port)');
    expect(() => L.read({ L: 'a:1,b' })).toThrow('L: "b" is not host:port');
  });

  it('takes URLs of its schemes only', () => {
    const U = url('U', { schemes: ['http', 'https'], description: 'u' });
    expect(U.read({ U: 'https://ch:8443' })).toBe('https://ch:8443');
    expect(U.required).toBe(true);
    expect(() => U.read({})).toThrow('U must be set');
    expect(() => U.read({ U: 'tcp://ch:9000' })).toThrow('U must be a URL starting with http:// or https://');
    expect(() => U.read({ U: 'not a url' })).toThrow('U must be a URL starting with http:// or https://');
  });

  it('requires secrets of a minimum length, without echoing them', () => {
    const S = secret('S', { minBytes: 32, description: 's' });
    expect(S.secret).toBe(true);
    expect(() => S.read({})).toThrow('S must be set');
    const error = (() => {
      try {
        S.read({ S: 'short-secret' });
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error?.message).toBe('S must be at least 32 bytes');
    expect(S.read({ S: 'x'.repeat(32) })).toBe('x'.repeat(32));
  });

  it('leaves optional text unset, or checks it', () => {
    const O = optionalText('O', {
      description: 'o',
      check: (v) => (v.startsWith('/') ? undefined : 'must start with /'),
    });
    expect(O.read({})).toBeUndefined();
    expect(O.read({ O: '/x' })).toBe('/x');
    expect(() => O.read({ O: 'x' })).toThrow('O must start with /');
  });
});

describe('fileContents', () => {
  it('reads the named file, and names the variable and the path when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chronicle-config-'));
    writeFileSync(join(dir, 'ca.pem'), 'PEM');
    const CA = fileContents('CA_FILE', { description: 'ca' });
    expect(CA.read({ CA_FILE: join(dir, 'ca.pem') })).toBe('PEM');
    expect(CA.read({})).toBeUndefined();
    expect(() => CA.read({ CA_FILE: join(dir, 'missing.pem') })).toThrow(
      `CA_FILE: cannot read ${join(dir, 'missing.pem')} (ENOENT)`,
    );
  });
});

describe('readEnv', () => {
  it('gives every value by its key', () => {
    expect(readEnv({ n: N, f: flag('F', { description: 'f' }) }, { N: '7', F: 'true' })).toEqual({
      n: 7,
      f: true,
    });
  });

  it('reports every wrong variable at once', () => {
    const schema = {
      n: N,
      m: integer('M', { default: 1, min: 0, max: 1, description: 'm' }),
      u: url('U', { schemes: ['http'], description: 'u' }),
    };
    expect(() => readEnv(schema, { N: '0', M: '2' })).toThrow(
      new ConfigError(
        'N must be an integer from 1 to 10, got "0"; M must be an integer from 0 to 1, got "2"; U must be set',
      ),
    );
  });

  it('lets an error that is not about configuration through', () => {
    const broken = {
      ...N,
      read: () => {
        throw new TypeError('bug');
      },
    };
    expect(() => readEnv({ broken }, {})).toThrow(TypeError);
  });
});
