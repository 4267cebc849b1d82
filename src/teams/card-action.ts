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
  /** Input values merged into the action data by the client. */
  readonly inputs: Readonly<Record<string, string>>;
}

const MAX_INPUT = 2000;

export function isCardAction(activity: Activity): boolean {
  const value = activity.value as { action?: { type?: unknown } } | undefined;
  return activity.type === 'invoke' && activity.name === 'adaptiveCard/action' && value?.action?.type === 'Action.Execute';
}

/** Parses the invoke. Unknown shapes give undefined; long inputs are cut so nothing unbounded reaches storage. */
export function readCardAction(activity: Activity): CardAction | undefined {
  const value = activity.value as { action?: { verb?: unknown; data?: unknown }; trigger?: unknown } | undefined;
  const verb = value?.action?.verb;
  const data = value?.action?.data;
  if (typeof verb !== 'string' || !data || typeof data !== 'object') return undefined;
  const record = data as Record<string, unknown>;
  if (typeof record.caseId !== 'string') return undefined;
  const inputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) {
    if (k === 'caseId' || k === 'version' || k === 'stepId' || k === 'sig') continue;
    if (typeof v === 'string') inputs[k] = v.slice(0, MAX_INPUT);
    else if (typeof v === 'number' || typeof v === 'boolean') inputs[k] = String(v);
  }
  const version = typeof record.version === 'number' ? record.version : Number(record.version);
  return {
    verb,
    trigger: value?.trigger === 'automatic' ? 'automatic' : 'manual',
    caseId: record.caseId.slice(0, 40),
    ...(Number.isFinite(version) ? { version } : {}),
    ...(typeof record.stepId === 'string' ? { stepId: record.stepId.slice(0, 10) } : {}),
    ...(typeof record.sig === 'string' ? { signature: record.sig.slice(0, 100) } : {}),
    inputs,
  };
}
