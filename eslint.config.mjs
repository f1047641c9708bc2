// Lint encodes the architecture: module boundaries whose tag constraints actually restrict.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

const IO_PACKAGES = ['@nestjs/*', 'typeorm', 'kafkajs', 'mqtt', 'pg', 'prom-client', 'jsonwebtoken'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', '.data/**', '.nx/**', 'dashboards/out/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Only entry points may exit.' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Contracts are pure schemas: they depend on nothing of ours and on no I/O package.
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: IO_PACKAGES },
            // Domain libraries (vitals, clinical-rules) are pure: no Nest, TypeORM, Kafka, MQTT.
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain'], bannedExternalImports: IO_PACKAGES },
            // Infrastructure adapters (kafka, service-kit) never reach into domain logic or services.
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra'] },
            // Services use libraries only; they never import each other. kafkajs stays behind libs/kafka.
            // (libs/testing is for their test/ folders only: see the rule for services/*/src below.)
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', 'type:testing'], bannedExternalImports: ['kafkajs'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', 'type:testing'] },
            // The browser UI (services/care-web) knows the API by its contract types only: no server code, no I/O packages.
            { sourceTag: 'type:web', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: [...IO_PACKAGES, 'kafkajs'] },
            // Dashboards as code (dashboards/): built from the contracts and the rule data; their tests may use the test helpers.
            { sourceTag: 'type:dashboards', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:testing'], bannedExternalImports: ['@nestjs/*', 'typeorm', 'kafkajs', 'mqtt', 'jsonwebtoken'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', 'type:testing'], bannedExternalImports: ['kafkajs'] },
          ],
        },
      ],
    },
  },
  {
    // Production code of a service never depends on test helpers.
    files: ['services/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: '@rpm/testing', message: 'test helpers are for test/ folders and spec files' }] }] },
  },
  {
    // The UI runs in the browser: no Node built-ins (and, as for every service, no test helpers).
    files: ['services/care-web/src/**/*.ts', 'services/care-web/src/**/*.tsx'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@rpm/testing', message: 'test helpers are for test/ folders and spec files' }], patterns: [{ group: ['node:*'], message: 'the UI runs in the browser' }] },
      ],
    },
  },
  {
    // Entry points and scripts may exit.
    files: ['**/main.ts', 'scripts/**/*.ts', 'test/bench/**/*.ts', 'test/faults/run-faults.ts', 'test/faults/backpressure.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
