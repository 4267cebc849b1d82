const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

/**
 * Two tiers. `unit` is the domain, the use cases against in-memory fakes of the ports, and the card views: no HTTP,
 * no sockets, no child processes (its test environment refuses them), seconds in all. `integration` is everything
 * else: the simulated Graph over real HTTP, the bot over TestAdapter, storages, processes, the browser.
 * `npm run test:unit` runs the first; `npm test` runs both, each file once.
 */
const UNIT_FOLDERS = ['domain', 'app', 'views', 'fakes', 'unit-tier'];
/** Files inside the unit folders that start a server anyway; they belong to the integration tier. */
const NEEDS_IO = ['app/incident.test.ts'];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const needsIo = NEEDS_IO.map((f) => `<rootDir>/test/${escape(f)}$`);

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 20000,
  // Four workers on the two-core CI machine: the longest files mostly wait (the fault suite spent 24 s of CPU in a
  // 210 s run: faults, retry back-offs, slow answers), so more workers use the cores while others wait. With three the
  // cores were still idle 25-45% of a run and CI took 1,207 s (issue 19's worker tests added ~220 s of test time).
  maxWorkers: 4,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: '<rootDir>/test/unit-tier/no-io-environment.ts',
      roots: ['<rootDir>/test'],
      testMatch: UNIT_FOLDERS.map((f) => `<rootDir>/test/${f}/**/*.test.ts`),
      testPathIgnorePatterns: ['/node_modules/', ...needsIo],
      transform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Everything in the unit folders except the files listed in NEEDS_IO.
      testPathIgnorePatterns: ['/node_modules/', `<rootDir>/test/(?!(${NEEDS_IO.map(escape).join('|')})$)(${UNIT_FOLDERS.map(escape).join('|')})/`],
      transform,
    },
  ],
};
