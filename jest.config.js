// One jest run, three tiers (STYLE.md "Tests in tiers"). Paths come from tsconfig.base.json.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  rootDir: __dirname,
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/services/**/src/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts', '<rootDir>/dashboards/**/*.spec.ts', '<rootDir>/docker/**/*.spec.ts', '<rootDir>/test/bench/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/services/**/test/**/*.int-spec.ts', '<rootDir>/dashboards/**/*.int-spec.ts', '<rootDir>/docker/**/*.int-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-long-timeout.ts'],
    },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-long-timeout.ts'] },
  ],
};
