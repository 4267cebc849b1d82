/**
 * The dependency rules of the architecture (docs/architecture.md, "The layers"), checked in `npm test`.
 * domain is pure; teams (the shell) never reaches adapters directly; only src/bot-process.ts wires everything.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing outside src/domain (no I/O, no botbuilder, no Graph, no node built-ins).',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { pathNot: '^src/domain' },
    },
    {
      name: 'ports-only-know-domain',
      comment: 'Ports are interfaces over domain types.',
      severity: 'error',
      from: { path: '^src/ports' },
      to: { pathNot: '^src/(ports|domain)' },
    },
    {
      name: 'app-uses-ports-not-adapters',
      comment: 'Use cases depend on ports and domain, never on an adapter or the Teams shell.',
      severity: 'error',
      from: { path: '^src/app' },
      to: { path: '^src/(entra|store|teams|simulator|views)' },
    },
    {
      name: 'teams-never-imports-adapters',
      comment: 'The Teams shell talks to Graph and storage only through ports.',
      severity: 'error',
      from: { path: '^src/teams' },
      to: { path: '^src/(entra|store|simulator)' },
    },
    {
      name: 'teams-ai-stays-in-teams',
      comment: 'Keep every teams-ai import inside src/teams so a move to Teams SDK v2 touches one folder.',
      severity: 'error',
      from: { pathNot: '^src/(teams|index\\.ts)' },
      to: { path: 'node_modules/@microsoft/teams-ai' },
    },
    {
      name: 'simulator-is-standalone',
      comment: 'The simulated tenant is a separate server: it imports nothing of the bot.',
      severity: 'error',
      from: { path: '^src/simulator' },
      to: { path: '^src/', pathNot: '^src/simulator' },
    },
    {
      name: 'resilience-is-a-leaf',
      comment: 'src/resilience.ts (Retry-After, back-off, deadlines, the time of waits) is used by every layer and imports none.',
      severity: 'error',
      from: { path: '^src/resilience\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'nobody-imports-the-entry-points',
      severity: 'error',
      from: {},
      to: { path: '^src/(index|start-demo)\\.ts$' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(test|dist)' },
  },
};
