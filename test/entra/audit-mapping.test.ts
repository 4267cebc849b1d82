import { unquote } from '../../src/entra/audit-mapping';

describe('unquote (Entra writes modified-property values JSON-encoded)', () => {
  it.each([
    ['"fido2"', 'fido2'],
    ['["Retail Operations"]', 'Retail Operations'],
    ['["a","b"]', 'a, b'],
    ['[true]', 'true'],
    ['42', '42'],
    ['"AccountEnabled, DisplayName"', 'AccountEnabled, DisplayName'],
    ['[{"x":1}]', '{"x":1}'],
    ['not json', 'not json'],
    ['', ''],
  ])('%s -> %s', (raw, plain) => {
    expect(unquote(raw)).toBe(plain);
  });

  it('is undefined for null, undefined and a JSON null', () => {
    expect(unquote(null)).toBeUndefined();
    expect(unquote(undefined)).toBeUndefined();
    expect(unquote('null')).toBeUndefined();
  });
});
