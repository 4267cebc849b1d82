import type { Json, JsonObject } from './json';
import { isJsonObject } from './json';
import type { CompareOp, FilterExpr, Literal, Operand } from './odata-filter';

export type FilterValueType = 'string' | 'datetime' | 'boolean' | 'number';
export type FilterOp = CompareOp | 'in' | 'startswith' | 'endswith' | 'contains';

export interface FilterProperty {
  readonly type: FilterValueType;
  readonly ops: readonly FilterOp[];
}

/**
 * What one collection lets a client filter on, mirroring what Graph documents for it. Anything not listed is refused
 * with 400, so a client can trust that every clause it sent was applied.
 */
export interface FilterSchema {
  /** Resource name for messages, e.g. 'directoryAudit'. */
  readonly resource: string;
  /** Property paths as written in the filter: 'activityDateTime', 'initiatedBy/user/id'. */
  readonly properties: Readonly<Record<string, FilterProperty>>;
  /** Collections a lambda may range over, with their element properties ('' for a collection of primitives). */
  readonly collections?: Readonly<Record<string, Readonly<Record<string, FilterProperty>>>>;
}

/** The filter names a property or operator this collection does not support (Graph: Request_UnsupportedQuery). */
export class FilterUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterUnsupportedError';
  }
}

/** The filter compares incompatible types, e.g. a date with a string (Graph: BadRequest). */
export class FilterTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterTypeError';
  }
}

export type Predicate = (record: JsonObject) => boolean;
type Evaluator = (record: JsonObject, element: Json | undefined) => boolean;

interface Scope {
  readonly variable: string;
  readonly properties: Readonly<Record<string, FilterProperty>>;
}

const EDM: Record<FilterValueType | Literal['type'], string> = {
  string: 'Edm.String',
  datetime: 'Edm.DateTimeOffset',
  boolean: 'Edm.Boolean',
  number: 'Edm.Int32',
  guid: 'Edm.Guid',
  null: 'null',
};
const OP_KIND: Record<CompareOp, string> = { eq: 'Equal', ne: 'NotEqual', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual' };

/** Checks the expression against the schema and turns it into a predicate over serialized entities. */
export function compileFilter(expr: FilterExpr, schema: FilterSchema): Predicate {
  const evaluate = compile(expr, schema, undefined);
  return (record) => evaluate(record, undefined);
}

function compile(expr: FilterExpr, schema: FilterSchema, scope: Scope | undefined): Evaluator {
  switch (expr.kind) {
    case 'and': {
      const l = compile(expr.left, schema, scope);
      const r = compile(expr.right, schema, scope);
      return (rec, el) => l(rec, el) && r(rec, el);
    }
    case 'or': {
      const l = compile(expr.left, schema, scope);
      const r = compile(expr.right, schema, scope);
      return (rec, el) => l(rec, el) || r(rec, el);
    }
    case 'not': {
      const inner = compile(expr.operand, schema, scope);
      return (rec, el) => !inner(rec, el);
    }
    case 'compare':
      return compileCompare(expr.op, expr.left, expr.right, schema, scope);
    case 'in': {
      const target = resolveProperty(expr.left, schema, scope, 'in');
      for (const v of expr.values) checkLiteral(target.property, v, 'eq', target.name);
      return (rec, el) => expr.values.some((v) => compareValues(target.read(rec, el), 'eq', v, target.property.type));
    }
    case 'function': {
      const [subject, needle, ...extra] = expr.args;
      if (!subject || !needle || extra.length > 0) throw new FilterUnsupportedError(`${expr.name} takes exactly two arguments: a property and a string.`);
      const target = resolveProperty(subject, schema, scope, expr.name);
      if (needle.kind !== 'literal' || needle.literal.type !== 'string')
        throw new FilterTypeError(`The second argument of ${expr.name} must be a string literal.`);
      const wanted = needle.literal.value.toLowerCase();
      const test = (s: string): boolean =>
        expr.name === 'startswith' ? s.startsWith(wanted) : expr.name === 'endswith' ? s.endsWith(wanted) : s.includes(wanted);
      return (rec, el) => {
        const value = target.read(rec, el);
        return typeof value === 'string' && test(value.toLowerCase());
      };
    }
    case 'lambda':
      return compileLambda(expr, schema, scope);
  }
}

function compileLambda(expr: Extract<FilterExpr, { kind: 'lambda' }>, schema: FilterSchema, scope: Scope | undefined): Evaluator {
  if (scope) throw new FilterUnsupportedError('Nested lambda expressions are not supported.');
  const name = expr.collection.join('/');
  const properties = schema.collections?.[name];
  if (!properties)
    throw new FilterUnsupportedError(`Unsupported or invalid query filter clause specified for property '${name}' of resource '${schema.resource}'.`);
  const predicate = compile(expr.predicate, schema, { variable: expr.variable, properties });
  return (rec) => {
    const items = readPath(rec, expr.collection);
    if (!Array.isArray(items)) return false;
    return expr.quantifier === 'any' ? items.some((item) => predicate(rec, item)) : items.every((item) => predicate(rec, item));
  };
}

interface ResolvedProperty {
  readonly name: string;
  readonly property: FilterProperty;
  readonly read: (record: JsonObject, element: Json | undefined) => Json | undefined;
}

function resolveProperty(operand: Operand, schema: FilterSchema, scope: Scope | undefined, op: string): ResolvedProperty {
  if (operand.kind !== 'property') throw new FilterUnsupportedError('The left side of a comparison must be a property, the right side a literal.');
  const [head, ...rest] = operand.path;
  let resolved: ResolvedProperty | undefined;
  if (scope && head === scope.variable) {
    const key = rest.join('/');
    const property = scope.properties[key];
    if (property)
      resolved = { name: operand.path.join('/'), property, read: (_rec, el) => (key === '' ? el : isJsonObject(el) ? readPath(el, rest) : undefined) };
  } else {
    const key = operand.path.join('/');
    const property = schema.properties[key];
    if (property) resolved = { name: key, property, read: (rec) => readPath(rec, operand.path) };
  }
  if (!resolved)
    throw new FilterUnsupportedError(
      `Unsupported or invalid query filter clause specified for property '${operand.path.join('/')}' of resource '${schema.resource}'.`,
    );
  if (!resolved.property.ops.includes(op as FilterOp)) {
    throw new FilterUnsupportedError(
      `Unsupported filter operator '${op}' for property '${resolved.name}' of resource '${schema.resource}'. Supported: ${resolved.property.ops.join(', ')}.`,
    );
  }
  return resolved;
}

function compileCompare(op: CompareOp, left: Operand, right: Operand, schema: FilterSchema, scope: Scope | undefined): Evaluator {
  const target = resolveProperty(left, schema, scope, op);
  if (right.kind !== 'literal') throw new FilterUnsupportedError('The left side of a comparison must be a property, the right side a literal.');
  checkLiteral(target.property, right.literal, op, target.name);
  return (rec, el) => compareValues(target.read(rec, el), op, right.literal, target.property.type);
}

function checkLiteral(property: FilterProperty, literal: Literal, op: CompareOp, name: string): void {
  if (literal.type === 'null') {
    if (op === 'eq' || op === 'ne') return;
    throw new FilterTypeError(`null can only be compared with eq or ne (property '${name}').`);
  }
  const ok = literal.type === property.type;
  if (!ok) {
    throw new FilterTypeError(
      `A binary operator with incompatible types was detected. Found operand types '${EDM[property.type]}' and '${EDM[literal.type]}' for operator kind '${OP_KIND[op]}'.`,
    );
  }
}

function compareValues(value: Json | undefined, op: CompareOp, literal: Literal, type: FilterValueType): boolean {
  if (literal.type === 'null') return op === 'eq' ? value === null || value === undefined : value !== null && value !== undefined;
  if (value === null || value === undefined) return op === 'ne';
  let cmp: number;
  if (type === 'datetime' && literal.type === 'datetime' && typeof value === 'string') cmp = Math.sign(Date.parse(value) - literal.ms);
  else if (type === 'string' && literal.type === 'string' && typeof value === 'string') cmp = ordinal(value.toLowerCase(), literal.value.toLowerCase());
  else if (type === 'number' && literal.type === 'number' && typeof value === 'number') cmp = Math.sign(value - literal.value);
  else if (type === 'boolean' && literal.type === 'boolean' && typeof value === 'boolean') cmp = value === literal.value ? 0 : 1;
  else return false;
  switch (op) {
    case 'eq':
      return cmp === 0;
    case 'ne':
      return cmp !== 0;
    case 'gt':
      return cmp > 0;
    case 'ge':
      return cmp >= 0;
    case 'lt':
      return cmp < 0;
    case 'le':
      return cmp <= 0;
  }
}

function ordinal(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function readPath(record: JsonObject, path: readonly string[]): Json | undefined {
  let current: Json | undefined = record;
  for (const segment of path) {
    if (!isJsonObject(current)) return undefined;
    current = current[segment];
  }
  return current;
}
