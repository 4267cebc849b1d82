/**
 * Writes the trimmed extract of Microsoft Graph's published metadata that the contract tests validate the simulated
 * tenant against (test/fixtures/graph-metadata/{v1.0,beta}.json): the entity, complex and enum types reachable from
 * the resources the simulator serves, closed over base types, derived types, property types and enum members;
 * navigation properties by name only (enough to see one sent inline without `$expand`).
 *
 * Run: npx tsx scripts/extract-graph-metadata.ts <msgraph-metadata checkout or bare git dir>
 *
 * Source: https://github.com/microsoftgraph/msgraph-metadata (schemas/v1.0-Prod.csdl, schemas/beta-Prod.csdl).
 * beta-Prod.csdl is 8 MB; a partial clone may not hold its blob. Then beta is built from what the same commit does
 * hold: the names of every beta-Prod type's properties, navigation properties and enum members
 * (schemas/type-mappings/beta-*-types.json, generated from beta-Prod), with property types and base types from the
 * national-cloud beta schema of the same sync (schemas/beta-USNat.csdl). A property beta-Prod has and USNat lacks keeps
 * its name with the type "unknown" (names are checked, values are not); a type USNat lacks takes its base type from
 * its beta reference page (BETA_BASES). The extract records which way it was built.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The resources the simulator serves (src/simulator/routes); everything else is reached from these. */
const ROOTS = [
  'user',
  'group',
  'directoryObject',
  'authentication',
  'authenticationMethod',
  'hardwareOathAuthenticationMethod',
  'qrCodePinAuthenticationMethod',
  'signInPreferences',
  'authenticationMethodsPolicy',
  'authenticationMethodConfiguration',
  'directoryAudit',
  'signIn',
  'userRegistrationDetails',
  'conditionalAccessPolicy',
  'authenticationContextClassReference',
  'unifiedRoleAssignment',
  'unifiedRoleDefinition',
  'unifiedRoleEligibilitySchedule',
  'privilegedAccessGroupEligibilityScheduleInstance',
  'unifiedRbacResourceAction',
  'verifiedIdProfile',
];

/** Base types of beta-Prod types absent from beta-USNat.csdl, from their beta resource pages ("Inherits from ..."). */
const BETA_BASES: Record<string, { base: string; page: string }> = {
  hardwareOathAuthenticationMethod: {
    base: 'authenticationMethod',
    page: 'https://learn.microsoft.com/graph/api/resources/hardwareoathauthenticationmethod?view=graph-rest-beta',
  },
  qrCodePinAuthenticationMethod: {
    base: 'authenticationMethod',
    page: 'https://learn.microsoft.com/graph/api/resources/qrcodepinauthenticationmethod?view=graph-rest-beta',
  },
  qrCodePinAuthenticationMethodConfiguration: {
    base: 'authenticationMethodConfiguration',
    page: 'https://learn.microsoft.com/graph/api/resources/qrcodepinauthenticationmethodconfiguration?view=graph-rest-beta',
  },
};

/** Types whose derived types are not followed: every entity derives from them. */
const NO_DERIVED = new Set(['entity', 'directoryObject']);

interface RawType {
  kind: 'entity' | 'complex';
  base?: string;
  abstract?: true;
  open?: true;
  properties: Record<string, string>;
  /** Properties declared Nullable="false": a null there is not Graph's. */
  nonNullable: string[];
  navigation: Record<string, string>;
}

interface RawEnum {
  members: string[];
  flags?: true;
}

interface Schema {
  types: Map<string, RawType>;
  enums: Map<string, RawEnum>;
}

const attr = (line: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(line)?.[1];

/** `graph.user` and `microsoft.graph.user` both name `user`; other namespaces keep their full name. */
function qualify(name: string, aliases: ReadonlyMap<string, string>): string {
  const collection = /^Collection\((.*)\)$/.exec(name);
  if (collection?.[1]) return `Collection(${qualify(collection[1], aliases)})`;
  if (name.startsWith('Edm.')) return name;
  const dot = name.lastIndexOf('.');
  const ns = aliases.get(name.slice(0, dot)) ?? name.slice(0, dot);
  return ns === 'microsoft.graph' ? name.slice(dot + 1) : `${ns}.${name.slice(dot + 1)}`;
}

/** A line-based reader of CSDL as msgraph-metadata writes it: one element per line. */
function parseCsdl(xml: string): Schema {
  const lines = xml.split('\n');
  const aliases = new Map<string, string>();
  for (const line of lines) {
    const ns = attr(line, 'Namespace');
    const alias = attr(line, 'Alias');
    if (line.includes('<Schema ') && ns && alias) aliases.set(alias, ns);
  }
  const types = new Map<string, RawType>();
  const enums = new Map<string, RawEnum>();
  let namespace = 'microsoft.graph';
  let current: RawType | undefined;
  let currentEnum: RawEnum | undefined;
  for (const line of lines) {
    const t = line.trim();
    if (t.startsWith('<Schema ')) namespace = attr(t, 'Namespace') ?? namespace;
    const local = (n: string): string => qualify(`${namespace}.${n}`, aliases);
    if (t.startsWith('<EntityType ') || t.startsWith('<ComplexType ')) {
      const type: RawType = { kind: t.startsWith('<EntityType') ? 'entity' : 'complex', properties: {}, nonNullable: [], navigation: {} };
      const base = attr(t, 'BaseType');
      if (base) type.base = qualify(base, aliases);
      if (attr(t, 'Abstract') === 'true') type.abstract = true;
      if (attr(t, 'OpenType') === 'true') type.open = true;
      types.set(local(attr(t, 'Name') ?? ''), type);
      current = t.endsWith('/>') ? undefined : type;
    } else if (t.startsWith('</EntityType') || t.startsWith('</ComplexType')) {
      current = undefined;
    } else if (current && t.startsWith('<Property ')) {
      const name = attr(t, 'Name') ?? '';
      current.properties[name] = qualify(attr(t, 'Type') ?? '', aliases);
      if (attr(t, 'Nullable') === 'false') current.nonNullable.push(name);
    } else if (current && t.startsWith('<NavigationProperty ')) {
      current.navigation[attr(t, 'Name') ?? ''] = qualify(attr(t, 'Type') ?? '', aliases);
    } else if (t.startsWith('<EnumType ')) {
      currentEnum = { members: [] };
      if (attr(t, 'IsFlags') === 'true') currentEnum.flags = true;
      enums.set(local(attr(t, 'Name') ?? ''), currentEnum);
    } else if (t.startsWith('</EnumType')) {
      currentEnum = undefined;
    } else if (currentEnum && t.startsWith('<Member ')) {
      currentEnum.members.push(attr(t, 'Name') ?? '');
    }
  }
  return { types, enums };
}

const element = (type: string): string => /^Collection\((.*)\)$/.exec(type)?.[1] ?? type;

/** The roots' closure: base types, derived types (except of entity/directoryObject), property types, enums. */
function close(schema: Schema): { types: Set<string>; enums: Set<string>; missing: string[] } {
  const derived = new Map<string, string[]>();
  for (const [name, t] of schema.types) if (t.base) derived.set(t.base, [...(derived.get(t.base) ?? []), name]);
  const types = new Set<string>();
  const enums = new Set<string>();
  const missing = ROOTS.filter((r) => !schema.types.has(r));
  const queue = ROOTS.filter((r) => schema.types.has(r));
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (types.has(name)) continue;
    const t = schema.types.get(name);
    if (!t) continue;
    types.add(name);
    if (t.base) queue.push(t.base);
    if (!NO_DERIVED.has(name)) queue.push(...(derived.get(name) ?? []));
    for (const p of Object.values(t.properties)) {
      const e = element(p);
      if (schema.enums.has(e)) enums.add(e);
      else if (schema.types.get(e)?.kind === 'complex') queue.push(e);
    }
  }
  return { types, enums, missing };
}

/** A file's text from a checkout (on disk) or a bare git dir (the blob at HEAD); undefined when the blob is absent. */
function readSource(source: string, file: string): string | undefined {
  const onDisk = path.join(source, file);
  if (existsSync(onDisk)) return readFileSync(onDisk, 'utf8');
  try {
    return execFileSync('git', ['-C', source, 'show', `HEAD:${file}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

function mustRead(source: string, file: string): string {
  const text = readSource(source, file);
  if (text === undefined) throw new Error(`${file} is not in ${source} (neither a file nor a blob at HEAD).`);
  return text;
}

interface NameMapping {
  readonly navigationProperties: readonly string[];
  readonly properties: readonly string[];
}

/**
 * beta-Prod's names laid over the USNat schema: each type's properties and navigation properties become exactly the
 * Prod ones (types from USNat where it has them, else "unknown"); enum members become Prod's; types USNat lacks
 * are added with their documented base type (BETA_BASES).
 */
function overlayProdNames(schema: Schema, source: string): void {
  const read = (kind: string): Record<string, unknown> =>
    (JSON.parse(mustRead(source, `schemas/type-mappings/beta-${kind}-types.json`)) as Record<string, Record<string, unknown>>)['microsoft.graph'] ?? {};
  const overlay = (names: Record<string, unknown>, kind: RawType['kind']): void => {
    for (const [name, value] of Object.entries(names)) {
      const mapping = value as NameMapping;
      let type = schema.types.get(name);
      if (!type) {
        if (!BETA_BASES[name]) continue;
        type = { kind, properties: {}, nonNullable: [], navigation: {}, ...(BETA_BASES[name] ? { base: BETA_BASES[name].base } : {}) };
        schema.types.set(name, type);
      }
      const known = type;
      type.properties = Object.fromEntries(mapping.properties.map((p) => [p, known.properties[p] ?? 'unknown']));
      type.nonNullable = type.nonNullable.filter((p) => mapping.properties.includes(p));
      type.navigation = Object.fromEntries(mapping.navigationProperties.map((n) => [n, known.navigation[n] ?? 'unknown']));
    }
  };
  overlay(read('entity'), 'entity');
  overlay(read('complex'), 'complex');
  for (const [name, members] of Object.entries(read('enum'))) {
    const existing = schema.enums.get(name);
    if (existing) existing.members = [...(members as string[])];
  }
}

const FALLBACK_NOTE =
  "beta-Prod.csdl was not in the source; names of properties, navigation properties and enum members are beta-Prod's " +
  '(schemas/type-mappings/beta-*-types.json), property and base types are from schemas/beta-USNat.csdl of the same commit ' +
  '("unknown" where USNat lacks the property); base types of roots USNat lacks are from their beta reference pages.';

/** The beta schema: beta-Prod.csdl when the source has it, else the overlay described above. */
function betaSchema(source: string): { schema: Schema; files: string[]; note?: string; documentedBases?: typeof BETA_BASES } {
  const prod = readSource(source, 'schemas/beta-Prod.csdl');
  if (prod !== undefined) return { schema: parseCsdl(prod), files: ['schemas/beta-Prod.csdl'] };
  const schema = parseCsdl(mustRead(source, 'schemas/beta-USNat.csdl'));
  overlayProdNames(schema, source);
  return {
    schema,
    files: ['schemas/type-mappings/beta-{entity,complex,enum}-types.json', 'schemas/beta-USNat.csdl'],
    note: FALLBACK_NOTE,
    documentedBases: BETA_BASES,
  };
}

function sourceCommit(source: string): { commit: string; date: string } {
  const [commit = '', date = ''] = execFileSync('git', ['-C', source, 'log', '-1', '--format=%H %cI'], { encoding: 'utf8' }).trim().split(' ');
  return { commit, date };
}

function sortedObject<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => a.localeCompare(b)));
}

function extract(source: string, version: 'v1.0' | 'beta'): object {
  const built = version === 'v1.0' ? { schema: parseCsdl(mustRead(source, 'schemas/v1.0-Prod.csdl')), files: ['schemas/v1.0-Prod.csdl'] } : betaSchema(source);
  const { schema } = built;
  const { types, enums, missing } = close(schema);
  const typeEntries = [...types].map((name): [string, object] => {
    const t = schema.types.get(name) as RawType;
    const navigation = Object.keys(t.navigation).sort();
    return [
      name,
      {
        kind: t.kind,
        ...(t.base ? { base: t.base } : {}),
        ...(t.abstract ? { abstract: true } : {}),
        ...(t.open ? { open: true } : {}),
        properties: sortedObject(Object.entries(t.properties)),
        ...(t.nonNullable.length > 0 ? { nonNullable: [...t.nonNullable].sort() } : {}),
        ...(navigation.length > 0 ? { navigation } : {}),
      },
    ];
  });
  const enumEntries = [...enums].map((name): [string, object] => {
    const e = schema.enums.get(name) as RawEnum;
    return [name, { members: e.members, ...(e.flags ? { flags: true } : {}) }];
  });
  return {
    source: {
      repository: 'https://github.com/microsoftgraph/msgraph-metadata',
      ...sourceCommit(source),
      files: built.files,
      ...('note' in built ? { note: built.note, documentedBases: built.documentedBases } : {}),
    },
    version,
    regenerate: 'npx tsx scripts/extract-graph-metadata.ts <msgraph-metadata checkout or git dir> (see test/fixtures/graph-metadata/README.md)',
    rootsMissingFromSource: missing,
    types: sortedObject(typeEntries),
    enums: sortedObject(enumEntries),
  };
}

function main(argv: readonly string[]): void {
  const source = argv[0];
  if (!source) throw new Error('Usage: npx tsx scripts/extract-graph-metadata.ts <msgraph-metadata checkout or git dir>');
  const out = path.join(__dirname, '..', 'test', 'fixtures', 'graph-metadata');
  mkdirSync(out, { recursive: true });
  for (const version of ['v1.0', 'beta'] as const) {
    writeFileSync(path.join(out, `${version}.json`), `${JSON.stringify(extract(source, version), null, 1)}\n`);
    console.log(`${version} -> ${path.join(out, `${version}.json`)}`);
  }
}

main(process.argv.slice(2));
