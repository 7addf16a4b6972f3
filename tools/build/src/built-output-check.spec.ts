import { checkBuiltOutput, packageName, requiredSpecifiers, resolvesInOutput } from './built-output-check';

describe('the check of the built output', () => {
  const files = new Set([
    'apps/gateway/src/main.js',
    'apps/gateway/src/gateway.js',
    'libs/service/src/index.js',
  ]);

  it('reads the requires of compiled CommonJS', () => {
    const code = `const _a = require("../../../libs/service/src");\nconst b = _interop(require('express'));`;
    expect(requiredSpecifiers(code)).toEqual(['../../../libs/service/src', 'express']);
  });

  it('names the package of a bare specifier', () => {
    expect(packageName('graphql-ws/use/ws')).toBe('graphql-ws');
    expect(packageName('@nestjs/core')).toBe('@nestjs/core');
    expect(packageName('@nestjs/core/injector')).toBe('@nestjs/core');
  });

  it('resolves relative requires as Node does: the file, .js, .json or a directory index', () => {
    expect(resolvesInOutput('apps/gateway/src/main.js', './gateway', files)).toBe(true);
    expect(resolvesInOutput('apps/gateway/src/main.js', '../../../libs/service/src', files)).toBe(true);
    expect(resolvesInOutput('apps/gateway/src/main.js', './gateway.tokens', files)).toBe(false);
  });

  it('passes output that needs only Node, itself and the production dependencies', () => {
    const code = 'require("node:fs"); require("path"); require("./gateway"); require("@nestjs/core/x");';
    expect(checkBuiltOutput([{ path: 'apps/gateway/src/main.js', code }], files, ['@nestjs/core'])).toEqual(
      [],
    );
  });

  it('names every require that would fail, or only work in the checkout', () => {
    const code = [
      'require("tsx/cjs")',
      'require("./gateway.ts")',
      'require("@chronicle/contracts")',
      'require("./gateway.tokens")',
      'require("chdb")',
    ].join(';');
    expect(checkBuiltOutput([{ path: 'apps/gateway/src/main.js', code }], files, ['express'])).toEqual([
      'apps/gateway/src/main.js: requires tsx',
      'apps/gateway/src/main.js: requires the TypeScript file ./gateway.ts',
      'apps/gateway/src/main.js: requires the unresolved alias @chronicle/contracts',
      'apps/gateway/src/main.js: requires ./gateway.tokens, which the build did not produce',
      'apps/gateway/src/main.js: requires chdb, which is not in package.json "dependencies" (a production install lacks it)',
    ]);
  });
});
