import { toAuthMethod } from '../../src/entra/method-mapping';

describe('method mapping', () => {
  it('names a hardware OATH token by its device, where Graph puts the name (the method itself has no displayName)', () => {
    // Shape of https://learn.microsoft.com/graph/api/authentication-list-hardwareoathmethods?view=graph-rest-beta (response example).
    const token = {
      '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod',
      id: 'h1',
      device: { id: 'h1', displayName: 'Amy Masters Token 1', serialNumber: 'TOTP123456' },
    };
    expect(toAuthMethod(token)).toEqual({ id: 'h1', type: 'hardwareOath', detail: 'Amy Masters Token 1' });
    expect(toAuthMethod({ '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod', id: 'h2' }).detail).toBe('hardware OATH token');
  });
});
