import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/.nx', '**/.infra', '**/tmp', '**/coverage', 'bench/results'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      // Which project may import which: contracts at the bottom, apps at the top, apps never import apps.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain'] },
            {
              sourceTag: 'type:infra',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra'],
            },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', 'type:testing'],
            },
            // Test helpers reach apps only through their e2e/ and spec files (the override below).
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra'],
            },
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', 'type:testing'],
            },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', 'type:testing'],
            },
          ],
        },
      ],
    },
  },
  {
    // Test rings of any project may also use the testing helpers.
    files: ['**/e2e/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          depConstraints: [
            {
              sourceTag: '*',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', 'type:testing'],
            },
          ],
        },
      ],
    },
  },
  {
    // The console's React components: hooks called in order, effects that list what they read.
    files: ['apps/console/src/**/*.tsx', 'apps/console/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Screens load on mount with `void load()`, which sets state only after its await; the rule cannot tell.
      'react-hooks/set-state-in-effect': 'off',
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // Config classes annotate defaults on purpose: decorator metadata needs the type spelled out.
      '@typescript-eslint/no-inferrable-types': ['error', { ignoreProperties: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Table-driven specs mutate loosely typed JSON on purpose.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Build and test configs share the workspace's factories; they are tooling, not project code.
    files: [
      '**/webpack.config.js',
      '**/jest.config.js',
      '**/jest.e2e.config.js',
      '**/jest.check.config.js',
      '**/jest.live.config.js',
    ],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  prettier,
];
