import { CardSigner } from '../../src/teams/card-signature';
import { INCIDENT_VERBS, IncidentVerb, Verb } from '../../src/views/verbs';
import { EXTRA, FOREIGN_TENANT } from '../helpers/adversary';
import { DEFAULT_THREAD } from '../helpers/bot-harness';
import { TEST_SIGNING_KEY, type ClickOptions, type Person } from '../helpers/bot-over-http';
import { TENANT_ID, USERS } from '../helpers/demo-ids';
import { asFrom, foreignSigner, MALLORY, OTHER_CHANNEL, OTHER_THREAD, type Recorded } from './card-attack-rows';

/**
 * The attacker's table for the buttons of bulk incident cards (issue 18), the same attacks as on case cards
 * (card-attack-rows.ts) plus the ones only incidents have: a case card's signature for the incident's id, and the
 * incident's id sent to a case verb. Incidents are opened by Hana (helpdesk and approver), so that "the requester
 * approving her own incident" reaches the separation-of-duties rule rather than the group check.
 */

export type IncidentStateName = 'awaiting' | 'approved' | 'failed' | 'completed' | 'denied';

/** The buttons the incident's card shows in each state (cards/incident.json); checked against the thread. */
export const INCIDENT_PRESENT: Record<IncidentStateName, readonly string[]> = {
  awaiting: [IncidentVerb.approve, IncidentVerb.deny],
  approved: [IncidentVerb.start],
  failed: [IncidentVerb.retryFailed],
  completed: [],
  denied: [],
};

export const REQUESTER: Person = EXTRA.hana;
const DECISIONS: readonly string[] = [IncidentVerb.approve, IncidentVerb.deny];
const caseSigner = new CardSigner(TEST_SIGNING_KEY);

/** The person whose click on this verb is legitimate, and the inputs the card sends. */
export function legitimateIncident(verb: string): { by: Person; extra: Record<string, unknown> } {
  switch (verb) {
    case IncidentVerb.approve:
      return { by: USERS.alex, extra: { comment: 'Sync team confirmed the bad run' } };
    case IncidentVerb.deny:
      return { by: USERS.alex, extra: { denyReason: 'The deletions were an intended offboarding' } };
    default:
      return { by: REQUESTER, extra: {} };
  }
}

export interface IncidentAttack {
  readonly name: string;
  readonly applies: (verb: string) => boolean;
  /** The click; `verb` replaces the row's verb (a case verb sent with the incident's id). */
  readonly click: (
    legit: ReturnType<typeof legitimateIncident>,
    verb: string,
    incident: { id: string; version: number },
  ) => { options: ClickOptions; data?: Record<string, unknown>; verb?: string };
  readonly codes: RegExp;
  readonly recorded: Recorded;
  /** The journal names this person, or nobody (undefined: an unknown sender). */
  readonly journalBy?: (legit: ReturnType<typeof legitimateIncident>) => string | undefined;
}

const WHO = /\((APPROVAL\.NOT_APPROVER|CASE\.NOT_REQUESTER)\)$/;
const invalidCard = { log: /refused a card action with invalid data/ } as const;
const ignored = { log: /ignored an activity from another tenant or channel/ } as const;
const wrong = (p: Person): ReturnType<IncidentAttack['click']> => ({ options: { from: asFrom(p) } });
const all = (): boolean => true;
/** A click by this person carrying the signature of a case card whose case id is the incident's id. */
const signedAsCase = (by: Person, incident: { id: string; version: number }): ClickOptions => ({
  from: asFrom(by),
  sig: { literal: caseSigner.sign({ tenantId: TENANT_ID, conversationId: DEFAULT_THREAD, caseId: incident.id, version: incident.version }) },
});

export const INCIDENT_ATTACKS: readonly IncidentAttack[] = [
  { name: 'a person not in the tenant', applies: all, click: () => wrong(MALLORY), codes: WHO, recorded: 'journal', journalBy: () => MALLORY.name },
  {
    name: 'a helpdesk agent who is neither the requester nor an approver (Grady)',
    applies: all,
    click: () => wrong(USERS.grady),
    codes: WHO,
    recorded: 'journal',
    journalBy: () => USERS.grady.name,
  },
  {
    name: 'another helpdesk agent (Megan) acting for the requester',
    applies: all,
    click: () => wrong(USERS.megan),
    codes: WHO,
    recorded: 'journal',
    journalBy: () => USERS.megan.name,
  },
  {
    name: 'the requester deciding on her own incident (Hana, also an approver)',
    applies: (verb) => DECISIONS.includes(verb),
    click: () => wrong(REQUESTER),
    codes: /\(APPROVAL\.BY_REQUESTER\)$/,
    recorded: 'journal',
    journalBy: () => REQUESTER.name,
  },
  {
    name: 'an approver acting for the requester (Alex)',
    applies: (verb) => !DECISIONS.includes(verb),
    click: () => wrong(USERS.alex),
    codes: /\(CASE\.NOT_REQUESTER\)$/,
    recorded: 'journal',
    journalBy: () => USERS.alex.name,
  },
  {
    name: 'an upper-cased object id of someone who may not (the requester on a decision, else Alex)',
    applies: all,
    click: (_l, verb) => {
      const p = DECISIONS.includes(verb) ? REQUESTER : USERS.alex;
      return { options: { from: { id: `29:${p.id}`, name: p.name, aadObjectId: p.id.toUpperCase() } } };
    },
    codes: /\((APPROVAL\.BY_REQUESTER|CASE\.NOT_REQUESTER)\)$/,
    recorded: 'journal',
  },
  {
    name: 'the UPN of the legitimate person as aadObjectId',
    applies: all,
    click: (legit) => ({
      options: { from: { id: `29:${legit.by.id}`, name: legit.by.name, aadObjectId: (legit.by as { upn?: string }).upn ?? 'hana@contoso.com' } },
    }),
    codes: /\(REQUESTER\.UNKNOWN\)$/,
    recorded: 'journal',
    journalBy: () => undefined,
  },
  {
    name: 'an old version of the card replayed (version 0, validly signed)',
    applies: all,
    click: (legit) => ({ options: { from: asFrom(legit.by) }, data: { version: 0 } }),
    codes: /\(CARD\.STALE\)$|^\{/,
    recorded: 'journal',
    journalBy: (legit) => legit.by.name,
  },
  {
    name: 'the card replayed in another thread of the same channel (its signature kept)',
    applies: all,
    click: (legit) => ({ options: { from: asFrom(legit.by), conversationId: OTHER_THREAD, sig: { signedFor: { conversationId: DEFAULT_THREAD } } } }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'a card signed for another thread of the same channel, clicked there',
    applies: all,
    click: (legit) => ({ options: { from: asFrom(legit.by), conversationId: OTHER_THREAD } }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: 'journal',
    journalBy: (legit) => legit.by.name,
  },
  {
    name: 'the card replayed in another conversation (another team)',
    applies: all,
    click: (legit) => ({ options: { from: asFrom(legit.by), conversationId: OTHER_CHANNEL, sig: { signedFor: { conversationId: DEFAULT_THREAD } } } }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'a foreign tenant',
    applies: all,
    click: (legit) => ({ options: { from: asFrom(legit.by), tenantId: FOREIGN_TENANT } }),
    codes: /\(TENANT\.FOREIGN\)$/,
    recorded: ignored,
  },
  {
    name: 'a forged signature (another key)',
    applies: all,
    click: (legit, _v, incident) => ({
      options: {
        from: asFrom(legit.by),
        sig: { literal: foreignSigner.sign({ tenantId: TENANT_ID, conversationId: DEFAULT_THREAD, incidentId: incident.id, version: incident.version }) },
      },
    }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'a missing signature',
    applies: all,
    click: (legit) => ({ options: { from: asFrom(legit.by), sig: 'missing' } }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'the version raised by one, signature kept',
    applies: all,
    click: (legit, _v, incident) => ({
      options: { from: asFrom(legit.by), sig: { signedFor: { version: incident.version } } },
      data: { version: incident.version + 1 },
    }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'a case card\u2019s signature for the incident\u2019s id and version',
    applies: all,
    click: (legit, _v, incident) => ({ options: signedAsCase(legit.by, incident) }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'the incident\u2019s id sent to the case verb, signed as a case card (case.approve)',
    applies: all,
    click: (legit, _v, incident) => ({
      verb: Verb.approve,
      options: signedAsCase(legit.by, incident),
      data: { caseId: incident.id, incidentId: undefined },
    }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: invalidCard,
  },
  {
    name: 'a channelId other than msteams (webchat)',
    applies: all,
    click: (legit) => ({ options: { from: asFrom(legit.by), channelId: 'webchat' } }),
    codes: /\(CHANNEL\.UNSUPPORTED\)$/,
    recorded: ignored,
  },
  {
    name: 'an automatic trigger on a decision button',
    applies: all,
    click: (legit) => ({ options: { from: asFrom(legit.by), trigger: 'automatic' } }),
    codes: /\(CARD\.INVALID\)$/,
    recorded: 'journal',
    journalBy: (legit) => legit.by.name,
  },
  {
    name: 'a 501-character comment or reason (over the card\u2019s maxLength)',
    applies: (verb) => DECISIONS.includes(verb),
    click: (legit, verb) => ({ options: { from: asFrom(legit.by) }, data: { [verb === IncidentVerb.approve ? 'comment' : 'denyReason']: 'x'.repeat(501) } }),
    codes: /\(INPUT\.TOO_LONG\)$/,
    recorded: 'journal',
    journalBy: (legit) => legit.by.name,
  },
];

/** Incident verbs whose button is not on the incident's card in this state (and that the use cases refuse there). */
export const absentIncidentVerbs = (state: IncidentStateName): string[] => INCIDENT_VERBS.filter((v) => !INCIDENT_PRESENT[state].includes(v));

export interface IncidentDuplicate {
  readonly name: string;
  readonly state: IncidentStateName;
  readonly verb: string;
  readonly instances: readonly ('A' | 'B')[];
  /** The journal lines of the clicker's one effect. */
  readonly effect: readonly string[];
  /** Restores of the incident's user the clicks cause (a start or a retry runs once). */
  readonly restores: number;
}

const PAIRS: readonly Omit<IncidentDuplicate, 'name' | 'instances'>[] = [
  { state: 'awaiting', verb: IncidentVerb.approve, effect: ['Approved (1 of 2). Sync team confirmed the bad run'], restores: 0 },
  { state: 'awaiting', verb: IncidentVerb.deny, effect: ['Denied: The deletions were an intended offboarding'], restores: 0 },
  { state: 'approved', verb: IncidentVerb.start, effect: ['Run 1 started for 1 user(s).'], restores: 1 },
  { state: 'failed', verb: IncidentVerb.retryFailed, effect: ['Run 2 started: retrying 1 failed user(s).'], restores: 1 },
];

const VARIANTS: readonly { name: string; instances: readonly ('A' | 'B')[] }[] = [
  { name: 'double click on one instance', instances: ['A', 'A'] },
  { name: 'the same click reaching both instances', instances: ['A', 'B'] },
  { name: 'a burst of 16 clicks on both instances', instances: Array.from({ length: 16 }, (_, i) => (i % 2 ? 'B' : 'A')) },
];

export const INCIDENT_DUPLICATES: readonly IncidentDuplicate[] = PAIRS.flatMap((p) =>
  VARIANTS.map((v) => ({ ...p, ...v, name: `${p.verb} on an incident ${p.state}: ${v.name}` })),
);
