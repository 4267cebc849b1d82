import type { Config } from '../config';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { VerifiedIdDeps } from '../ports/verified-id';
import { createGraphCredential } from './credentials';
import { createVerifiedIdService, type VerifiedIdClientOptions } from './verified-id-client';

/**
 * What the case use cases get of Verified ID (composeBot's `edges.verifiedId`) when config.verifiedId is set: the
 * Request Service client on an app-only credential built from the same settings as Graph's (the same app registration
 * or managed identity, asking for the Request Service's scope; in the demo, the simulated tenant's token endpoint),
 * and the settings as the policy answers are decided by. Undefined when Verified ID is off. src/index.ts calls it;
 * tests that want the real client against a simulator call it too (others pass a fake).
 */
export function createVerifiedIdDeps(
  config: Config,
  clock: Clock,
  logger: Logger,
  options: Omit<VerifiedIdClientOptions, 'logger'> = {},
): VerifiedIdDeps | undefined {
  const settings = config.verifiedId;
  if (!settings) return undefined;
  const credential = createGraphCredential(config.graph.credential, () => clock.now().getTime());
  return {
    service: createVerifiedIdService(settings, credential, { ...options, logger }),
    policy: settings,
    maxAttempts: settings.maxAttempts,
  };
}
