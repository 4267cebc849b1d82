import { SimulatedTenantCredential } from '../../src/entra/simulated-credential';
import { DEFAULT_DEMO_CLIENT_SECRET } from '../../src/simulator/auth/demo-app';
import { TENANT_ID } from './demo-ids';

/** The demo app as the simulated tenant's seed registers it: whom a test signs in as. */
export const DEMO_APP = { tenantId: TENANT_ID, clientId: 'b07e0a11-2c3d-4e5f-8a9b-0c1d2e3f4a5b', clientSecret: DEFAULT_DEMO_CLIENT_SECRET } as const;

/**
 * A fresh app token from the simulated tenant's token endpoint (client credentials grant, as the demo app). Its roles
 * are the app's grants at this moment; a test that changes the grants asks for a new one, as a real app must.
 */
export async function appToken(simulatorUrl: string, scope = 'https://graph.microsoft.com/.default'): Promise<string> {
  const res = await fetch(`${simulatorUrl}/${DEMO_APP.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_secret: DEMO_APP.clientSecret,
      scope,
    }).toString(),
  });
  const body = (await res.json()) as { access_token?: string; error_description?: string };
  if (!res.ok || !body.access_token) throw new Error(`token request failed: HTTP ${res.status} ${body.error_description ?? ''}`);
  return body.access_token;
}

/** The bot's demo credential against a simulator started by a test, on the test's clock when given. */
export function simulatorCredential(simulatorUrl: string, now?: () => Date): SimulatedTenantCredential {
  return new SimulatedTenantCredential({ authorityHost: simulatorUrl, ...DEMO_APP, ...(now ? { now: () => now().getTime() } : {}) });
}
