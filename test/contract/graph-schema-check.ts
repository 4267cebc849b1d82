import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Checks JSON bodies against the trimmed extract of Microsoft Graph's published metadata
 * (test/fixtures/graph-metadata, written by scripts/extract-graph-metadata.ts). Each check returns the problems it
 * found as sentences naming the JSON path, so a failing contract test says exactly what differs from Graph.
 */

export type GraphVersion = 'v1.0' | 'beta';

interface ExtractType {
  readonly kind: 'entity' | 'complex';
  readonly base?: string;
  readonly abstract?: boolean;
  readonly open?: boolean;
  readonly properties: Readonly<Record<string, string>>;
  readonly nonNullable?: readonly string[];
  readonly navigation?: readonly string[];
}

export interface GraphSchema {
  readonly version: GraphVersion;
  readonly source: { readonly commit: string; readonly date: string; readonly files: readonly string[] };
  readonly types: Readonly<Record<string, ExtractType>>;
  readonly enums: Readonly<Record<string, { readonly members: readonly string[]; readonly flags?: boolean }>>;
}

export function loadGraphSchema(version: GraphVersion): GraphSchema {
  const file = path.join(__dirname, '..', 'fixtures', 'graph-metadata', `${version}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as GraphSchema;
}

/** Graph writes DateTimeOffset in UTC with a Z, with or without up to 7 fractional digits. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Directory and schema extension property names, the dynamic properties an open directory type carries. */
const OPEN_TYPE_EXTENSION = /^(extension_[0-9a-f]{32}_\w+|ext[a-z0-9]{8}_\w+)$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The names of the type and its base types, most derived first. */
function chainNames(schema: GraphSchema, name: string): string[] {
  const out: string[] = [];
  for (let n: string | undefined = name; n && schema.types[n]; n = schema.types[n]?.base) out.push(n);
  return out;
}

function derivesFrom(schema: GraphSchema, name: string, ancestor: string): boolean {
  for (let n: string | undefined = name; n; n = schema.types[n]?.base) if (n === ancestor) return true;
  return false;
}

export interface CheckOptions {
  /**
   * Graph serializes every structural property of an entity it returns in full (null when unset), so a missing one is
   * a property the simulator forgot. Off for `$select`ed bodies and for directory objects, which have a default
   * property set (user, group).
   */
  readonly complete?: boolean;
  /** `type.property` that Graph documents as never returned on reads (write-only). */
  readonly notReturned?: readonly string[];
  /**
   * Navigation properties that may appear inline, at any depth, as `name` or `declaringType.name`: the ones the request
   * `$expand`ed, and the ones Graph expands by itself (each cites the reference example that shows it).
   */
  readonly expanded?: readonly string[];
}

/** One Edm primitive value. */
function checkPrimitive(type: string, value: Json, at: string): string[] {
  const bad = (what: string): string[] => [`${at}: ${JSON.stringify(value)} is not ${what} (${type})`];
  switch (type) {
    case 'Edm.String':
      return typeof value === 'string' ? [] : bad('a string');
    case 'Edm.Boolean':
      return typeof value === 'boolean' ? [] : bad('a boolean');
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Int16':
    case 'Edm.Byte':
      return typeof value === 'number' && Number.isInteger(value) ? [] : bad('an integer');
    case 'Edm.Double':
    case 'Edm.Single':
    case 'Edm.Decimal':
      return typeof value === 'number' ? [] : bad('a number');
    case 'Edm.DateTimeOffset':
      return typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? [] : bad("Graph's UTC date-time");
    case 'Edm.Date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? [] : bad('a date');
    case 'Edm.Guid':
      return typeof value === 'string' && GUID.test(value) ? [] : bad('a GUID');
    case 'Edm.Duration':
      return typeof value === 'string' && /^-?P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/.test(value) ? [] : bad('a duration');
    case 'Edm.Binary':
      return typeof value === 'string' && /^[A-Za-z0-9+/=_-]*$/.test(value) ? [] : bad('base64');
    default:
      return [];
  }
}

/** A value of a declared type (primitive, enum, complex, entity or a collection of them). */
function checkValue(schema: GraphSchema, type: string, value: Json, at: string, nullable: boolean, options: CheckOptions = {}): string[] {
  if (value === null) return nullable ? [] : [`${at}: null, but the property is declared Nullable="false"`];
  const collection = /^Collection\((.*)\)$/.exec(type);
  if (collection?.[1]) {
    if (!Array.isArray(value)) return [`${at}: expected an array (${type}), got ${JSON.stringify(value)}`];
    const element = collection[1];
    return value.flatMap((v, i) => checkValue(schema, element, v, `${at}[${i}]`, false, options));
  }
  if (type === 'unknown') return [];
  if (type.startsWith('Edm.')) return checkPrimitive(type, value, at);
  const e = schema.enums[type];
  if (e) {
    if (typeof value !== 'string') return [`${at}: ${JSON.stringify(value)} is not a member name of enum ${type}`];
    const names = e.flags ? value.split(',').map((s) => s.trim()) : [value];
    return names.filter((n) => !e.members.includes(n)).map((n) => `${at}: '${n}' is not a member of enum ${type} (${e.members.join(', ')})`);
  }
  if (!isObject(value)) return [`${at}: expected an object of type ${type}, got ${JSON.stringify(value)}`];
  return checkObject(schema, type, value, at, options);
}

/** `#microsoft.graph.x` → `x`, or a problem when the name is no type of this version (or not of the declared one). */
function resolveType(schema: GraphSchema, declared: string, value: Record<string, Json>, at: string): { name: string; problems: string[] } {
  const raw = value['@odata.type'];
  if (raw === undefined) return { name: declared, problems: [] };
  if (typeof raw !== 'string' || !raw.startsWith('#microsoft.graph.'))
    return { name: declared, problems: [`${at}: @odata.type ${JSON.stringify(raw)} is not '#microsoft.graph.<type>'`] };
  const name = raw.slice('#microsoft.graph.'.length);
  if (!schema.types[name]) return { name: declared, problems: [`${at}: @odata.type ${raw} is not a type of Graph ${schema.version}`] };
  if (!derivesFrom(schema, name, declared)) return { name: declared, problems: [`${at}: @odata.type ${raw} is not ${declared} or derived from it`] };
  return { name, problems: [] };
}

/**
 * An entity or complex value: every property exists (exact casing) on its type or a base type, values match their
 * types, navigation properties appear only when expanded, `@odata.type` names a type of this version.
 */
export function checkObject(schema: GraphSchema, declared: string, value: Record<string, Json>, at = '$', options: CheckOptions = {}): string[] {
  if (!schema.types[declared]) return [`${at}: ${declared} is not a type in the ${schema.version} extract`];
  const { name, problems } = resolveType(schema, declared, value, at);
  const names = chainNames(schema, name);
  const types = names.map((n) => schema.types[n] as ExtractType);
  if (types[0]?.abstract && value['@odata.type'] === undefined) problems.push(`${at}: ${name} is abstract, so Graph names the concrete type in @odata.type`);
  const open = types.some((t) => t.open);
  for (const [key, v] of Object.entries(value)) {
    const here = `${at}.${key}`;
    if (key.startsWith('@')) continue;
    const annotated = /^([^@]+)@odata\.(context|count|nextLink|type)$/.exec(key);
    const property = annotated?.[1] ?? key;
    const owner = types.find((t) => property in t.properties);
    const navigationOf = names.find((n) => schema.types[n]?.navigation?.includes(property));
    if (!owner) {
      if (navigationOf) {
        const expanded = options.expanded ?? [];
        if (!expanded.includes(property) && !expanded.includes(`${navigationOf}.${property}`))
          problems.push(`${here}: navigation property of ${name}, sent inline without $expand`);
        continue;
      }
      const near = types.flatMap((t) => Object.keys(t.properties)).find((p) => p.toLowerCase() === property.toLowerCase());
      // An open type (user is one) takes dynamic properties, but only extensions: extension_{appId}_{name}, ext{id}_{name}.
      if (!open || near || !OPEN_TYPE_EXTENSION.test(property)) {
        problems.push(`${here}: no property '${property}' on ${name} or its base types${near ? ` (Graph spells it '${near}')` : ''}`);
      }
      continue;
    }
    if (annotated) continue;
    const declaredType = owner.properties[property] ?? 'unknown';
    problems.push(...checkValue(schema, declaredType, v, here, !(owner.nonNullable ?? []).includes(property), options));
  }
  if (options.complete && types[0]?.kind === 'entity' && !names.includes('directoryObject')) {
    const notReturned = options.notReturned ?? [];
    const missing = names.flatMap((n) => Object.keys(schema.types[n]?.properties ?? {}).filter((p) => !(p in value) && !notReturned.includes(`${n}.${p}`)));
    if (missing.length > 0) problems.push(`${at}: ${name} lacks ${missing.join(', ')} (Graph sends every property, null when unset)`);
  }
  return problems;
}

/** `@odata.context`: `{root}/{version}/$metadata#{fragment}`, the request's version, a fragment present. */
export function checkContext(version: GraphVersion, context: unknown, expectedFragment?: string): string[] {
  if (typeof context !== 'string') return [`@odata.context is missing (${JSON.stringify(context)})`];
  const match = /^https?:\/\/[^/]+\/(v1\.0|beta)\/\$metadata#(.+)$/.exec(context);
  if (!match) return [`@odata.context '${context}' is not '{root}/{version}/$metadata#{fragment}'`];
  const problems: string[] = [];
  if (match[1] !== version) problems.push(`@odata.context '${context}' names ${match[1]}, the request was ${version}`);
  if (expectedFragment !== undefined && match[2] !== expectedFragment)
    problems.push(`@odata.context fragment '${match[2]}', Graph writes '${expectedFragment}'`);
  return problems;
}

export interface BodyExpectation {
  /** The declared type of the entity, or of the collection's elements. */
  readonly type: string;
  readonly collection: boolean;
  readonly contextFragment?: string;
  readonly expanded?: readonly string[];
  /** Every property must be present (see CheckOptions.complete); default true, checked in v1.0 only. */
  readonly complete?: boolean;
  readonly notReturned?: readonly string[];
}

const COLLECTION_KEYS = new Set(['@odata.context', '@odata.count', '@odata.nextLink', '@odata.deltaLink', 'value']);

/** A whole success body: its context, and every entity in it. */
export function checkSuccessBody(schema: GraphSchema, body: unknown, expect: BodyExpectation): string[] {
  if (!isObject(body)) return [`the body is not a JSON object: ${JSON.stringify(body)}`];
  const problems = checkContext(schema.version, body['@odata.context'], expect.contextFragment);
  // Completeness is checked against v1.0 only: the beta extract may be built from names without types (see its source).
  const options = { expanded: expect.expanded ?? [], complete: (expect.complete ?? true) && schema.version === 'v1.0', notReturned: expect.notReturned ?? [] };
  if (!expect.collection && expect.type.startsWith('Edm.')) {
    // An action or function returning a primitive: {"@odata.context": "...#Edm.Boolean", "value": true}.
    const extra = Object.keys(body).filter((k) => k !== '@odata.context' && k !== 'value');
    return [
      ...problems,
      ...extra.map((k) => `$.${k}: not a member of a primitive result`),
      ...checkValue(schema, expect.type, body.value ?? null, '$.value', false),
    ];
  }
  if (!expect.collection) {
    const { ['@odata.context']: _context, ...entity } = body;
    void _context;
    return [...problems, ...checkObject(schema, expect.type, entity, '$', options)];
  }
  for (const key of Object.keys(body)) if (!COLLECTION_KEYS.has(key)) problems.push(`$.${key}: not a member of a collection response`);
  if (body['@odata.count'] !== undefined && !Number.isInteger(body['@odata.count'])) problems.push('$.@odata.count is not an integer');
  const next = body['@odata.nextLink'];
  if (next !== undefined && (typeof next !== 'string' || !new RegExp(`/${schema.version.replace('.', '\\.')}/`).test(next)))
    problems.push(`$.@odata.nextLink ${JSON.stringify(next)} is not a URL of ${schema.version}`);
  const value = body.value;
  if (!Array.isArray(value)) return [...problems, '$.value is not an array'];
  if (expect.type.startsWith('Edm.')) return [...problems, ...value.flatMap((v, i) => checkValue(schema, expect.type, v, `$.value[${i}]`, false))];
  value.forEach((v, i) => {
    if (isObject(v)) problems.push(...checkObject(schema, expect.type, v, `$.value[${i}]`, options));
    else problems.push(`$.value[${i}]: not an object`);
  });
  return problems;
}

const INNER_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/**
 * Graph's error body: `{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}`
 * (https://learn.microsoft.com/graph/errors). innerError may carry a `code` too (a 429 does).
 */
export function checkErrorBody(body: unknown): string[] {
  if (!isObject(body)) return [`the error body is not a JSON object: ${JSON.stringify(body)}`];
  const problems = Object.keys(body)
    .filter((k) => k !== 'error')
    .map((k) => `$.${k}: an error body has only 'error'`);
  const error = body.error;
  if (!isObject(error)) return [...problems, '$.error is not an object'];
  if (typeof error.code !== 'string' || error.code.length === 0) problems.push('$.error.code is not a non-empty string');
  if (typeof error.message !== 'string') problems.push('$.error.message is not a string');
  for (const k of Object.keys(error))
    if (!['code', 'message', 'innerError', 'details', 'innererror'].includes(k)) problems.push(`$.error.${k}: not a member of Graph's error`);
  const inner = error.innerError;
  if (!isObject(inner)) return [...problems, '$.error.innerError is not an object'];
  if (typeof inner.date !== 'string' || !INNER_DATE.test(inner.date))
    problems.push(`$.error.innerError.date ${JSON.stringify(inner.date)} is not 'yyyy-MM-ddTHH:mm:ss'`);
  for (const id of ['request-id', 'client-request-id'] as const) {
    if (typeof inner[id] !== 'string' || !GUID.test(inner[id])) problems.push(`$.error.innerError.${id} ${JSON.stringify(inner[id])} is not a GUID`);
  }
  return problems;
}
