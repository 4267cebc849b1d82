import { FilterSyntaxError, parseFilter, tokenize } from '../../src/simulator/odata-filter';
import { FilterTypeError, FilterUnsupportedError, compileFilter, type FilterSchema } from '../../src/simulator/odata-filter-eval';

const SCHEMA: FilterSchema = {
  resource: 'thing',
  properties: {
    name: { type: 'string', ops: ['eq', 'ne', 'in', 'startswith', 'endswith'] },
    when: { type: 'datetime', ops: ['eq', 'ge', 'gt', 'le', 'lt'] },
    'owner/id': { type: 'string', ops: ['eq'] },
    enabled: { type: 'boolean', ops: ['eq'] },
    code: { type: 'number', ops: ['eq', 'ne'] },
  },
  collections: { targets: { id: { type: 'string', ops: ['eq'] } }, tags: { '': { type: 'string', ops: ['eq'] } } },
};

const ITEMS = [
  { name: "O'Brien", when: '2025-06-14T10:00:00Z', owner: { id: 'a' }, enabled: true, code: 0, targets: [{ id: 't1' }, { id: 't2' }], tags: ['x'] },
  { name: 'Adele', when: '2025-06-13T02:14:07Z', owner: { id: 'b' }, enabled: false, code: 50074, targets: [{ id: 't2' }], tags: [] },
  { name: 'adam', when: '2025-06-01T00:00:00Z', owner: null, enabled: true, code: 0, targets: [], tags: ['x', 'y'] },
];

function names(filter: string): string[] {
  const predicate = compileFilter(parseFilter(filter), SCHEMA);
  return ITEMS.filter((item) => predicate(item)).map((i) => i.name);
}

describe('the OData $filter parser', () => {
  it('tokenizes strings with doubled quotes, unquoted dates and GUIDs', () => {
    const tokens = tokenize("name eq 'O''Brien' and when ge 2025-06-14T00:00:00Z or id eq 9a1b7c20-0004-4e8a-9c11-000000000004");
    expect(tokens.filter((t) => t.kind === 'literal').map((t) => (t.kind === 'literal' ? t.literal.type : ''))).toEqual(['string', 'datetime', 'guid']);
  });

  it('parses and/or with and binding tighter, and parentheses overriding it', () => {
    expect(parseFilter("name eq 'a' or name eq 'b' and enabled eq true")).toMatchObject({ kind: 'or', right: { kind: 'and' } });
    expect(parseFilter("(name eq 'a' or name eq 'b') and enabled eq true")).toMatchObject({ kind: 'and', left: { kind: 'or' } });
  });

  it('parses lambdas with any variable name', () => {
    expect(parseFilter("targets/any(zz: zz/id eq 't1')")).toMatchObject({ kind: 'lambda', quantifier: 'any', collection: ['targets'], variable: 'zz' });
  });

  it.each([
    ["name eq 'O''Brien'", ["O'Brien"]],
    ["name eq 'ADELE'", ['Adele']],
    ["name ne 'Adele'", ["O'Brien", 'adam']],
    ["name in ('adam', 'Adele')", ['Adele', 'adam']],
    ["startswith(name,'ad')", ['Adele', 'adam']],
    ["endswith(name,'ele')", ['Adele']],
    ['when ge 2025-06-13T02:14:07Z', ["O'Brien", 'Adele']],
    ['when gt 2025-06-13T02:14:07Z', ["O'Brien"]],
    ['when lt 2025-06-13T02:14:07Z', ['adam']],
    ['when le 2025-06-13T02:14:07Z', ['Adele', 'adam']],
    ['when eq 2025-06-13T02:14:07Z', ['Adele']],
    ['when ge 2025-06-13', ["O'Brien", 'Adele']],
    ["owner/id eq 'b'", ['Adele']],
    ['enabled eq false', ['Adele']],
    ['code ne 0', ['Adele']],
    ["targets/any(t: t/id eq 't2')", ["O'Brien", 'Adele']],
    ["targets/all(t: t/id eq 't2')", ['Adele', 'adam']],
    ["tags/any(tag: tag eq 'y')", ['adam']],
    ["not startswith(name,'ad')", ["O'Brien"]],
    ["enabled eq true and (startswith(name,'O') or code eq 50074)", ["O'Brien"]],
    ["enabled eq true and startswith(name,'O') or code eq 50074", ["O'Brien", 'Adele']],
  ])('evaluates %s', (filter, expected) => {
    expect(names(filter)).toEqual(expected);
  });

  it.each([
    ['name eq', FilterSyntaxError],
    ["name eq 'unterminated", FilterSyntaxError],
    ["name eq 'a' extra", FilterSyntaxError],
    ["(name eq 'a'", FilterSyntaxError],
    ["tolower(name) eq 'a'", FilterSyntaxError],
    ["name has 'a'", FilterSyntaxError],
    ['', FilterSyntaxError],
  ])('rejects the malformed filter %j', (filter, error) => {
    expect(() => parseFilter(filter)).toThrow(error);
  });

  it.each([
    ["colour eq 'red'", FilterUnsupportedError, /property 'colour'/],
    ["contains(name,'a')", FilterUnsupportedError, /Unsupported filter operator 'contains'/],
    ["startswith(owner/id,'a')", FilterUnsupportedError, /operator 'startswith'/],
    ["'a' eq name", FilterUnsupportedError, /left side/],
    ["targets/any(t: t/name eq 'a')", FilterUnsupportedError, /'t\/name'/],
    ["targets/any(t: t/id eq 'a' and tags/any(g: g eq 'x'))", FilterUnsupportedError, /Nested lambda/],
    ["when ge '2025-06-13'", FilterTypeError, /incompatible types.*Edm.DateTimeOffset.*Edm.String.*GreaterThanOrEqual/],
    ["enabled eq 'true'", FilterTypeError, /Edm.Boolean/],
  ])('refuses %s instead of ignoring it', (filter, error, message) => {
    expect(() => compileFilter(parseFilter(filter), SCHEMA)).toThrow(error);
    expect(() => compileFilter(parseFilter(filter), SCHEMA)).toThrow(message);
  });
});
