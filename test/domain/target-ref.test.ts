import { parseTargetRef } from '../../src/domain/target-ref';

describe('parseTargetRef', () => {
  it.each([
    ['adele@contoso.com', { kind: 'upn', upn: 'adele@contoso.com' }],
    ['  Adele@Contoso.com ', { kind: 'upn', upn: 'adele@contoso.com' }],
    ['<a href="mailto:adele@contoso.com">adele@contoso.com</a>', { kind: 'upn', upn: 'adele@contoso.com' }],
    ['`adele@contoso.com`', { kind: 'upn', upn: 'adele@contoso.com' }],
    ["o'brien@contoso.com", { kind: 'upn', upn: "o'brien@contoso.com" }],
    ['9A1B7C20-0004-4E8A-9C11-000000000004', { kind: 'objectId', id: '9a1b7c20-0004-4e8a-9c11-000000000004' }],
  ])('accepts %s', (input, expected) => {
    expect(parseTargetRef(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', /Tell me who/],
    ['   ', /Tell me who/],
    ['adele@contoso.com lee@contoso.com', /exactly one user/],
    ['adele', /neither a user principal name nor an object id/],
    ['adele@localhost', /neither/],
    ['9a1b7c20-0004-4e8a-9c11-00000000000', /neither/],
    ["x@contoso.com'); DROP", /exactly one user/],
    ['a'.repeat(120) + '@contoso.com', /neither/],
    // Attempts at an OData filter or a second command, odd Unicode and look-alikes: refused before anything is sent.
    ["x')or(1@contoso.com", /neither/],
    ['adele@contoso.com)or(startswith(userPrincipalName,a)', /neither/],
    ['adele@contoso.com\nrecover lee@contoso.com', /exactly one user/],
    ['zoë@contoso.com', /neither/],
    ['\u0430dele@contoso.com', /neither/],
    ['adele@contoso.com\u200b', /neither/],
    ['adele@contoso.com\u0000', /neither/],
    ['{9a1b7c20-0004-4e8a-9c11-000000000004}', /neither/],
    ['9a1b7c20-0004-4e8a-9c11-000000000004 or 1 eq 1', /exactly one user/],
  ])('refuses %j with a usage hint', (input, message) => {
    const result = parseTargetRef(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('INPUT.MALFORMED');
      expect(result.message).toMatch(message);
      expect(result.message).toContain('**recover** _user principal name or object id_');
    }
  });
});
