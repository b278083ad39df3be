/** Every server test runs over real HTTP against a real database (SQLite file, or MySQL when DATABASE_URL is mysql://). */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  testEnvironmentOptions: { customExportConditions: ['union-source', 'node', 'require'] },
  testTimeout: 60000,
};
