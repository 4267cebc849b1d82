import { changeKindOf, methodTypeOf, type AuditActor, type AuditEvent, type ChangeKind, type SignInEvent } from './audit';
import type { MethodType } from './target';

export type Scenario = 'accidental' | 'malicious';

export interface TimelineEntry {
  readonly at: string;
  readonly activity: string;
  readonly change: ChangeKind;
  readonly methodType?: MethodType;
  readonly actor: AuditActor;
  readonly actorTrust: ActorTrust;
  readonly result: string;
  readonly outsideWorkingHours: boolean;
}

/** How much we know about whoever made a change. */
export type ActorTrust = 'automation' | 'helpdesk' | 'self' | 'unknown';

export interface TriageContext {
  readonly targetId: string;
  /** Apps known to manage users on purpose: provisioning, directory sync, our own bot. */
  readonly automationAppIds: ReadonlySet<string>;
  /** User ids of actors that are members of the helpdesk or approver groups (looked up by the caller). */
  readonly trustedUserIds: ReadonlySet<string>;
  readonly workingHours: WorkingHours;
  /** A method added within this many minutes after a removal is the classic takeover pattern. */
  readonly reAddWindowMinutes: number;
}

export interface WorkingHours {
  /** IANA time zone of the helpdesk, e.g. Europe/Berlin. */
  readonly timeZone: string;
  readonly startHour: number;
  readonly endHour: number;
  /** ISO weekdays, 1 = Monday ... 7 = Sunday. */
  readonly days: readonly number[];
}

export interface Triage {
  readonly timeline: readonly TimelineEntry[];
  readonly recommendation: Scenario;
  /** Why, in sentences an approver can check against the timeline. */
  readonly reasons: readonly string[];
  /** True when the window holds no relevant change at all. */
  readonly nothingChanged: boolean;
  /** The first disruptive change: a point-in-time restore goes to just before it. */
  readonly incidentStart?: string;
  /**
   * The earliest suspicious signal in the audit window: a disruptive change by an unknown actor or from the user's own
   * account, or a medium/high-risk sign-in. A Verified ID credential issued after it proves nothing (whoever held the
   * account could have issued it; shared/spec/verified-id.md §4). Absent when nothing suspicious was found: then the
   * compromise window is unknown.
   */
  readonly suspiciousFrom?: string;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function isOutsideWorkingHours(iso: string, hours: WorkingHours): boolean {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: hours.timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' }).formatToParts(
    new Date(iso),
  );
  const weekday = WEEKDAYS[parts.find((p) => p.type === 'weekday')?.value ?? ''] ?? 0;
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? '0');
  return !hours.days.includes(weekday) || hour < hours.startHour || hour >= hours.endHour;
}

function trustOf(actor: AuditActor, context: TriageContext): ActorTrust {
  if (actor.kind === 'app') return context.automationAppIds.has(actor.appId) ? 'automation' : 'unknown';
  if (actor.kind === 'user') {
    if (actor.id === context.targetId) return 'self';
    return context.trustedUserIds.has(actor.id) ? 'helpdesk' : 'unknown';
  }
  return 'unknown';
}

export function actorLabel(actor: AuditActor): string {
  switch (actor.kind) {
    case 'user':
      return `${actor.displayName ?? actor.userPrincipalName ?? actor.id}${actor.userPrincipalName && actor.displayName ? ` (${actor.userPrincipalName})` : ''}`;
    case 'app':
      return `app ${actor.displayName ?? actor.appId}`;
    case 'unknown':
      return 'an unrecorded actor';
  }
}

/** "2026-11-23 02:14 UTC": reasons are read by people in several time zones. */
function utc(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function span(entries: readonly TimelineEntry[]): string {
  const first = entries[0]?.at ?? '';
  const last = entries[entries.length - 1]?.at ?? first;
  return first === last ? utc(first) : `${utc(first)} to ${utc(last)}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function describeChanges(entries: readonly TimelineEntry[]): string {
  if (entries.length === 1) return `"${entries[0]?.activity ?? ''}" at ${span(entries)}`;
  return `${entries.length} changes (${[...new Set(entries.map((t) => t.activity))].map((a) => `"${a}"`).join(', ')}) ${span(entries).includes(' to ') ? 'from ' : 'at '}${span(entries)}`;
}

/** Builds the timeline of relevant changes to the target, oldest first. */
export function buildTimeline(events: readonly AuditEvent[], context: TriageContext): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const e of events) {
    const change = changeKindOf(e.activity);
    if (!change || !e.targetIds.includes(context.targetId)) continue;
    const methodType = change.startsWith('method') ? methodTypeOf(e) : undefined;
    entries.push({
      at: e.at,
      activity: e.activity,
      change,
      ...(methodType ? { methodType } : {}),
      actor: e.actor,
      actorTrust: trustOf(e.actor, context),
      result: e.result,
      outsideWorkingHours: isOutsideWorkingHours(e.at, context.workingHours),
    });
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

const DISRUPTIVE: ReadonlySet<ChangeKind> = new Set([
  'methodAdded',
  'methodRemoved',
  'methodChanged',
  'userDeleted',
  'userHardDeleted',
  'passwordReset',
  'accountDisabled',
]);

/**
 * Recommends accidental or malicious recovery, with reasons. The guidance: "If the cause is unclear, default to
 * treating the incident as malicious." So accidental needs positive evidence (every disruptive change made by a
 * known automation identity or a helpdesk member) and no sign of compromise; anything else is malicious.
 */
export function triage(events: readonly AuditEvent[], signIns: readonly SignInEvent[], context: TriageContext): Triage {
  const timeline = buildTimeline(events, context);
  // A user registering a method on their own is routine self-service, not a disruption; it only counts in the
  // re-registration pattern below (a method added right after a removal).
  const disruptive = timeline.filter((t) => DISRUPTIVE.has(t.change) && t.result === 'success' && !(t.change === 'methodAdded' && t.actorTrust === 'self'));
  const malicious: string[] = [];
  const accidental: string[] = [];

  if (disruptive.length === 0) {
    return {
      timeline,
      recommendation: 'malicious',
      nothingChanged: true,
      reasons: [
        'No change to this user\u2019s methods or account in the audit window. If the user still cannot sign in, the cause is unclear, and the guidance says to treat an unclear cause as malicious.',
      ],
    };
  }

  const unknownActors = disruptive.filter((t) => t.actorTrust === 'unknown');
  for (const [label, entries] of groupBy(unknownActors, (t) => actorLabel(t.actor))) {
    const ip = entries.map((t) => (t.actor.kind === 'user' ? t.actor.ipAddress : undefined)).find(Boolean);
    malicious.push(`${label}${ip ? ` (from ${ip})` : ''} is neither a known automation identity nor a helpdesk member, and made ${describeChanges(entries)}.`);
  }
  const offHours = disruptive.filter((t) => t.outsideWorkingHours && t.actorTrust !== 'automation');
  if (offHours.length > 0)
    malicious.push(`${offHours.length === 1 ? 'One change' : `${offHours.length} changes`} happened outside working hours (${span(offHours)}).`);

  const windowMs = context.reAddWindowMinutes * 60_000;
  for (const added of timeline.filter((t) => t.change === 'methodAdded' && t.actorTrust !== 'automation')) {
    // A removal by known automation (the bot itself, during a recovery) followed by the user's own registration is
    // how a recovery ends, not a takeover.
    const removal = timeline.find(
      (t) =>
        t.change === 'methodRemoved' &&
        t.actorTrust !== 'automation' &&
        Date.parse(added.at) >= Date.parse(t.at) &&
        Date.parse(added.at) - Date.parse(t.at) <= windowMs,
    );
    if (removal)
      malicious.push(
        `A method was added at ${utc(added.at)}, within ${context.reAddWindowMinutes} minutes of a removal at ${utc(removal.at)}: the pattern of an account takeover.`,
      );
  }
  const risky = signIns.filter((s) => s.riskLevel === 'high' || s.riskLevel === 'medium');
  for (const s of risky) malicious.push(`A ${s.riskLevel}-risk sign-in at ${utc(s.at)}${s.ipAddress ? ` from ${s.ipAddress}` : ''}.`);

  const automated = disruptive.filter((t) => t.actorTrust === 'automation');
  if (automated.length > 0)
    accidental.push(`${automated.length} change(s) by known automation (${[...new Set(automated.map((t) => actorLabel(t.actor)))].join(', ')}).`);
  const helpdesk = disruptive.filter((t) => t.actorTrust === 'helpdesk');
  if (helpdesk.length > 0)
    accidental.push(`${helpdesk.length} change(s) by helpdesk members (${[...new Set(helpdesk.map((t) => actorLabel(t.actor)))].join(', ')}).`);
  const self = disruptive.filter((t) => t.actorTrust === 'self');
  if (self.length > 0)
    malicious.push(`${self.length} change(s) made from the user\u2019s own account: it cannot be told apart from someone holding the user\u2019s credentials.`);

  const unique = [...new Set(malicious)];
  const incidentStart = disruptive[0]?.at;
  const suspicious = [...disruptive.filter((t) => t.actorTrust === 'unknown' || t.actorTrust === 'self').map((t) => t.at), ...risky.map((s) => s.at)].sort(
    (a, b) => Date.parse(a) - Date.parse(b),
  );
  const suspiciousFrom = suspicious[0];
  const base = { timeline, nothingChanged: false, ...(incidentStart ? { incidentStart } : {}), ...(suspiciousFrom ? { suspiciousFrom } : {}) };
  if (unique.length > 0) return { ...base, recommendation: 'malicious', reasons: unique };
  return {
    ...base,
    recommendation: 'accidental',
    reasons: [...accidental, 'No unknown actor, off-hours change, quick re-registration or risky sign-in was found.'],
  };
}
