import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

// Which project may import which: apps use libs, libs never use apps, contracts use nothing of ours.
const dependencyRules = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:config', 'type:contracts', 'type:util'],
  },
  {
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: ['type:data-access', 'type:config', 'type:contracts', 'type:util'],
  },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:config', 'type:contracts', 'type:util'] },
  // Every process's environment, declared once (libs/config): readable by every layer that runs one.
  { sourceTag: 'type:config', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  // Tooling may build on tooling: the chaos suite drives the local stack's engines.
  {
    sourceTag: 'type:tooling',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:config', 'type:data-access', 'type:util', 'type:tooling'],
  },
];

const moduleBoundaries = (depConstraints) => [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  { ignores: ['**/node_modules', '**/dist', '**/coverage', '.local', '.nx'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(dependencyRules),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests, their helpers and benchmarks may also use the local stack's tooling (engines of their own, outages).
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/bench/**/*.ts', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(
        dependencyRules.map((rule) =>
          rule.sourceTag === 'type:tooling'
            ? rule
            : { ...rule, onlyDependOnLibsWithTags: [...rule.onlyDependOnLibsWithTags, 'type:tooling'] },
        ),
      ),
    },
  },
];
