// Shared jest settings for every project. SWC compiles TypeScript with decorator metadata, which
// NestJS's dependency injection needs and esbuild-based transforms do not emit.
const path = require('node:path');

/** @param {string} projectDir absolute path of the project (its jest.config.js's __dirname) */
module.exports = function jestProject(projectDir, overrides = {}) {
  return {
    displayName: path.basename(projectDir),
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.integration-spec.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
          },
          module: { type: 'commonjs' },
          sourceMaps: 'inline',
        },
      ],
    },
    moduleNameMapper: moduleNameMapperFromTsconfig(),
    collectCoverageFrom: [
      '<rootDir>/src/**/*.ts',
      '!<rootDir>/src/**/*.spec.ts',
      '!<rootDir>/src/**/*.integration-spec.ts',
      '!<rootDir>/src/**/main.ts',
      '!<rootDir>/src/**/*.main.ts',
    ],
    ...overrides,
  };
};

/** Maps the `@chronicle/*` aliases of tsconfig.base.json, so there is one list of them. */
function moduleNameMapperFromTsconfig() {
  const { compilerOptions } = require('./tsconfig.base.json');
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    mapper[`^${alias}$`] = path.join(__dirname, target);
  }
  return mapper;
}
