/** Every server test runs over real HTTP against a real database (SQLite file, or MySQL when DATABASE_URL is mysql://). */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
  // fault tests on whole processes run separately: `pnpm test:resilience`
  testPathIgnorePatterns: ['/node_modules/', '/test/resilience/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true, experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true, strictPropertyInitialization: false } }] },
  testEnvironmentOptions: { customExportConditions: ['union-source', 'node', 'require'] },
  testTimeout: 60000,
};
