import { checkContext, checkErrorBody, checkObject, checkSuccessBody, loadGraphSchema } from './graph-schema-check';

/** The checker itself: it passes Graph's own examples and fails each kind of bad body, so the contract test can fail. */
describe('graph schema check', () => {
  const v1 = loadGraphSchema('v1.0');
  const beta = loadGraphSchema('beta');

  it('records the msgraph-metadata commit it was extracted from', () => {
    expect(v1.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(beta.source.commit).toBe(v1.source.commit);
    expect(v1.source.files).toEqual(['schemas/v1.0-Prod.csdl']);
  });

  it('passes a phone method as the reference example shows it', () => {
    // https://learn.microsoft.com/graph/api/phoneauthenticationmethod-get (v1.0 response example)
    const phone = {
      '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
      id: '3179e48a-750b-4051-897c-87b9720928f7',
      phoneNumber: '+1 2065555555',
      phoneType: 'mobile',
      smsSignInState: 'ready',
    };
    expect(checkObject(v1, 'authenticationMethod', phone)).toEqual([]);
  });

  it('fails a property name with the wrong casing, and names the right one', () => {
    expect(checkObject(v1, 'user', { id: 'x', UserPrincipalName: 'a@b.c' })).toEqual([
      "$.UserPrincipalName: no property 'UserPrincipalName' on user or its base types (Graph spells it 'userPrincipalName')",
    ]);
    // user is an open type: it takes extension properties, nothing else.
    expect(checkObject(v1, 'user', { id: 'x', extension_b07e0a112c3d4e5f8a9b0c1d2e3f4a5b_costCenter: 'A1' })).toEqual([]);
    expect(checkObject(v1, 'user', { id: 'x', riskLevel: 'low' })).toEqual(["$.riskLevel: no property 'riskLevel' on user or its base types"]);
  });

  it('fails values of the wrong Edm type, dates not in UTC, and unknown enum members', () => {
    const problems = checkObject(v1, 'user', { id: 'x', accountEnabled: 'true', createdDateTime: '2025-06-18 12:00:00', businessPhones: 'none' });
    expect(problems).toEqual([
      '$.accountEnabled: "true" is not a boolean (Edm.Boolean)',
      `$.createdDateTime: "2025-06-18 12:00:00" is not Graph's UTC date-time (Edm.DateTimeOffset)`,
      '$.businessPhones: expected an array (Collection(Edm.String)), got "none"',
    ]);
    expect(checkObject(v1, 'phoneAuthenticationMethod', { id: 'x', phoneType: 'pager' })).toEqual([
      "$.phoneType: 'pager' is not a member of enum authenticationPhoneType (mobile, alternateMobile, office, unknownFutureValue)",
    ]);
  });

  it('fails a beta-only @odata.type in v1.0 and accepts it in beta', () => {
    const token = { '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod', id: 'x', createdDateTime: '2025-06-18T12:00:00Z' };
    expect(checkObject(v1, 'authenticationMethod', token)).toEqual([
      '$: @odata.type #microsoft.graph.hardwareOathAuthenticationMethod is not a type of Graph v1.0',
    ]);
    expect(checkObject(beta, 'authenticationMethod', token)).toEqual([]);
  });

  it('fails a navigation property sent inline unless it was expanded', () => {
    const assignment = { id: 'a', principalId: 'p', roleDefinitionId: 'r', directoryScopeId: '/', roleDefinition: { id: 'r' } };
    expect(checkObject(v1, 'unifiedRoleAssignment', assignment)).toEqual([
      '$.roleDefinition: navigation property of unifiedRoleAssignment, sent inline without $expand',
    ]);
    expect(checkObject(v1, 'unifiedRoleAssignment', assignment, '$', { expanded: ['roleDefinition'] })).toEqual([]);
  });

  it('fails complex values recursively, and an abstract type without its concrete @odata.type', () => {
    expect(checkObject(v1, 'signIn', { id: 's', status: { errorCode: '0' } })).toEqual(['$.status.errorCode: "0" is not an integer (Edm.Int32)']);
    expect(checkObject(v1, 'authenticationMethod', { id: 'm' })).toEqual([
      '$: authenticationMethod is abstract, so Graph names the concrete type in @odata.type',
    ]);
  });

  it('checks @odata.context against the request version and the expected fragment', () => {
    expect(checkContext('v1.0', 'https://graph.microsoft.com/v1.0/$metadata#users/$entity', 'users/$entity')).toEqual([]);
    expect(checkContext('v1.0', 'https://graph.microsoft.com/beta/$metadata#users/$entity')).toEqual([
      "@odata.context 'https://graph.microsoft.com/beta/$metadata#users/$entity' names beta, the request was v1.0",
    ]);
    expect(checkContext('v1.0', 'https://graph.microsoft.com/v1.0/#users')).toHaveLength(1);
    expect(checkContext('v1.0', 'https://graph.microsoft.com/v1.0/$metadata#users', 'users/$entity')).toEqual([
      "@odata.context fragment 'users', Graph writes 'users/$entity'",
    ]);
  });

  it('checks collection bodies member by member', () => {
    const body = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users', value: [{ id: 'u', displayName: 3 }], extra: true };
    expect(checkSuccessBody(v1, body, { type: 'user', collection: true })).toEqual([
      '$.extra: not a member of a collection response',
      '$.value[0].displayName: 3 is not a string (Edm.String)',
    ]);
  });

  it("passes Graph's error body and fails bodies that lack its parts", () => {
    const good = {
      error: {
        code: 'Request_ResourceNotFound',
        message: 'x',
        innerError: {
          date: '2025-06-18T12:00:00',
          'request-id': 'b4f5f2b4-5d3c-4b59-9a7e-7f1f3c2d1e0a',
          'client-request-id': 'b4f5f2b4-5d3c-4b59-9a7e-7f1f3c2d1e0a',
        },
      },
    };
    expect(checkErrorBody(good)).toEqual([]);
    expect(checkErrorBody({ error: { code: 'x', message: 'y' } })).toEqual(['$.error.innerError is not an object']);
    expect(checkErrorBody({ error: { code: '', message: 'y', innerError: { date: '2025-06-18T12:00:00.000Z', 'request-id': 'r' } } })).toEqual([
      '$.error.code is not a non-empty string',
      `$.error.innerError.date "2025-06-18T12:00:00.000Z" is not 'yyyy-MM-ddTHH:mm:ss'`,
      '$.error.innerError.request-id "r" is not a GUID',
      '$.error.innerError.client-request-id undefined is not a GUID',
    ]);
    expect(checkErrorBody({ message: 'plain' })).toEqual(["$.message: an error body has only 'error'", '$.error is not an object']);
  });
});
