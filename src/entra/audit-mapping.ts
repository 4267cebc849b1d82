import type * as Graph from '@microsoft/microsoft-graph-types';
import type { AuditActor, AuditEvent, SignInEvent } from '../domain/audit';
import { maskPhone } from './method-mapping';

/**
 * Entra writes modified-property values JSON-encoded: `"\"fido2\""`, `"[\"Retail\"]"`, `"[true]"`. Returns the plain
 * text (array items joined with ", "), or the raw value when it is not JSON.
 */
export function unquote(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
  if (parsed === null) return undefined;
  if (Array.isArray(parsed)) return parsed.map(text).join(', ');
  return text(parsed);
}

/** Phone numbers in audit records are shown masked, like listed methods: the thread is read by the whole team. */
function safeValue(name: string, value: string | undefined): string | undefined {
  return value !== undefined && /phone ?number|mobilephone|businessphones/i.test(name) ? maskPhone(value) : value;
}

function actorOf(initiatedBy: Graph.AuditActivityInitiator | null | undefined): AuditActor {
  const user = initiatedBy?.user;
  if (user?.id) {
    return withDefined({
      kind: 'user' as const,
      id: user.id,
      userPrincipalName: user.userPrincipalName,
      displayName: user.displayName,
      ipAddress: user.ipAddress,
    });
  }
  const app = initiatedBy?.app;
  if (app?.appId || app?.servicePrincipalId) {
    return withDefined({ kind: 'app' as const, appId: app.appId ?? '', displayName: app.displayName, servicePrincipalId: app.servicePrincipalId });
  }
  return { kind: 'unknown' };
}

/** One directory audit record, reduced to what triage needs (AuditEvent). */
export function toAuditEvent(record: Graph.DirectoryAudit): AuditEvent {
  const targets = record.targetResources ?? [];
  const properties = targets.flatMap((t) => t.modifiedProperties ?? []).filter((p) => p.displayName);
  const details = [
    ...properties.map((p) => {
      const name = p.displayName ?? '';
      const before = safeValue(name, unquote(p.oldValue));
      const after = safeValue(name, unquote(p.newValue));
      return before === undefined ? `${name}: ${after ?? ''}` : `${name}: ${before} -> ${after ?? ''}`;
    }),
    ...(record.additionalDetails ?? []).filter((d) => d.key).map((d) => `${d.key ?? ''}: ${safeValue(d.key ?? '', d.value ?? undefined) ?? ''}`),
  ];
  return withDefined({
    id: record.id ?? '',
    at: record.activityDateTime ?? '',
    activity: record.activityDisplayName ?? '',
    category: record.category,
    loggedByService: record.loggedByService,
    result: record.result ?? 'unknown',
    resultReason: record.resultReason || undefined,
    actor: actorOf(record.initiatedBy),
    details,
    targetIds: targets.flatMap((t) => (t.id ? [t.id] : [])),
    modifiedProperties: properties.map((p) => withDefined({ name: p.displayName ?? '', newValue: unquote(p.newValue) })),
  });
}

/** One sign-in (v1.0 fields only). */
export function toSignInEvent(s: Graph.SignIn): SignInEvent {
  return withDefined({
    at: s.createdDateTime ?? '',
    success: s.status?.errorCode === 0,
    ipAddress: s.ipAddress,
    riskLevel: s.riskLevelDuringSignIn,
    appDisplayName: s.appDisplayName,
    conditionalAccessStatus: s.conditionalAccessStatus,
    appliedPolicies: s.appliedConditionalAccessPolicies?.map((p) => ({ displayName: p.displayName ?? p.id ?? '', result: p.result ?? 'unknown' })),
  });
}

/** Oldest first. Graph lists newest first, so records with the same time are reversed first to keep their order. */
export function oldestFirst<T extends { readonly at: string }>(items: readonly T[]): T[] {
  return [...items].reverse().sort((a, b) => a.at.localeCompare(b.at));
}

export function newestFirst<T extends { readonly at: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.at.localeCompare(a.at));
}

type Nullable<T, K extends keyof T> = null extends T[K] ? K : undefined extends T[K] ? K : never;
/** T with every property that may be null or undefined made optional and non-null. */
type Defined<T> = { [K in keyof T as K extends Nullable<T, K> ? never : K]: T[K] } & { [K in keyof T as Nullable<T, K>]?: Exclude<T[K], null | undefined> };

/** Drops null and undefined properties, so optional fields are absent rather than null. */
function withDefined<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Defined<T>;
}
