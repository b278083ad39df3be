/** Fault tests on real server processes and MariaDB (`pnpm test:resilience`): shutdown, kills, restarts. */
const base = require('./jest.config');
module.exports = { ...base, testMatch: ['<rootDir>/test/resilience/**/*.spec.ts'], testPathIgnorePatterns: [], testTimeout: 300000 };
