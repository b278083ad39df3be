/** Browser journeys against the H5 build served by the real server (see e2e/README in the test header). */
const path = require('path');

module.exports = {
  rootDir: path.resolve(__dirname, '..'),
  roots: ['<rootDir>/e2e'],
  testMatch: ['**/*.e2e.ts'],
  testEnvironment: 'node',
  // '@union/shared' from its TypeScript source, like Taro and tsc do.
  testEnvironmentOptions: { customExportConditions: ['union-source', 'node', 'require'] },
  moduleNameMapper: { '^@union/shared$': '<rootDir>/../shared/src/index.ts' },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/e2e/tsconfig.json' }] },
  testTimeout: 120000,
};
