/**
 * The simulated Entra tenant: a Graph-compatible HTTP server with the demo tenant's data and fault hooks. It imports
 * nothing of the bot; the bot reaches it only over HTTP, exactly as it reaches Microsoft Graph.
 */
export { startSimulator, type RunningSimulator, type SimulatorOptions } from './start-simulator';
export { loadDemoSeed } from './load-demo-seed';
export type { TenantSeed } from './seed-schema';
export type { TenantState } from './tenant-state';
export type { FaultInjector, FaultSpec } from './faults';
export type { IdentityLimits, ThrottlingMode } from './throttling';
export { DOCUMENTED_IDENTITY_LIMITS } from './throttling';
export type { GraphRequestSeen } from './request-pipeline';
