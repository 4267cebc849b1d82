import { odataString } from '../../src/entra/paging';
import type { GraphRequestSeen } from '../../src/simulator';
import { parseFilter, type FilterExpr, type Operand } from '../../src/simulator/odata-filter';
import { USERS } from '../helpers/demo-ids';
import { demoSeedWith, simulatedDirectory, type SimulatedDirectory } from './simulated-directory';

/**
 * Every value the bot puts into a `$filter` is an OData string literal with single quotes doubled. These tests send
 * values that try to break out of the literal through the real adapter and client, record the `$filter` the
 * simulated tenant received, parse it with the simulator's own OData parser, and check that the value arrived as
 * one literal, character for character, with no extra clause.
 */
const ATTEMPTS = [
  "o'reilly@contoso.com",
  "x') or startswith(userPrincipalName,'a",
  "' or 1 eq 1 or '",
  "a''b'''c@contoso.com",
  "adele@contoso.com') or (true",
  '(admin)@contoso.com',
  "zoë.ångström'@contoso.com",
  "用户'）or（'@例子.公司",
  '%27 or true or %27@contoso.com',
  "')/any(t: t/id ne '')",
  '\u2019 or \u2018 smart quotes \u02bc',
];

/** The single string literal of an expression tree, wherever it sits; fails if there is more than one. */
function literalsOf(expr: FilterExpr): string[] {
  const fromOperand = (o: Operand): string[] =>
    o.kind === 'literal' && (o.literal.type === 'string' || o.literal.type === 'guid') ? [String(o.literal.value)] : [];
  switch (expr.kind) {
    case 'and':
    case 'or':
      return [...literalsOf(expr.left), ...literalsOf(expr.right)];
    case 'not':
      return literalsOf(expr.operand);
    case 'compare':
      return [...fromOperand(expr.left), ...fromOperand(expr.right)];
    case 'in':
      return expr.values.flatMap((v) => (v.type === 'string' ? [v.value] : []));
    case 'function':
      return expr.args.flatMap(fromOperand);
    case 'lambda':
      return literalsOf(expr.predicate);
  }
}

/** Counts the or-nodes: none of the bot's filters has one, so any "or" came from the value. */
function orCount(expr: FilterExpr): number {
  switch (expr.kind) {
    case 'and':
      return orCount(expr.left) + orCount(expr.right);
    case 'or':
      return 1 + orCount(expr.left) + orCount(expr.right);
    case 'not':
      return orCount(expr.operand);
    case 'lambda':
      return orCount(expr.predicate);
    case 'compare':
    case 'function':
    case 'in':
      return 0;
  }
}

describe('OData $filter values are escaped (single quotes doubled) and arrive literally', () => {
  let t: SimulatedDirectory;
  const seen: GraphRequestSeen[] = [];
  const OBRIEN = { id: '9a1b7c20-00ff-4e8a-9c11-0000000000ff', upn: "o'brien@contoso.com" };
  beforeAll(async () => {
    const seed = demoSeedWith((s) => {
      const diego = s.users.find((u) => u.id === USERS.diego.id);
      if (!diego) throw new Error('no Diego in the demo seed');
      // A soft-deleted user whose UPN has a quote: found only if the quote survives the filter.
      s.users.push({
        ...diego,
        id: OBRIEN.id,
        userPrincipalName: OBRIEN.upn,
        mail: OBRIEN.upn,
        mailNickname: 'obrien',
        displayName: "Siobhan O'Brien",
        backup: undefined,
        methods: [],
        userPreferredMethodForSecondaryAuthentication: 'none',
      });
    });
    t = await simulatedDirectory({ seed, onGraphRequest: (r) => seen.push(r) });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const filtersSent = (pathPart: RegExp): FilterExpr[] =>
    seen.filter((r) => pathPart.test(r.path) && r.query.has('$filter')).map((r) => parseFilter(r.query.get('$filter') ?? ''));

  it('doubles single quotes and nothing else', () => {
    expect(odataString("o'brien")).toBe("'o''brien'");
    expect(odataString("''")).toBe("''''''");
    expect(odataString('(a) or b')).toBe("'(a) or b'");
  });

  it.each(ATTEMPTS)('a UPN %j reaches the deleted-users filter as one literal and matches nobody', async (upn) => {
    await expect(t.directory.findAccount({ kind: 'upn', upn }, new Date(t.now().getTime() - 30 * 86_400_000))).resolves.toBeUndefined();
    const [filter, ...more] = filtersSent(/^\/directory\/deletedItems\/microsoft\.graph\.user$/);
    expect(more).toEqual([]);
    expect(filter).toEqual({
      kind: 'function',
      name: 'endswith',
      args: [
        { kind: 'property', path: ['userPrincipalName'] },
        { kind: 'literal', literal: { type: 'string', value: upn } },
      ],
    });
  });

  it.each(ATTEMPTS)('an id %j reaches the audit, sign-in and role filters as one literal each', async (id) => {
    const since = new Date(t.now().getTime() - 86_400_000);
    await expect(t.directory.listAudit(id, since)).resolves.toEqual([]);
    await expect(t.directory.listSignIns(id, since)).resolves.toEqual([]);
    await expect(t.directory.listRoles(id)).resolves.toEqual([]);
    const filters = [...filtersSent(/^\/auditLogs\//), ...filtersSent(/^\/roleManagement\//)];
    // Audit, sign-ins; role assignments, transitive assignments and PIM eligibilities.
    expect(filters).toHaveLength(5);
    for (const f of filters) {
      expect(literalsOf(f)).toEqual([id]);
      expect(orCount(f)).toBe(0);
    }
  });

  it('finds a soft-deleted user whose UPN has a quote, through the same filter', async () => {
    const found = await t.directory.findAccount({ kind: 'upn', upn: OBRIEN.upn }, new Date(t.now().getTime() - 30 * 86_400_000));
    expect(found).toMatchObject({ kind: 'softDeleted' });
    expect(literalsOf(filtersSent(/^\/directory\/deletedItems\//)[0]!)).toEqual([OBRIEN.upn]);
  });
});
