import { readFileSync } from 'node:fs';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type AccessToken,
  type TokenCredential,
} from '@azure/identity';
import type { GraphCredentialConfig } from '../config';
import { assertNever } from '../domain/errors';

/**
 * The simulated tenant accepts any bearer token; this credential exists so that demo mode exercises the same
 * token-attaching path as production. It is only ever built from `{ kind: 'simulated' }`, which config.ts allows
 * in demo mode alone.
 */
export class SimulatedTenantCredential implements TokenCredential {
  getToken(): Promise<AccessToken> {
    return Promise.resolve({ token: 'simulated-tenant-token', expiresOnTimestamp: Date.now() + 3600_000 });
  }
}

/** Builds the app-only credential for Graph from configuration. */
export function createGraphCredential(config: GraphCredentialConfig): TokenCredential {
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
      return new SimulatedTenantCredential();
    default:
      return assertNever(config);
  }
}
