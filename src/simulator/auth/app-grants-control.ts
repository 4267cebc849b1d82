import { z } from 'zod';
import { gatewayErrors } from '../errors';
import type { SimResponse } from '../http-types';
import type { TenantState } from '../tenant-state';
import { PERMISSION_NAME } from './demo-app';

const GrantsSchema = z.object({ grantedPermissions: z.array(z.string().regex(PERMISSION_NAME)) }).strict();

/** The demo app as the control endpoints show it: who it is and what it was granted. */
export function appView(tenant: TenantState): SimResponse {
  const app = tenant.callerApp;
  return {
    status: 200,
    body: {
      tenantId: tenant.tenant.id,
      appId: app.appId,
      displayName: app.displayName,
      servicePrincipalId: app.servicePrincipalId,
      grantedPermissions: [...app.grantedPermissions],
    },
  };
}

/** A form sends the permissions as one text field, separated by spaces, commas or line breaks. */
function fromForm(body: unknown): unknown {
  const text = (body as Record<string, string>)['grantedPermissions'] ?? '';
  return { grantedPermissions: text.split(/[\s,]+/).filter((p) => p.length > 0) };
}

/**
 * Replaces the app's granted permissions, as an administrator adding or removing an application permission and
 * granting admin consent does. Tokens already issued keep the roles they were issued with until they expire, as in
 * Entra: a caller sees the change only with a new token.
 */
export function setGrantedPermissions(tenant: TenantState, body: unknown, form: boolean): SimResponse {
  const parsed = GrantsSchema.safeParse(form ? fromForm(body) : body);
  if (!parsed.success) throw gatewayErrors.badRequest('Invalid grants: send {"grantedPermissions": ["User.Read.All", …]} with Graph permission names.');
  tenant.callerApp.grantedPermissions = [...new Set(parsed.data.grantedPermissions)];
  return appView(tenant);
}
