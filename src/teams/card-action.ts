import type { Activity } from 'botbuilder';

/** What a card click carries, read defensively: the values are typed by the client and may be anything. */
export interface CardAction {
  readonly verb: string;
  readonly trigger: 'manual' | 'automatic';
  readonly caseId: string;
  readonly version?: number;
  readonly stepId?: string;
  /** The bot's signature over tenant, conversation, case id and version (see card-signature.ts). */
  readonly signature?: string;
  /** Input values merged into the action data by the client (an oversized one cut to its limit). */
  readonly inputs: Readonly<Record<string, string>>;
  /** Inputs longer than their limit, with their length: the click is refused and nothing is changed. */
  readonly oversized: readonly { readonly field: string; readonly length: number; readonly limit: number }[];
}

/**
 * The server's own limits for typed inputs, the same as the cards' `maxLength` (checked by a test): a client that
 * ignores maxLength, or a forged click, gets a clear refusal rather than a silently shortened record.
 */
export const INPUT_LIMITS: Readonly<Record<string, number>> = {
  comment: 500,
  denyReason: 500,
  cancelReason: 500,
  identityNote: 500,
  fallbackReason: 500,
  reason: 500,
  noRecoveryReason: 500,
  lessons: 2000,
};
/** Inputs the cards fill from choices (scenario, identity method, TAP lifetime, ...) are short. */
const OTHER_INPUT_LIMIT = 200;

export function isCardAction(activity: Activity): boolean {
  const value = activity.value as { action?: { type?: unknown } } | undefined;
  return activity.type === 'invoke' && activity.name === 'adaptiveCard/action' && value?.action?.type === 'Action.Execute';
}

/** What a click on an incident card carries: the incident id in place of a case id, and no step. */
export type IncidentCardAction = Omit<CardAction, 'caseId' | 'stepId'> & { readonly incidentId: string };

type Common = Omit<CardAction, 'caseId' | 'stepId'>;

/** The verb, trigger, version, signature and inputs of any click; undefined unless `idField` is a string. */
function readCommon(activity: Activity, idField: string, skip: readonly string[]): { common: Common; record: Record<string, unknown> } | undefined {
  const value = activity.value as { action?: { verb?: unknown; data?: unknown }; trigger?: unknown } | undefined;
  const verb = value?.action?.verb;
  const data = value?.action?.data;
  if (typeof verb !== 'string' || !data || typeof data !== 'object') return undefined;
  const record = data as Record<string, unknown>;
  if (typeof record[idField] !== 'string') return undefined;
  const inputs: Record<string, string> = {};
  const oversized: { field: string; length: number; limit: number }[] = [];
  for (const [k, v] of Object.entries(record)) {
    if (k === idField || k === 'version' || k === 'sig' || skip.includes(k)) continue;
    const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
    if (text === undefined) continue;
    const limit = INPUT_LIMITS[k] ?? OTHER_INPUT_LIMIT;
    if (text.length > limit) oversized.push({ field: k.slice(0, 40), length: text.length, limit });
    inputs[k] = text.slice(0, limit);
  }
  const version = typeof record.version === 'number' ? record.version : Number(record.version);
  const common: Common = {
    verb,
    trigger: value?.trigger === 'automatic' ? 'automatic' : 'manual',
    ...(Number.isFinite(version) ? { version } : {}),
    ...(typeof record.sig === 'string' ? { signature: record.sig.slice(0, 100) } : {}),
    inputs,
    oversized,
  };
  return { common, record };
}

/** Parses the invoke. Unknown shapes give undefined; long inputs are cut so nothing unbounded reaches storage. */
export function readCardAction(activity: Activity): CardAction | undefined {
  const read = readCommon(activity, 'caseId', ['stepId']);
  if (!read) return undefined;
  const { common, record } = read;
  return {
    ...common,
    caseId: String(record.caseId).slice(0, 40),
    ...(typeof record.stepId === 'string' ? { stepId: record.stepId.slice(0, 10) } : {}),
  };
}

/** Parses a click on an incident card: `incidentId` (never `caseId`), version, signature and inputs, as defensively. */
export function readIncidentAction(activity: Activity): IncidentCardAction | undefined {
  const read = readCommon(activity, 'incidentId', []);
  return read ? { ...read.common, incidentId: String(read.record.incidentId).slice(0, 40) } : undefined;
}

/**
 * What the clicker is told of an input over its limit: only a field the cards have is named back (anything else came
 * from a forged click).
 */
export function tooLongMessage(tooLong: CardAction['oversized'][number]): string {
  const field = tooLong.field in INPUT_LIMITS ? `"${tooLong.field}"` : 'An input';
  return `${field} is ${tooLong.length} characters; at most ${tooLong.limit} are accepted. Shorten it and click again. Nothing was changed. (INPUT.TOO_LONG)`;
}

/** A click whose verb is an incident card's (IncidentVerb): handled by handlers/incident-actions.ts. */
export function isIncidentAction(activity: Activity): boolean {
  const verb = (activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
  return typeof verb === 'string' && verb.startsWith('incident.');
}
