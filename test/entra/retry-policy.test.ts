import { retryOnlyReads } from '../../src/entra/graph-client';

describe('which Graph requests the client retries by itself (429, 503, 504)', () => {
  it.each([
    ['GET', 'https://graph.microsoft.com/v1.0/users/u1', true],
    ['HEAD', 'https://graph.microsoft.com/v1.0/users/u1', true],
    ['POST', 'https://graph.microsoft.com/v1.0/users/u1/checkMemberGroups', true],
    ['POST', 'https://graph.microsoft.com/v1.0/users/u1/authentication/temporaryAccessPassMethods', false],
    ['PATCH', 'https://graph.microsoft.com/v1.0/users/u1', false],
    ['DELETE', 'https://graph.microsoft.com/v1.0/users/u1/authentication/fido2Methods/f1', false],
    ['POST', 'https://graph.microsoft.com/v1.0/directory/deletedItems/u1/restore', false],
    ['POST', 'https://graph.microsoft.com/v1.0/users/u1/revokeSignInSessions', false],
  ])('%s %s → %s', (method, url, retried) => {
    expect(retryOnlyReads(1, 1, url, { method })).toBe(retried);
    expect(retryOnlyReads(1, 1, new Request(url, { method }), { method })).toBe(retried);
  });
});
