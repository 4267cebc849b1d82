import { readFileSync } from 'node:fs';
import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { GraphCredentialConfig } from '../config';
import { assertNever } from '../domain/errors';

import { SimulatedTenantCredential } from './simulated-credential';

export { SimulatedTenantCredential };

/** Builds the app-only credential for Graph from configuration; `now` is the bot's clock (the simulated tenant's token lifetimes follow it). */
export function createGraphCredential(config: GraphCredentialConfig, now?: () => number): TokenCredential {
  switch (config.kind) {
    case 'clientSecret':
      return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret);
    case 'certificate':
      return new ClientCertificateCredential(config.tenantId, config.clientId, {
        certificate: readFileSync(config.certificatePath, 'utf8'),
      });
    case 'managedIdentity':
      return new ManagedIdentityCredential({ clientId: config.clientId });
    case 'simulated':
      return new SimulatedTenantCredential({
        authorityHost: config.authorityHost,
        tenantId: config.tenantId,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        ...(now ? { now } : {}),
      });
    default:
      return assertNever(config);
  }
}
