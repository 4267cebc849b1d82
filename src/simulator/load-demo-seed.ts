import demoTenant from './seed/demo-tenant.json';
import { TenantSeedSchema } from './seed-checks';
import type { ParsedSeed, TenantSeed } from './seed-schema';

/**
 * Validates a seed, naming the path of the first problems: a broken demo file should stop the simulator at start,
 * not surface later as a puzzling Graph answer.
 */
export function parseSeed(seed: unknown): ParsedSeed {
  const result = TenantSeedSchema.safeParse(seed);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`Invalid tenant seed:\n  ${problems.join('\n  ')}`);
}

/** The demo tenant of docs/demo-tenant.md, validated; a fresh copy on every call, so callers may change it. */
export function loadDemoSeed(): TenantSeed {
  return parseSeed(demoTenant);
}
