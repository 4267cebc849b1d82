/** Ids of the demo tenant (docs/demo-tenant.md). */
export const TENANT_ID = '5f1c2b6e-8d4a-4c1e-9b7a-2e0f3d6c9a10';
export const GROUPS = {
  helpdesk: '3c0d9e51-1000-4b2a-8f00-00000000a001',
  approvers: '3c0d9e51-1000-4b2a-8f00-00000000a002',
  privilegedApprovers: '3c0d9e51-1000-4b2a-8f00-00000000a003',
} as const;
export const USERS = {
  megan: { id: '9a1b7c20-0001-4e8a-9c11-000000000001', upn: 'megan@contoso.com', name: 'Megan Bowen' },
  alex: { id: '9a1b7c20-0002-4e8a-9c11-000000000002', upn: 'alex@contoso.com', name: 'Alex Wilber' },
  patti: { id: '9a1b7c20-0003-4e8a-9c11-000000000003', upn: 'patti@contoso.com', name: 'Patti Fernandez' },
  adele: { id: '9a1b7c20-0004-4e8a-9c11-000000000004', upn: 'adele@contoso.com', name: 'Adele Vance' },
  lee: { id: '9a1b7c20-0005-4e8a-9c11-000000000005', upn: 'lee@contoso.com', name: 'Lee Gu' },
  diego: { id: '9a1b7c20-0006-4e8a-9c11-000000000006', upn: 'diego@contoso.com', name: 'Diego Siciliani' },
  isaiah: { id: '9a1b7c20-0007-4e8a-9c11-000000000007', upn: 'isaiah@contoso.com', name: 'Isaiah Langer' },
  nestor: { id: '9a1b7c20-0008-4e8a-9c11-000000000008', upn: 'nestor@contoso.com', name: 'Nestor Wilke' },
  johanna: { id: '9a1b7c20-0009-4e8a-9c11-000000000009', upn: 'johanna@contoso.com', name: 'Johanna Lorenz' },
  grady: { id: '9a1b7c20-000a-4e8a-9c11-00000000000a', upn: 'grady@contoso.com', name: 'Grady Archie' },
  /** The third privileged approver: the one more approval a privileged target's fallback needs. */
  miriam: { id: '9a1b7c20-000c-4e8a-9c11-00000000000c', upn: 'miriam@contoso.com', name: 'Miriam Graham' },
} as const;
